#!/usr/bin/env bash
# cli_test.sh — black-box tests of the command line (no database): help and
# version, usage errors, validate of several files, params (--set, --params,
# required, typed, undeclared), secrets kept out of every output, plan
# formats, unreadable files. Exit codes per DESIGN.md §4 (5: invalid, nothing ran).
#
# RUNBOOK_BIN is the binary (ctest sets it). Prints "N passed, N failed".

source "$(dirname "${BASH_SOURCE[0]}")/../integration/lib.sh"
require_runbook
cd "$TEST_TMP" || die "no scratch directory"

# ---------------------------------------------------------------------------
# Fixtures (written into the scratch directory)

cat >good.yaml <<'EOF'
runbook: cli-good
title: A small valid runbook
params:
  schema: { type: identifier, default: public }
steps:
  - id: touch
    sql: UPDATE {{ params.schema }}.accounts SET active = true WHERE id = 1;
    rollback: UPDATE {{ params.schema }}.accounts SET active = false WHERE id = 1;
EOF

cat >bad-one.yaml <<'EOF'
runbook: cli-bad-one
stpes: []
steps:
  - id: one
    sql: SELECT 1;
    rollback: { irreversible: test }
EOF

cat >bad-two.yaml <<'EOF'
runbook: cli-bad-two
steps:
  - id: Bad_Id
    sql: SELECT 1;
    rollback: { irreversible: test }
  - id: two
    query: SELECT 1
EOF

cat >params.yaml <<'EOF'
runbook: cli-params
params:
  schema: { type: identifier, default: public }
  table: identifier
  batch_size: { type: integer, default: 100, min: 1 }
steps:
  - id: touch
    sql: |
      UPDATE {{ params.schema }}.{{ params.table }} SET flag = true
      WHERE id < {{ params.batch_size }};
    rollback: { irreversible: test }
EOF

# The secret is used everywhere a value can end up in a plan: SQL, an
# expectation, a command argument, a confirm question, a batch loop.
SECRET=Zq8-cli-test-s3cr3t-value
cat >secret.yaml <<'EOF'
runbook: cli-secret
params:
  api_token: { type: string, secret: true }
  pin: { type: integer, secret: true, default: 4711 }
  table: { type: identifier, default: accounts }
preflight:
  - id: token-known
    query: SELECT count(*) AS n FROM tokens WHERE token = {{ params.api_token }}
    expect: { value: "{{ params.api_token }}" }
steps:
  - id: store
    sql: UPDATE {{ params.table }} SET token = {{ params.api_token }}, pin = {{ params.pin }} WHERE id = 1;
    rollback: UPDATE {{ params.table }} SET token = NULL WHERE id = 1;
  - id: call
    command: [curl, -H, "Authorization: Bearer {{ params.api_token }}", https://example.invalid/]
  - id: ask
    confirm: Was the token {{ params.api_token }} rotated?
EOF

# ---------------------------------------------------------------------------
section "help and version"

assert_exit 0 "--help exits 0" -- "$RUNBOOK_BIN" --help
assert_contains "$(last_stdout)" "validate" "--help lists validate"
assert_contains "$(last_stdout)" "plan" "--help lists plan"
assert_exit 0 "plan --help exits 0" -- "$RUNBOOK_BIN" plan --help
assert_contains "$(last_stdout)" "--format" "plan --help lists --format"
assert_exit 0 "--version exits 0" -- "$RUNBOOK_BIN" --version
assert_match "$(last_stdout)" '[0-9]+\.[0-9]+\.[0-9]+' "--version prints a version number"

# ---------------------------------------------------------------------------
section "usage errors"

assert_exit 5 "no subcommand: exit 5" -- "$RUNBOOK_BIN"
assert_ne "" "$(last_stderr)" "no subcommand: a message on stderr"

assert_exit 5 "unknown subcommand: exit 5" -- "$RUNBOOK_BIN" frobnicate good.yaml
assert_ne "" "$(last_stderr)" "unknown subcommand: a message on stderr"
assert_eq "" "$(last_stdout)" "unknown subcommand: nothing on stdout"

assert_exit 5 "unknown flag: exit 5" -- "$RUNBOOK_BIN" validate --frobnicate good.yaml
assert_contains "$(last_stderr)" "--frobnicate" "unknown flag: the message names it"

assert_exit 5 "unknown top-level flag: exit 5" -- "$RUNBOOK_BIN" --frobnicate
assert_ne "" "$(last_stderr)" "unknown top-level flag: a message on stderr"

assert_exit 5 "plan without a file: exit 5" -- "$RUNBOOK_BIN" plan
assert_ne "" "$(last_stderr)" "plan without a file: a message"

assert_exit 5 "plan --format yaml: exit 5" -- "$RUNBOOK_BIN" plan good.yaml --format yaml
assert_contains "$(last_stderr)" "yaml" "plan --format yaml: the message names the bad value"

assert_exit 5 "--set without '=': exit 5" -- "$RUNBOOK_BIN" plan good.yaml --set schema
assert_contains "$(last_stderr)" "name=value" "--set without '=': says name=value"

# ---------------------------------------------------------------------------
section "validate"

assert_exit 0 "validate of a good file exits 0" -- "$RUNBOOK_BIN" validate good.yaml
assert_contains "$(last_stdout)" "good.yaml: ok" "validate says ok on stdout"
assert_eq "" "$(last_stderr)" "validate of a good file: nothing on stderr"

assert_exit 0 "validate --quiet of a good file exits 0" -- "$RUNBOOK_BIN" validate --quiet good.yaml
assert_eq "" "$(last_stdout)" "validate --quiet prints nothing"

assert_exit 5 "validate of several files, two bad: exit 5" -- \
  "$RUNBOOK_BIN" validate bad-one.yaml good.yaml bad-two.yaml
assert_contains "$(last_stderr)" 'bad-one.yaml:2:1: error: unknown key "stpes"' \
  "validate reports the error of the first file"
assert_contains "$(last_stderr)" 'bad-two.yaml:3:9: error: step id "Bad_Id" is not valid' \
  "validate reports the first error of the third file"
assert_contains "$(last_stderr)" 'bad-two.yaml:6:5: error: query step "two" checks nothing' \
  "validate reports the second error of the third file"
assert_contains "$(last_stdout)" "good.yaml: ok" "the good file among them is ok"
assert_not_contains "$(last_stdout)" "bad-one.yaml" "a bad file is not reported ok"

assert_exit 0 "validate of a runbook with a required param (placeholders) exits 0" -- \
  "$RUNBOOK_BIN" validate params.yaml

# ---------------------------------------------------------------------------
section "params"

assert_exit 5 "plan with a missing required param: exit 5" -- "$RUNBOOK_BIN" plan params.yaml
assert_contains "$(last_stderr)" 'missing required param "table"' "the missing param is named"
assert_contains "$(last_stderr)" "--set table=" "the message says how to pass it"
assert_eq "" "$(last_stdout)" "no plan on stdout when params are missing"

assert_exit 5 "--set of an undeclared name: exit 5" -- \
  "$RUNBOOK_BIN" plan params.yaml --set table=t --set tabel=t
assert_contains "$(last_stderr)" 'unknown param "tabel"' "the undeclared name is named"
assert_contains "$(last_stderr)" 'did you mean "table"' "with a did-you-mean"

assert_exit 5 "--set batch_size=abc (integer): exit 5" -- \
  "$RUNBOOK_BIN" plan params.yaml --set table=t --set batch_size=abc
assert_contains "$(last_stderr)" 'param "batch_size"' "the ill-typed param is named"
assert_contains "$(last_stderr)" '"abc"' "the bad value is shown"

assert_exit 5 "--set batch_size=0 below min: exit 5" -- \
  "$RUNBOOK_BIN" plan params.yaml --set table=t --set batch_size=0
assert_contains "$(last_stderr)" 'at least 1' "the bound is named"

printf 'table: from_file\nbatch_size: 7\n' >params-file.yaml
assert_exit 0 "plan --params FILE exits 0" -- "$RUNBOOK_BIN" plan params.yaml --params params-file.yaml
assert_contains "$(last_stdout)" '"from_file"' "--params: the file's value is used"
assert_contains "$(last_stdout)" "WHERE id < 7;" "--params: the file's integer is rendered"

assert_exit 0 "plan --params FILE --set overrides" -- \
  "$RUNBOOK_BIN" plan params.yaml --params params-file.yaml --set batch_size=9
assert_contains "$(last_stdout)" "WHERE id < 9;" "--set overrides the params file"
assert_not_contains "$(last_stdout)" "WHERE id < 7;" "the params file value is not used"
assert_contains "$(last_stdout)" '"from_file"' "the other params of the file still apply"

printf 'tabel: x\n' >params-typo.yaml
assert_exit 5 "--params with an undeclared name: exit 5" -- \
  "$RUNBOOK_BIN" plan params.yaml --params params-typo.yaml --set table=t
assert_contains "$(last_stderr)" 'params-typo.yaml:1:1: error: unknown param "tabel"' \
  "--params: the undeclared name is named with its file position"

assert_exit 5 "--params of a missing file: exit 5" -- \
  "$RUNBOOK_BIN" plan params.yaml --params no-such-params.yaml --set table=t
assert_contains "$(last_stderr)" "no-such-params.yaml" "the missing params file is named"
assert_contains "$(last_stderr)" "No such file or directory" "with the reason"

# ---------------------------------------------------------------------------
section "secrets"

for format in text markdown json; do
  assert_exit 0 "plan --format $format of a runbook with a secret exits 0" -- \
    "$RUNBOOK_BIN" plan secret.yaml --set "api_token=$SECRET" --format "$format"
  assert_not_contains "$(last_stdout)$(last_stderr)" "$SECRET" \
    "plan --format $format never shows the secret"
  assert_not_contains "$(last_stdout)" "4711" "plan --format $format never shows the secret default"
  assert_contains "$(last_stdout)" "********" "plan --format $format masks it"
done

assert_exit 5 "a secret with a bad value: exit 5" -- \
  "$RUNBOOK_BIN" plan secret.yaml --set "api_token=$SECRET" --set "pin=$SECRET"
assert_contains "$(last_stderr)" 'param "pin"' "the secret param is named"
assert_not_contains "$(last_stderr)" "$SECRET" "an ill-typed secret is not echoed"

assert_exit 5 "an error elsewhere with a secret given: exit 5" -- \
  "$RUNBOOK_BIN" plan secret.yaml --set "api_token=$SECRET" --set tabel=x
assert_not_contains "$(last_stdout)$(last_stderr)" "$SECRET" "errors never show the secret"

assert_exit 0 "validate with a secret given exits 0" -- \
  "$RUNBOOK_BIN" validate secret.yaml --set "api_token=$SECRET"
assert_not_contains "$(last_stdout)$(last_stderr)" "$SECRET" "validate never shows the secret"

# ---------------------------------------------------------------------------
section "plan formats"

assert_exit 0 "plan --format json exits 0" -- "$RUNBOOK_BIN" plan good.yaml --format json
cp "$LAST_STDOUT" plan.json
if command -v python3 >/dev/null 2>&1; then
  assert_true "plan --format json is valid JSON (python3)" -- \
    sh -c 'python3 -m json.tool plan.json >/dev/null'
elif command -v node >/dev/null 2>&1; then
  assert_true "plan --format json is valid JSON (node)" -- \
    node -e 'JSON.parse(require("fs").readFileSync("plan.json", "utf8"))'
else
  note "neither python3 nor node: the JSON validity of plan --format json is not checked"
fi
assert_contains "$(cat plan.json)" '"cli-good"' "the JSON plan names the runbook"

assert_exit 0 "plan --format markdown exits 0" -- "$RUNBOOK_BIN" plan good.yaml --format markdown
assert_contains "$(last_stdout)" '```sql' "the markdown plan fences SQL"
assert_exit 0 "plan (text) exits 0" -- "$RUNBOOK_BIN" plan good.yaml
assert_contains "$(last_stdout)" 'UPDATE "public".accounts SET active = true WHERE id = 1;' \
  "the text plan shows the rendered SQL"
assert_exit 0 "plan is stable" -- "$RUNBOOK_BIN" plan good.yaml
cp "$LAST_STDOUT" plan-again.txt
run_cmd "$RUNBOOK_BIN" plan good.yaml
assert_true "two plans of the same file are identical" -- cmp -s "$LAST_STDOUT" plan-again.txt

# ---------------------------------------------------------------------------
section "unreadable files"

assert_exit 5 "validate of a missing file: exit 5" -- "$RUNBOOK_BIN" validate no-such-runbook.yaml
assert_contains "$(last_stderr)" "no-such-runbook.yaml" "the missing file is named"
assert_contains "$(last_stderr)" "No such file or directory" "with the reason"

assert_exit 5 "plan of a missing file: exit 5" -- "$RUNBOOK_BIN" plan no-such-runbook.yaml
assert_contains "$(last_stderr)" "No such file or directory" "plan gives the reason"

mkdir -p a-directory.yaml
assert_exit 5 "validate of a directory: exit 5" -- "$RUNBOOK_BIN" validate a-directory.yaml
assert_contains "$(last_stderr)" "directory" "the reason says it is a directory"

cp good.yaml unreadable.yaml
chmod 000 unreadable.yaml
if [[ -r unreadable.yaml ]]; then
  note "running as a user who can read a mode-000 file (root): the permission case is not checked"
else
  assert_exit 5 "validate of an unreadable file: exit 5" -- "$RUNBOOK_BIN" validate unreadable.yaml
  assert_contains "$(last_stderr)" "Permission denied" "the reason says permission denied"
fi
chmod 600 unreadable.yaml

assert_exit 5 "validate of a missing file among good ones: exit 5" -- \
  "$RUNBOOK_BIN" validate good.yaml no-such-runbook.yaml
assert_contains "$(last_stdout)" "good.yaml: ok" "the good file is still checked"

#!/usr/bin/env bash
# lint_test.sh — black-box tests of `runbook lint` (no database): the rule
# list, the three output formats, exit codes (0 clean or warnings only, 1 an
# error-level finding, 5 an invalid file or usage), suppression, and the
# text output of tests/lint/unsafe.yaml against tests/lint/unsafe.lint.txt
# (RUNBOOK_UPDATE_GOLDEN=1 tests/cli/lint_test.sh rewrites it).
#
# RUNBOOK_BIN is the binary (ctest sets it); run from the source tree, so
# that file names in findings are the repository's relative paths.

source "$(dirname "${BASH_SOURCE[0]}")/../integration/lib.sh"
require_runbook
cd "$RUNBOOK_SOURCE_DIR" || die "no source directory"

have_python=0
command -v python3 >/dev/null 2>&1 && have_python=1

# json_get FILE EXPR — evaluates a Python expression over the parsed JSON `j`.
json_get() {
  python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# ---------------------------------------------------------------------------
section "rule list"

assert_exit 0 "lint --list-rules exits 0" -- "$RUNBOOK_BIN" lint --list-rules
assert_match "$(last_stdout)" 'require-concurrent-index +error +CREATE INDEX without CONCURRENTLY' \
  "--list-rules shows id, severity and title"
assert_num "$(last_stdout | wc -l)" -ge 22 "--list-rules lists at least 22 rules"
for id in missing-lock-timeout foreign-key-not-valid set-not-null-without-check \
  validate-in-same-transaction rollback-mismatch check-cannot-fail unknown-lint-rule; do
  assert_contains "$(last_stdout)" "$id" "--list-rules lists $id"
done
if ((have_python)); then
  assert_exit 0 "lint --list-rules --format json exits 0" -- \
    "$RUNBOOK_BIN" lint --list-rules --format json
  cp "$LAST_STDOUT" "$TEST_TMP/rules.json"
  assert_eq "error" "$(json_get "$TEST_TMP/rules.json" \
    '[r["severity"] for r in j if r["id"] == "missing-lock-timeout"][0]')" \
    "--list-rules --format json: id and severity"
fi

# ---------------------------------------------------------------------------
section "usage"

assert_exit 5 "lint without a file: exit 5" -- "$RUNBOOK_BIN" lint
assert_contains "$(last_stderr)" "--list-rules" "lint without a file: says what to give"
assert_exit 5 "lint --format yaml: exit 5" -- "$RUNBOOK_BIN" lint tests/lint/safe.yaml --format yaml
assert_exit 5 "lint of a missing file: exit 5" -- "$RUNBOOK_BIN" lint tests/lint/no-such-file.yaml
assert_exit 5 "lint of an invalid runbook: exit 5" -- \
  "$RUNBOOK_BIN" lint tests/invalid/sql-syntax-error.yaml
assert_contains "$(last_stderr)" 'sql-syntax-error.yaml:9:8: error: SQL: syntax error' \
  "lint of an invalid runbook: the error on stderr"
assert_exit 5 "an invalid file among good ones: exit 5, the others still linted" -- \
  "$RUNBOOK_BIN" lint tests/lint/unsafe.yaml tests/invalid/sql-syntax-error.yaml
assert_contains "$(last_stdout)" "[require-concurrent-index]" "the good file's findings are printed"

# ---------------------------------------------------------------------------
section "exit codes"

assert_exit 0 "a safe runbook: exit 0" -- "$RUNBOOK_BIN" lint tests/lint/safe.yaml
assert_eq "0 errors, 0 warnings, 0 infos in 1 file" "$(last_stdout)" "a safe runbook: no findings"
assert_exit 1 "an unsafe runbook: exit 1" -- "$RUNBOOK_BIN" lint tests/lint/unsafe.yaml
assert_exit 0 "warnings only: exit 0" -- "$RUNBOOK_BIN" lint examples/quickstart.yaml
assert_contains "$(last_stdout)" "warning: [concurrent-index-if-not-exists]" \
  "warnings only: the warning is printed"
assert_exit 1 "several files: exit 1 when one has an error" -- \
  "$RUNBOOK_BIN" lint tests/lint/safe.yaml tests/lint/unsafe.yaml
assert_contains "$(last_stdout)" "in 2 files" "several files: one summary"

# ---------------------------------------------------------------------------
section "text output"

golden=tests/lint/unsafe.lint.txt
"$RUNBOOK_BIN" lint tests/lint/unsafe.yaml >"$TEST_TMP/unsafe.txt" 2>"$TEST_TMP/unsafe.err"
if [[ -n "${RUNBOOK_UPDATE_GOLDEN:-}" ]]; then
  cp "$TEST_TMP/unsafe.txt" "$golden"
  note "rewrote $golden"
fi
if cmp -s "$golden" "$TEST_TMP/unsafe.txt"; then
  pass "text output of unsafe.yaml matches $golden"
else
  fail "text output of unsafe.yaml differs from $golden (RUNBOOK_UPDATE_GOLDEN=1 rewrites it)"
  diff -u "$golden" "$TEST_TMP/unsafe.txt" | head -n 60
fi
text=$(cat "$TEST_TMP/unsafe.txt")
assert_contains "$text" \
  'tests/lint/unsafe.yaml:33:10: error: [require-concurrent-index] `CREATE INDEX orders_placed_idx' \
  "FILE:LINE:COL: severity: [rule-id] message naming the statement"
assert_contains "$text" "  hint: CREATE INDEX CONCURRENTLY" "each finding has a hint line"
assert_contains "$text" "[set-not-null-without-check]" "SET NOT NULL without a CHECK"
assert_contains "$text" "[foreign-key-not-valid]" "FK without NOT VALID"
assert_contains "$text" "[rollback-mismatch] the step adds constraint orders_customer_fk" \
  "a rollback dropping another constraint"
assert_contains "$text" 'error: [unknown-lint-rule] `lint.allow` names no rule "require-concurent-index"' \
  "an unknown rule id in allow"
assert_contains "$text" 'hint: did you mean "require-concurrent-index"?' "with a did-you-mean"
assert_eq "" "$(cat "$TEST_TMP/unsafe.err")" "nothing on stderr for a valid file"
lines=$(grep -E '^tests/lint/unsafe.yaml:[0-9]+:' "$TEST_TMP/unsafe.txt" | cut -d: -f2)
assert_eq "$(sort -n <<<"$lines")" "$lines" "findings sorted by line"
assert_match "$(tail -n 1 "$TEST_TMP/unsafe.txt")" '^[0-9]+ errors, [0-9]+ warnings, [0-9]+ infos in 1 file$' \
  "a summary line last"

# ---------------------------------------------------------------------------
section "github output"

assert_exit 1 "--format github: exit 1" -- "$RUNBOOK_BIN" lint --format github tests/lint/unsafe.yaml
assert_contains "$(last_stdout)" \
  '::error file=tests/lint/unsafe.yaml,line=33,col=10,title=runbook lint require-concurrent-index::' \
  "--format github: workflow commands"
assert_contains "$(last_stdout)" '::warning file=tests/lint/unsafe.yaml,line=13,col=21,' \
  "--format github: warnings as ::warning"
assert_contains "$(last_stdout)" '::notice file=' "--format github: infos as ::notice"
assert_contains "$(last_stdout)" '%0Ahint: ' "--format github: the hint after an escaped newline"

# ---------------------------------------------------------------------------
section "suppression"

assert_exit 0 "an allowed error does not fail" -- "$RUNBOOK_BIN" lint tests/lint/suppressed.yaml
assert_not_contains "$(last_stdout)" "require-concurrent-index" "text output leaves it out"
assert_contains "$(last_stdout)" "(1 suppressed)" "the summary counts it"

# ---------------------------------------------------------------------------
section "json output"

if ((have_python)); then
  assert_exit 0 "--format json of a suppressed finding: exit 0" -- \
    "$RUNBOOK_BIN" lint --format json tests/lint/suppressed.yaml
  cp "$LAST_STDOUT" "$TEST_TMP/suppressed.json"
  assert_eq "True" "$(json_get "$TEST_TMP/suppressed.json" 'j["files"][0]["findings"][0]["suppressed"]')" \
    "--format json keeps the suppressed finding"
  assert_eq "countries has 250 rows and never grows" \
    "$(json_get "$TEST_TMP/suppressed.json" 'j["files"][0]["findings"][0]["why"]')" "... with its why"
  assert_exit 1 "--format json of unsafe.yaml: exit 1" -- \
    "$RUNBOOK_BIN" lint --format json tests/lint/unsafe.yaml
  cp "$LAST_STDOUT" "$TEST_TMP/unsafe.json"
  assert_eq "rule,severity,message,hint,file,line,column,step,rollback,suppressed" \
    "$(json_get "$TEST_TMP/unsafe.json" '",".join(j["files"][0]["findings"][0].keys())')" \
    "--format json: the fields of a finding"
  assert_eq "$(grep -c '^tests/lint/unsafe.yaml:' "$TEST_TMP/unsafe.txt")" \
    "$(json_get "$TEST_TMP/unsafe.json" 'len(j["files"][0]["findings"])')" \
    "--format json: as many findings as the text"
  assert_eq "13" "$(json_get "$TEST_TMP/unsafe.json" 'j["files"][0]["findings"][0]["line"]')" \
    "--format json: line numbers"
else
  note "python3 not found: JSON checks skipped"
fi

# run_lib.sh — helpers for the `runbook run` integration tests
# (tests/integration/run_*_test.sh). Sources lib.sh; source this file instead:
#
#   source "$(dirname "$0")/run_lib.sh"
#   require_cluster; require_runbook; fresh_db main
#   rb_file demo <<'EOF'                 # writes $TEST_TMP/demo.yaml
#   runbook: demo
#   steps: [{ id: a, sql: "CREATE TABLE a (id int);" }]
#   EOF
#   rb_run 0 "demo runs" demo            # runbook run demo.yaml --out <new dir> [args...]
#   assert_eq "a:done" "$(journal_steps demo)" "journal"
#   assert_eq GO "$(report_value "r->>'outcome_text'")" "report.json says GO"
#
# Every run writes its artifacts to a directory of its own ($RB_OUT after
# rb_run); validate_reports checks all the report.json files of the script
# against schemas/report.schema.json in one ajv call.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RB_RUNS=$TEST_TMP/runs
RB_OUT=
_RB_RUN_COUNT=0
mkdir -p "$RB_RUNS"

# rb_file NAME — the runbook text on stdin goes to $TEST_TMP/NAME.yaml.
rb_file() {
  mkdir -p "$(dirname "$TEST_TMP/$1")"
  cat >"$TEST_TMP/$1.yaml"
}

# _rb_next_out — a new artifacts directory, left in RB_OUT.
_rb_next_out() {
  _RB_RUN_COUNT=$((_RB_RUN_COUNT + 1))
  RB_OUT=$RB_RUNS/$(printf '%03d' "$_RB_RUN_COUNT")
}

# rb_run CODE MESSAGE NAME [ARGS...] — `runbook run $TEST_TMP/NAME.yaml --out
# DIR ARGS...` from $TEST_TMP, asserting its exit code. The artifacts are in
# $RB_OUT; the output in last_stdout / last_stderr.
rb_run() {
  local code=$1 msg=$2 name=$3
  shift 3
  _rb_next_out
  assert_exit "$code" "$msg" -- _rb_in_tmp "$RUNBOOK_BIN" run "$name.yaml" --out "$RB_OUT" "$@"
}

# rb_run_quiet NAME [ARGS...] — the same without an assertion (for setup).
rb_run_quiet() {
  local name=$1
  shift
  _rb_next_out
  run_cmd _rb_in_tmp "$RUNBOOK_BIN" run "$name.yaml" --out "$RB_OUT" "$@"
}

_rb_in_tmp() {
  (cd "$TEST_TMP" && timeout -k 10 "${RUNBOOK_TEST_CMD_TIMEOUT:-300}" "$@")
}

# All the run's text output: stdout, stderr.
last_output() { cat "$LAST_STDOUT" "$LAST_STDERR"; }

# ---------------------------------------------------------------------------
# report.json, read with PostgreSQL's jsonb (no other JSON tool is needed)

# json_value FILE EXPR — EXPR is SQL over `r`, the file's JSON as jsonb.
json_value() {
  local file=$1 expr=$2
  [[ -f "$file" ]] || { echo "(no $file)"; return 1; }
  psql -XAtq -v ON_ERROR_STOP=1 -v "j=$(cat "$file")" <<<"SELECT $expr FROM (SELECT :'j'::jsonb AS r) AS x"
}

# report_value EXPR [DIR] — json_value of DIR/report.json (default $RB_OUT).
report_value() { json_value "${2:-$RB_OUT}/report.json" "$1"; }

# report_step ID FIELD [DIR] — one field of one step of report.json, as text.
report_step() {
  report_value "(SELECT s->>'$2' FROM jsonb_array_elements(r->'steps') s WHERE s->>'id' = '$1')" "${3:-}"
}

# report_steps [DIR] — "id:status ..." of every step in report.json, in order.
report_steps() {
  report_value "(SELECT string_agg((s->>'id') || ':' || (s->>'status'), ' ' ORDER BY n)
                 FROM jsonb_array_elements(r->'steps') WITH ORDINALITY AS e(s, n))" "${1:-}"
}

# report_checks ID [DIR] — "kind:held ..." of a step's checks.
report_checks() {
  report_value "(SELECT string_agg((c->>'kind') || ':' || (c->>'held'), ' ' ORDER BY n)
                 FROM jsonb_array_elements(r->'steps') s, jsonb_array_elements(s->'checks')
                      WITH ORDINALITY AS e(c, n) WHERE s->>'id' = '$1')" "${2:-}"
}

# ---------------------------------------------------------------------------
# The journal (schema runbook in $PGDATABASE)

journal_exists() { psql_value "SELECT count(*) FROM pg_namespace WHERE nspname = 'runbook'"; }

# journal_steps RUNBOOK — "step:status ..." of every journal row, oldest first.
journal_steps() {
  psql_value "SELECT coalesce(string_agg(step_id || ':' || status, ' ' ORDER BY seq), '')
              FROM runbook.steps WHERE runbook_id = '$1'"
}

# journal_run RUN_ID COLUMN — one column of the run's row.
journal_run() { psql_value "SELECT $2 FROM runbook.runs WHERE run_id = '$1'"; }

# The run id of the last run (from its report.json).
last_run_id() { report_value "r->>'run_id'"; }

# relation_exists NAME — t/f (NAME as to_regclass reads it).
relation_exists() { psql_value "SELECT to_regclass('$1') IS NOT NULL"; }

# ---------------------------------------------------------------------------
# Artifacts

# assert_artifacts [DIR] — the four artifacts are there.
assert_artifacts() {
  local dir=${1:-$RB_OUT} f
  for f in report.json report.md events.jsonl junit.xml; do
    assert_file_exists "$dir/$f" "artifact $f written"
  done
}

# junit_cases [DIR] — the names of junit.xml's test cases, space-separated.
junit_cases() {
  grep -o '<testcase [^>]*name="[^"]*"' "${1:-$RB_OUT}/junit.xml" | sed 's/.* name="\([^"]*\)"/\1/' |
    tr '\n' ' ' | sed 's/ $//'
}

# validate_reports — every report.json this script produced, against
# schemas/report.schema.json (ajv-cli through npx, as tests/schema does), in
# one call. Noted and skipped when npx or ajv-cli cannot be had.
validate_reports() {
  local files=() f args=() out
  for f in "$RB_RUNS"/*/report.json; do [[ -f "$f" ]] && files+=("$f"); done
  [[ ${#files[@]} -gt 0 ]] || { note "no report.json to validate"; return 0; }
  if ! command -v npx >/dev/null 2>&1; then
    note "npx is not installed: report.json schema check skipped"
    return 0
  fi
  for f in "${files[@]}"; do args+=(-d "$f"); done
  out=$(npx --yes ajv-cli@5 validate --spec=draft2020 --strict=true --all-errors \
          -s "$RUNBOOK_SOURCE_DIR/schemas/report.schema.json" "${args[@]}" 2>&1)
  if ! grep -q ' valid$\| invalid$' <<<"$out"; then
    note "cannot run ajv-cli@5 through npx (offline?): report.json schema check skipped"
    return 0
  fi
  for f in "${files[@]}"; do
    if grep -qxF "$f valid" <<<"$out"; then
      pass "report.json of run ${f#"$RB_RUNS"/} matches the schema"
    else
      fail "report.json of run ${f#"$RB_RUNS"/} matches the schema" "$(grep -A15 -F "$f" <<<"$out")"
    fi
  done
}

# assert_no_secret TEXT... — none of the strings appears in the run's stdout,
# stderr or any artifact of $RB_OUT.
assert_no_secret() {
  local s hits
  for s in "$@"; do
    hits=$(grep -rlF -- "$s" "$LAST_STDOUT" "$LAST_STDERR" "$RB_OUT" 2>/dev/null)
    if [[ -z "$hits" ]]; then
      pass "secret ${s:0:3}… appears nowhere in the output or the artifacts"
    else
      fail "secret ${s:0:3}… appears nowhere in the output or the artifacts" "found in: $hits"
    fi
  done
}

# ---------------------------------------------------------------------------
# Runs in the background, for interrupts and faults

BG_PID=
BG_OUT=

# bg_run NAME [ARGS...] — start `runbook run NAME.yaml` in the background
# (pid in BG_PID, artifacts in BG_OUT, output in BG_OUT.log).
bg_run() {
  local name=$1
  shift
  _rb_next_out
  BG_OUT=$RB_OUT
  (cd "$TEST_TMP" && exec "$RUNBOOK_BIN" run "$name.yaml" --out "$BG_OUT" "$@") \
    </dev/null >"$BG_OUT.log" 2>&1 &
  BG_PID=$!
  at_exit "kill -KILL $BG_PID 2>/dev/null"
}

# wait_until SECONDS SQL — poll until SQL returns t; false on timeout.
wait_until() {
  local deadline=$((SECONDS + $1))
  while ((SECONDS < deadline)); do
    [[ "$(psql_value "$2" 2>/dev/null)" == t ]] && return 0
    sleep 0.1
  done
  return 1
}

# sleeping_in RUNBOOK — SQL: the run's session is in pg_sleep.
sleeping_in() {
  echo "SELECT EXISTS (SELECT FROM pg_stat_activity WHERE application_name = 'runbook:$1'
                       AND state = 'active' AND query LIKE '%pg_sleep%')"
}

# stop_bg SIGNAL — send SIGNAL to the background run and wait for it; sets
# BG_EXIT and BG_MS (milliseconds from the signal to the exit).
stop_bg() {
  local t0 t1
  t0=${EPOCHREALTIME/./}
  kill -"$1" "$BG_PID"
  wait "$BG_PID"
  BG_EXIT=$?
  t1=${EPOCHREALTIME/./}
  BG_MS=$(((t1 - t0) / 1000))
}

# bg_wait — wait for the background run; its exit code in BG_EXIT, its
# artifacts become RB_OUT (for report_value and friends).
bg_wait() {
  wait "$BG_PID"
  BG_EXIT=$?
  RB_OUT=$BG_OUT
}

# kill_backend RUNBOOK — pg_terminate_backend on the run's session.
kill_backend() {
  psql_value "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
              WHERE application_name = 'runbook:$1'" >/dev/null
}

# rb_rollback CODE MESSAGE NAME [ARGS...] — `runbook rollback NAME.yaml --out
# DIR ARGS...` from $TEST_TMP, asserting its exit code (artifacts in $RB_OUT).
rb_rollback() {
  local code=$1 msg=$2 name=$3
  shift 3
  _rb_next_out
  assert_exit "$code" "$msg" -- _rb_in_tmp "$RUNBOOK_BIN" rollback "$name.yaml" --out "$RB_OUT" "$@"
}

# crash_bg RUNBOOK — the background run dies as in a crash (SIGKILL), and its
# session is ended (the server notices a dead client only when it next
# talks to it).
crash_bg() {
  { kill -KILL "$BG_PID" && wait "$BG_PID"; } 2>/dev/null
  kill_backend "$1"
  wait_until 10 "SELECT NOT EXISTS (SELECT FROM pg_stat_activity WHERE application_name = 'runbook:$1')" ||
    fail "the crashed run's session is gone"
}

# fault_tables — acct (100 rows, v = 0) and big (1000 rows) for the fault
# tests, and slow_key(int), which sleeps 10 ms a row so that an index built
# on it over big takes ten seconds (a build to interrupt).
fault_tables() {
  psql_run "CREATE TABLE acct (id int PRIMARY KEY, v int NOT NULL DEFAULT 0);
            INSERT INTO acct (id) SELECT g FROM generate_series(1, 100) g;
            CREATE TABLE big (id int); INSERT INTO big SELECT generate_series(1, 1000);" >/dev/null &&
    slow_key_sleeps 0.01
}

# slow_key_sleeps SECONDS — redefine slow_key's sleep per row (0: instant).
# The same function, so that an index a build left behind still uses it.
slow_key_sleeps() {
  psql_run "CREATE OR REPLACE FUNCTION slow_key(int) RETURNS int LANGUAGE plpgsql IMMUTABLE
            AS \$\$ BEGIN PERFORM pg_sleep($1); RETURN \$1; END \$\$;" >/dev/null
}

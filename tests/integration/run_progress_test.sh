#!/usr/bin/env bash
# `runbook run`: progress of long statements. A statement that runs a while
# shows how long it has run; CREATE INDEX CONCURRENTLY shows its phase and
# how far it got, read from pg_stat_progress_create_index on a second
# connection that is closed afterwards. Not on a terminal every line is
# final (no control characters). RUNBOOK_PROGRESS_INTERVAL makes progress
# show every 200 ms instead of every few seconds, so a log shows it here.
source "$(dirname "$0")/run_lib.sh"
require_cluster
require_runbook
fresh_db main

psql_run "CREATE TABLE big AS SELECT g AS id, md5(g::text) AS t FROM generate_series(1, 200000) g;" >/dev/null

rb_file progress <<'EOF'
runbook: progress
steps:
  - id: index-t
    sql: CREATE INDEX CONCURRENTLY big_t ON big (t);
    rollback: DROP INDEX CONCURRENTLY IF EXISTS big_t;
  - id: nap
    sql: SELECT pg_sleep(1)
    rollback: { irreversible: "a pause" }
EOF

# A writer holds big until it commits: the CIC must wait for it in the phase
# "waiting for writers before build", however fast the machine is.
psql -XAtq -c "BEGIN; LOCK TABLE big IN ROW EXCLUSIVE MODE; SELECT pg_sleep(3); COMMIT;" \
  >/dev/null 2>&1 &
writer=$!
at_exit "kill $writer 2>/dev/null"
wait_for_value 1 "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                  WHERE c.relname = 'big' AND l.mode = 'RowExclusiveLock' AND l.granted" ||
  die "the writer never took its lock"

# ---------------------------------------------------------------------------
section "CREATE INDEX CONCURRENTLY shows its phase; a long statement its time"

RUNBOOK_PROGRESS_INTERVAL=200ms rb_run 0 "the index is built" progress
out=$(last_output)
assert_match "$out" $'\n  … index-t  waiting for writers before build[^\n]*  [0-9.]+ (ms|s)\n' \
  "a progress line names the CIC's phase, with the time it has run"
assert_match "$out" $'\n  … nap  running  [0-9.]+ (ms|s)\n' "a long statement shows it is running"
assert_not_contains "$out" $'\r' "no carriage return when not on a terminal"
assert_not_contains "$out" $'\e' "no escape sequence when not on a terminal"
assert_eq t "$(psql_value "SELECT indisvalid FROM pg_index WHERE indexrelid = 'big_t'::regclass")" \
  "the index is valid"
assert_true "the progress connection is closed after the run" -- \
  wait_for_value 0 "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'runbook:progress:progress'"
assert_contains "$(cat "$RB_OUT/events.jsonl")" "waiting for writers before build" \
  "events.jsonl has the progress too"

# ---------------------------------------------------------------------------
section "without RUNBOOK_PROGRESS_INTERVAL a log is not flooded"

psql_run "DROP INDEX big_t; DROP SCHEMA runbook CASCADE;" >/dev/null
rb_run 0 "the index is built again" progress
assert_not_contains "$(last_output)" "… nap" "a one-second statement prints no progress line in a log"

validate_reports

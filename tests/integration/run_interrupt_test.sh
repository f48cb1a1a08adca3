#!/usr/bin/env bash
# `runbook run`: interrupts (SIGINT/SIGTERM: exit 130, the statement in flight
# cancelled, its transaction rolled back, the run recorded as interrupted),
# one run at a time (a second run exits 6 naming the holder), and a step left
# running by a crash (exit 6, then --resume).
source "$(dirname "$0")/run_lib.sh"
require_cluster
require_runbook

# ---------------------------------------------------------------------------
section "SIGINT during a transactional step"
fresh_db sigint

rb_file sigint <<'EOF'
runbook: sigint
steps:
  - id: make
    sql: CREATE TABLE made (id int);
  - id: slow
    sql: |
      INSERT INTO made VALUES (1);
      SELECT pg_sleep(30);
  - id: never
    sql: CREATE TABLE never_made (id int);
EOF
bg_run sigint
if wait_until 20 "$(sleeping_in sigint)"; then pass "the run reached pg_sleep"; else fail "the run reached pg_sleep" "$(cat "$BG_OUT.log")"; fi
stop_bg INT
assert_eq 130 "$BG_EXIT" "SIGINT: exit 130"
assert_num "$BG_MS" -lt 2000 "it exited within 2 s of the signal (${BG_MS} ms)"
assert_eq 0 "$(psql_value 'SELECT count(*) FROM made')" "the step's transaction was rolled back (no row inserted)"
assert_eq f "$(relation_exists never_made)" "nothing ran after it"
RB_OUT=$BG_OUT
run_id=$(last_run_id)
assert_eq "interrupted" "$(journal_run "$run_id" outcome)" "journal: the run is recorded as interrupted"
assert_eq "interrupted during slow" "$(journal_run "$run_id" summary)" "journal: during which step"
assert_eq t "$(journal_run "$run_id" 'finished_at IS NOT NULL')" "journal: the run has finished"
assert_eq "make:done slow:failed" "$(journal_steps sigint)" "journal: the interrupted step is not done"
assert_eq 57014 "$(psql_value "SELECT error_sqlstate FROM runbook.steps WHERE step_id = 'slow'")" \
  "journal: the step's statement was cancelled (57014)"
assert_eq "interrupted" "$(report_value "r->>'outcome'")" "report.json: interrupted"
assert_eq 130 "$(report_value "r->>'exit_code'")" "report.json: exit code 130"
assert_contains "$(cat "$BG_OUT.log")" "interrupted  ·  exit 130" "the terminal says interrupted"
assert_eq f "$(psql_value "SELECT EXISTS (SELECT FROM pg_stat_activity WHERE application_name = 'runbook:sigint')")" \
  "no session of the run is left"

rb_file sigint <<'EOF'
runbook: sigint
steps:
  - id: make
    sql: CREATE TABLE made (id int);
  - id: slow
    sql: |
      INSERT INTO made VALUES (1);
      SELECT pg_sleep(0.1);
  - id: never
    sql: CREATE TABLE never_made (id int);
EOF
rb_run 0 "run again: the interrupted step runs (it was never done)" sigint
assert_eq "make:skipped slow:done never:done" "$(report_steps)" "report.json: make skipped, the rest ran"
assert_eq 1 "$(psql_value 'SELECT count(*) FROM made')" "the step's row is there once"

# ---------------------------------------------------------------------------
section "SIGTERM during an autocommit step"
fresh_db sigterm

rb_file sigterm <<'EOF'
runbook: sigterm
steps:
  - id: slow
    sql: SELECT pg_sleep(30);
    transaction: false
EOF
bg_run sigterm
wait_until 20 "$(sleeping_in sigterm)" || fail "the run reached pg_sleep" "$(cat "$BG_OUT.log")"
stop_bg TERM
assert_eq 130 "$BG_EXIT" "SIGTERM: exit 130"
assert_num "$BG_MS" -lt 2000 "it exited within 2 s of the signal (${BG_MS} ms)"
RB_OUT=$BG_OUT
assert_eq "interrupted" "$(journal_run "$(last_run_id)" outcome)" "journal: interrupted"
assert_eq "slow:running slow:failed" "$(journal_steps sigterm)" "journal: marked running, then failed"

# ---------------------------------------------------------------------------
section "SIGINT during a command step"
fresh_db command

rb_file command <<'EOF'
runbook: command
steps:
  - id: wait
    command: [sleep, "30"]
EOF
bg_run command
wait_until 20 "SELECT EXISTS (SELECT FROM runbook.steps WHERE step_id = 'wait' AND status = 'running')" ||
  fail "the command step started" "$(cat "$BG_OUT.log")"
sleep 0.3
stop_bg INT
assert_eq 130 "$BG_EXIT" "SIGINT during a command: exit 130"
assert_num "$BG_MS" -lt 2000 "the command was stopped at once (${BG_MS} ms)"
RB_OUT=$BG_OUT
assert_eq "interrupted" "$(report_step wait note)" "report.json: the command step was interrupted"
assert_eq "wait:running wait:failed" "$(journal_steps command)" "journal: running, then failed"

rb_file command-trap <<'EOF'
runbook: command-trap
steps:
  - id: stubborn
    command: trap "" TERM; sleep 30
    shell: true
EOF
bg_run command-trap
wait_until 20 "SELECT EXISTS (SELECT FROM runbook.steps WHERE step_id = 'stubborn' AND status = 'running')" ||
  fail "the command step started" "$(cat "$BG_OUT.log")"
sleep 0.3
stop_bg INT
assert_eq 130 "$BG_EXIT" "a command that ignores SIGTERM: still exit 130"
assert_num "$BG_MS" -lt 8000 "it was killed after a grace period (${BG_MS} ms)"

# ---------------------------------------------------------------------------
section "SIGINT between batches"
fresh_db batch

psql_run "CREATE TABLE b (id int PRIMARY KEY, v int); INSERT INTO b SELECT g, NULL FROM generate_series(1, 100) g;" >/dev/null
rb_file batch <<'EOF'
runbook: batch
steps:
  - id: fill
    sql: UPDATE b SET v = 1 WHERE id IN (SELECT id FROM b WHERE v IS NULL ORDER BY id LIMIT {{ batch.size }});
    batch: { size: 10, pause: 400ms }
EOF
bg_run batch
wait_until 20 "SELECT count(v) >= 20 FROM b" || fail "two batches ran" "$(cat "$BG_OUT.log")"
stop_bg INT
assert_eq 130 "$BG_EXIT" "SIGINT during the pause between batches: exit 130"
assert_num "$BG_MS" -lt 2000 "at once (${BG_MS} ms)"
done_rows=$(psql_value 'SELECT count(v) FROM b')
assert_eq 0 "$((done_rows % 10))" "whole batches only: $done_rows rows (each batch committed or not at all)"
RB_OUT=$BG_OUT
assert_eq "$done_rows" "$(report_step fill rows_affected)" "report.json: the rows of the finished batches"
assert_eq "interrupted after $done_rows rows (finished batches are committed)" "$(report_step fill note)" \
  "report.json: the note says what stays"
assert_eq "fill:running fill:failed" "$(journal_steps batch)" "journal: running, then failed"
sed -i 's/pause: 400ms/pause: 1ms/' "$TEST_TMP/batch.yaml"
rb_run 0 "run again: the batches go on where they stopped" batch
assert_eq "0 $((100 - done_rows))" "$(psql_value 'SELECT count(*) FROM b WHERE v IS NULL') $(report_step fill rows_affected)" \
  "every row done; this run did the rest"

# ---------------------------------------------------------------------------
section "SIGINT during preflight: nothing written"
fresh_db preflight

rb_file preflight <<'EOF'
runbook: preflight
preflight:
  - id: slow-check
    query: SELECT pg_sleep(30) IS NOT NULL AS slept
    expect: { value: t }
steps:
  - id: make
    sql: CREATE TABLE made (id int);
EOF
bg_run preflight
wait_until 20 "$(sleeping_in preflight)" || fail "the run reached pg_sleep" "$(cat "$BG_OUT.log")"
stop_bg INT
assert_eq 130 "$BG_EXIT" "SIGINT in preflight: exit 130"
assert_eq "0 f" "$(journal_exists) $(relation_exists made)" "nothing written, not even the journal"

# ---------------------------------------------------------------------------
section "one run at a time"
fresh_db lock

rb_file lock <<'EOF'
runbook: lock
steps:
  - id: slow
    sql: SELECT pg_sleep(30);
EOF
bg_run lock
holder_out=$BG_OUT
wait_until 20 "$(sleeping_in lock)" || fail "the first run reached pg_sleep" "$(cat "$BG_OUT.log")"
holder_pid=$(psql_value "SELECT pid FROM pg_stat_activity WHERE application_name = 'runbook:lock' AND query LIKE '%pg_sleep%'")
t0=${EPOCHREALTIME/./}
rb_run 6 "a second run of the same runbook: exit 6" lock
t1=${EPOCHREALTIME/./}
assert_num $(((t1 - t0) / 1000)) -lt 5000 "it exits at once, without waiting for the lock"
assert_contains "$(last_stderr)" "another run of \"lock\" holds the lock on this database" "the message says why"
assert_contains "$(last_stderr)" "pid $holder_pid (runbook:lock), user $PGUSER" "the message names the holder"
assert_eq "environment" "$(report_value "r->>'outcome'")" "report.json: environment"
rb_file other <<'EOF'
runbook: other
steps:
  - id: quick
    sql: CREATE TABLE other_made (id int);
EOF
rb_run 0 "another runbook on the same database is not blocked" other
stop_bg INT
assert_eq 130 "$BG_EXIT" "the first run, interrupted: exit 130"
assert_eq "slow:failed" "$(journal_steps lock)" "journal: the second run wrote nothing for the runbook"
assert_eq 2 "$(psql_value "SELECT count(*) FROM runbook.runs")" "journal: two runs recorded (the refused one is not)"

# ---------------------------------------------------------------------------
section "a step left running by a crash, and --resume"
fresh_db crash

rb_file crash <<'EOF'
runbook: crash
steps:
  - id: first
    sql: CREATE TABLE first_made (id int);
  - id: slow
    sql: SELECT pg_sleep(30);
    transaction: false
  - id: last
    sql: CREATE TABLE last_made (id int);
EOF
bg_run crash
wait_until 20 "$(sleeping_in crash)" || fail "the run reached pg_sleep" "$(cat "$BG_OUT.log")"
crash_bg crash
assert_eq "first:done slow:running" "$(journal_steps crash)" "journal: the crash left slow running"
rb_run 6 "a run that finds a step left running: exit 6" crash
assert_contains "$(last_stderr)" 'step "slow" was left running by run' "the message names the step"
assert_contains "$(last_stderr)" "--resume" "the message says how to go on"
assert_eq f "$(relation_exists last_made)" "nothing ran"
sed -i 's/pg_sleep(30)/pg_sleep(0.01)/' "$TEST_TMP/crash.yaml"
rb_run 0 "--resume retries the step left running" crash --resume
assert_eq "first:skipped slow:done last:done" "$(report_steps)" "report.json: first skipped, slow retried, last ran"
assert_eq t "$(relation_exists last_made)" "the last step ran"

# ---------------------------------------------------------------------------
section "a connection lost during a step"
fresh_db lost

rb_file lost <<'EOF'
runbook: lost
on_failure: rollback
steps:
  - id: make
    sql: CREATE TABLE made (id int);
    rollback: DROP TABLE made;
  - id: slow
    sql: SELECT pg_sleep(30);
  - id: never
    sql: CREATE TABLE never_made (id int);
EOF
bg_run lost
wait_until 20 "$(sleeping_in lost)" || fail "the run reached pg_sleep" "$(cat "$BG_OUT.log")"
psql_value "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'runbook:lost'" >/dev/null
wait "$BG_PID"
assert_eq 2 "$?" "the step failed: exit 2"
RB_OUT=$BG_OUT
summary=$(report_value "r->>'summary'")
assert_contains "$summary" "nothing rolled back: the connection was lost" "the summary says why nothing was rolled back"
assert_contains "$summary" "the journal could not record the outcome (the connection was lost) and shows the run as running" \
  "the summary says the journal could not be closed"
assert_eq "running" "$(journal_run "$(last_run_id)" outcome)" "the journal indeed still shows the run running"
assert_eq "t f" "$(relation_exists made) $(relation_exists never_made)" "make stays; nothing ran after"

validate_reports

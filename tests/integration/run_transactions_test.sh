#!/usr/bin/env bash
# `runbook run`: the transaction guarantees — checks (preflight, postflight,
# query steps, `when` queries, non-transactional verify) run READ ONLY and can
# write nothing; a transactional step whose expect or verify fails leaves no
# trace; a non-transactional step whose verify fails keeps its effect and
# says so; session settings and per-step timeouts apply.
source "$(dirname "$0")/run_lib.sh"
require_cluster
require_runbook

# ---------------------------------------------------------------------------
section "checks run in READ ONLY transactions"
fresh_db readonly

psql_run "CREATE SEQUENCE s;
          CREATE TABLE audit (note text);
          CREATE FUNCTION sneaky() RETURNS int LANGUAGE sql AS
            \$\$ INSERT INTO audit VALUES ('written by a check') RETURNING 1 \$\$;" >/dev/null

rb_file pre-nextval <<'EOF'
runbook: pre-nextval
preflight:
  - id: next
    query: SELECT nextval('s') AS v
    expect: { value: 1 }
steps:
  - id: make
    sql: CREATE TABLE made (id int);
EOF
rb_run 1 "a preflight check calling nextval(): NO-GO, exit 1" pre-nextval
assert_contains "$(last_stderr)" "cannot execute nextval() in a read-only transaction" "the server refused it"
assert_eq f "$(psql_value 'SELECT is_called FROM s')" "the sequence did not move"
assert_eq "0 f" "$(journal_exists) $(relation_exists made)" "nothing written"

rb_file pre-function <<'EOF'
runbook: pre-function
preflight:
  - id: sneaky
    query: SELECT sneaky() AS v
    expect: { value: 1 }
EOF
rb_run 1 "a preflight check calling a function that inserts: exit 1" pre-function
assert_contains "$(last_stderr)" "cannot execute INSERT in a read-only transaction" "the server refused it"
assert_eq 0 "$(psql_value 'SELECT count(*) FROM audit')" "nothing was inserted"

rb_file query-step <<'EOF'
runbook: query-step
steps:
  - id: make
    sql: CREATE TABLE made (id int);
  - id: sneaky
    query: SELECT sneaky() AS v
    expect: { value: 1 }
EOF
rb_run 2 "a query step calling a function that inserts: exit 2 (after a write)" query-step
assert_contains "$(last_stderr)" "cannot execute INSERT in a read-only transaction" "the server refused it"
assert_eq 0 "$(psql_value 'SELECT count(*) FROM audit')" "nothing was inserted"

rb_file post-function <<'EOF'
runbook: post-function
postflight:
  - id: sneaky
    query: SELECT sneaky() AS v
    expect: { value: 1 }
EOF
rb_run 3 "a postflight check calling a function that inserts: exit 3" post-function
assert_eq 0 "$(psql_value 'SELECT count(*) FROM audit')" "nothing was inserted"

rb_file when-function <<'EOF'
runbook: when-function
steps:
  - id: make
    sql: CREATE TABLE when_made (id int);
  - id: guarded
    when: { query: "SELECT sneaky() = 1" }
    sql: CREATE TABLE guarded_made (id int);
EOF
rb_run 2 "a when query calling a function that inserts: exit 2" when-function
assert_eq 0 "$(psql_value 'SELECT count(*) FROM audit')" "nothing was inserted"
assert_eq f "$(relation_exists guarded_made)" "the guarded step did not run"

rb_file checks-write <<'EOF'
runbook: checks-write
preflight:
  - id: insert
    query: WITH x AS (INSERT INTO audit VALUES ('cte') RETURNING 1) SELECT * FROM x
    expect: { rows: 1 }
EOF
rb_run 5 "a data-modifying CTE in a check is refused before running: exit 5" checks-write
assert_eq 0 "$(psql_value 'SELECT count(*) FROM audit')" "nothing was inserted"

rb_file checks-set <<'EOF'
runbook: checks-set
preflight:
  - id: escape
    query: SET TRANSACTION READ WRITE; SELECT sneaky() AS v
    expect: { value: 1 }
EOF
rb_run 5 "SET TRANSACTION READ WRITE in a check is refused before running: exit 5" checks-set
assert_eq 0 "$(psql_value 'SELECT count(*) FROM audit')" "nothing was inserted"

# ---------------------------------------------------------------------------
section "a transactional step whose checks fail leaves no trace"
fresh_db notrace

rb_file notrace-expect <<'EOF'
runbook: notrace-expect
steps:
  - id: make
    sql: |
      CREATE TABLE expect_made (id int);
      INSERT INTO expect_made SELECT generate_series(1, 5);
    expect: { affected: 4 }
EOF
rb_run 2 "expect does not hold: exit 2" notrace-expect
assert_eq f "$(relation_exists expect_made)" "the table was not created"
assert_eq "make:failed" "$(journal_steps notrace-expect)" "journal: failed, no done row"
assert_eq "a check did not hold" "$(psql_value "SELECT note FROM runbook.steps WHERE step_id = 'make'")" \
  "journal: why"

rb_file notrace-verify <<'EOF'
runbook: notrace-verify
steps:
  - id: make
    sql: |
      CREATE TABLE verify_made (id int PRIMARY KEY);
      INSERT INTO verify_made SELECT generate_series(1, 5);
    verify:
      query: SELECT count(*) AS n FROM verify_made
      expect: { value: 6 }
EOF
rb_run 2 "verify does not hold: exit 2" notrace-verify
assert_eq f "$(relation_exists verify_made)" "the table was not created (verify ran inside the step's transaction)"
assert_eq "make:failed" "$(journal_steps notrace-verify)" "journal: failed, no done row"
assert_contains "$(last_stderr)" "value: expected value = 6, got 5" "expected and actual"

rb_file verify-sees <<'EOF'
runbook: verify-sees
steps:
  - id: make
    sql: CREATE TABLE seen (id int); INSERT INTO seen VALUES (1), (2);
    verify:
      query: SELECT count(*) AS n FROM seen
      expect: { value: 2 }
EOF
rb_run 0 "verify sees the step's own uncommitted work" verify-sees
assert_eq "make:done" "$(journal_steps verify-sees)" "journal: done"

# ---------------------------------------------------------------------------
section "a non-transactional step whose verify fails keeps its effect"
fresh_db effect

rb_file effect <<'EOF'
runbook: effect
steps:
  - id: table
    sql: CREATE TABLE t (id int);
  - id: index
    sql: CREATE INDEX CONCURRENTLY t_id_idx ON t (id);
    verify:
      query: SELECT count(*) AS n FROM pg_indexes WHERE tablename = 't'
      expect: { value: 2 }
  - id: never
    sql: CREATE TABLE never_made (id int);
EOF
rb_run 2 "verify of an autocommit step does not hold: exit 2" effect
assert_eq t "$(relation_exists t_id_idx)" "the index stays"
assert_eq f "$(relation_exists never_made)" "the run stopped (on_failure: stop)"
assert_eq "table:done index:running index:failed" "$(journal_steps effect)" "journal: running, then failed"
note_text="verify did not hold; the step's effect stays"
assert_eq "$note_text" "$(psql_value "SELECT note FROM runbook.steps WHERE step_id = 'index' AND status = 'failed'")" \
  "journal: the note says the effect stays"
assert_eq "$note_text" "$(report_step index note)" "report.json: the note says the effect stays"
assert_contains "$(last_stderr)" "index: verify did not hold; the step's effect stays" "the terminal says so"
assert_contains "$(cat "$RB_OUT/report.md")" "$note_text" "report.md says so"

# ---------------------------------------------------------------------------
section "session settings and per-step timeouts"
fresh_db session

rb_file session <<'EOF'
runbook: session
session:
  lock_timeout: 1500ms
  statement_timeout: 1min
  application_name: ignored-by-runbook
preflight:
  - id: settings
    query: SELECT current_setting('lock_timeout') AS l, current_setting('statement_timeout') AS s
    expect:
      table: |
        l    | s
        1500ms | 1min
steps:
  - id: quick
    sql: SELECT pg_sleep(0.5);
    statement_timeout: 100ms
  - id: never
    sql: CREATE TABLE never_made (id int);
EOF
rb_run 2 "a step over its statement_timeout fails: exit 2" session
assert_eq "done" "$(report_step settings status)" "the session settings were applied on the run's connection"
assert_eq 57014 "$(report_value "(SELECT s->'error'->>'sqlstate' FROM jsonb_array_elements(r->'steps') s WHERE s->>'id' = 'quick')")" \
  "the step was cancelled by its statement_timeout"
assert_contains "$(last_stderr)" "canceling statement due to statement timeout" "the terminal says why"
# ---------------------------------------------------------------------------
section "COPY to or from the client cannot hang a step"
fresh_db copy

psql_run "CREATE TABLE src (id int); INSERT INTO src SELECT generate_series(1, 5000);" >/dev/null
rb_file copy-out <<'EOF'
runbook: copy-out
steps:
  - id: dump
    sql: CREATE TABLE copy_made (id int); COPY src TO STDOUT;
EOF
RUNBOOK_TEST_CMD_TIMEOUT=30 rb_run 5 "COPY ... TO STDOUT in a step is refused before anything runs: exit 5" copy-out
assert_contains "$(last_stderr)" "copies through the client, which a step cannot" "the terminal says why"
assert_eq f "$(relation_exists copy_made)" "nothing ran"
assert_eq f "$(psql_value "SELECT to_regclass('runbook.steps') IS NOT NULL")" "journal: nothing"
rb_file copy-in <<'EOF'
runbook: copy-in
steps:
  - id: count
    query: SELECT count(*) AS n FROM src
    capture: before
  - id: load
    sql: COPY (SELECT {{ captures.before.value }}) TO STDOUT;
    transaction: false
EOF
RUNBOOK_TEST_CMD_TIMEOUT=30 rb_run 2 "COPY rendered from a capture is refused when it is rendered: exit 2" copy-in
assert_contains "$(last_stderr)" "copies through the client, which a step cannot" "the terminal says why"
assert_eq 5000 "$(psql_value 'SELECT count(*) FROM src')" "nothing was loaded"
assert_eq "count:done load:failed" "$(report_steps)" "report.json: the COPY step failed without running"
# The journal is made before the first step that writes; this run never got there.
assert_eq f "$(psql_value "SELECT to_regclass('runbook.steps') IS NOT NULL")" "journal: nothing"

# ---------------------------------------------------------------------------
section "lock_timeout and retry"
fresh_db retry

psql_run "CREATE TABLE hot (id int); INSERT INTO hot VALUES (1);" >/dev/null
# hold_lock SECONDS — another session holds ACCESS EXCLUSIVE on hot for that long.
hold_lock() {
  psql -XAtq -c "BEGIN" -c "LOCK TABLE hot IN ACCESS EXCLUSIVE MODE" -c "SELECT pg_sleep($1)" -c "COMMIT" \
    </dev/null >/dev/null 2>&1 &
  at_exit "kill $! 2>/dev/null"
  local i
  for ((i = 0; i < 100; i++)); do
    [[ "$(psql_value "SELECT EXISTS (SELECT FROM pg_locks WHERE relation = 'hot'::regclass AND mode = 'AccessExclusiveLock' AND granted)")" == t ]] && return 0
    sleep 0.05
  done
  return 1
}

rb_file retry <<'EOF'
runbook: retry
steps:
  - id: alter
    sql: ALTER TABLE hot ADD COLUMN note text;
    lock_timeout: 100ms
    retry: { attempts: 30, delay: 200ms, backoff: 1, on: [lock_timeout] }
EOF
hold_lock 1.5 || fail "the lock was taken"
rb_run 0 "a step blocked by a lock succeeds on a later attempt" retry
attempts=$(report_step alter attempts)
assert_num "$attempts" -ge 2 "report.json: more than one attempt ($attempts)"
assert_eq "$attempts" "$(psql_value "SELECT attempts FROM runbook.steps WHERE step_id = 'alter'")" "journal: the same attempts"
assert_contains "$(last_stderr)" "alter: canceling statement due to lock timeout (55P03); attempt 2 of 30 in 200ms" \
  "the terminal shows each retry"
assert_eq 1 "$(psql_value "SELECT count(*) FROM pg_attribute WHERE attrelid = 'hot'::regclass AND attname = 'note'")" \
  "the column was added once"

rb_file no-retry <<'EOF'
runbook: no-retry
steps:
  - id: alter
    sql: ALTER TABLE hot ADD COLUMN other text;
    lock_timeout: 100ms
  - id: give-up
    sql: ALTER TABLE hot ADD COLUMN third text;
    lock_timeout: 100ms
    retry: { attempts: 2, delay: 100ms, on: [lock_timeout] }
EOF
hold_lock 5 || fail "the lock was taken"
rb_run 2 "without retry, a lock timeout fails the step: exit 2" no-retry
assert_eq "55P03 1" "$(report_value "(SELECT concat_ws(' ', s->'error'->>'sqlstate', s->>'attempts') FROM jsonb_array_elements(r->'steps') s WHERE s->>'id' = 'alter')")" \
  "report.json: lock_timeout (55P03), one attempt"
rb_run 2 "retries exhausted: exit 2" no-retry --from give-up
assert_eq "55P03 2" "$(report_value "(SELECT concat_ws(' ', s->'error'->>'sqlstate', s->>'attempts') FROM jsonb_array_elements(r->'steps') s WHERE s->>'id' = 'give-up')")" \
  "report.json: lock_timeout after two attempts"

validate_reports

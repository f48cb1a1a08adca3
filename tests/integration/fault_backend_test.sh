#!/usr/bin/env bash
# Faults on the server side of a run: its backend killed during a
# transactional step and during CREATE INDEX CONCURRENTLY (then --resume),
# a statement_timeout hit, a lock held by another session without retry.
# After each, the database and the journal agree, and running again finishes
# the job exactly once. (SIGINT/SIGTERM, two runs at once and a connection
# lost with on_failure: rollback are in run_interrupt_test.sh; lock retries
# that succeed in run_transactions_test.sh.)
source "$(dirname "$0")/run_lib.sh"
require_cluster
require_runbook

# building_index NAME — SQL: the index exists in the catalog and is not valid yet.
building_index() {
  echo "SELECT EXISTS (SELECT FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                       WHERE c.relname = '$1' AND NOT i.indisvalid)"
}

# index_state NAME — "count valid" of the indexes of that name.
index_state() {
  psql_value "SELECT count(*) || ' ' || coalesce(bool_and(i.indisvalid)::text, '-')
              FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = '$1'"
}

# ---------------------------------------------------------------------------
section "backend killed during a transactional step"
fresh_db killtx

fault_tables
rb_file killtx <<'EOF'
runbook: killtx
params:
  pause: { type: number, default: 30 }
steps:
  - id: audit
    sql: CREATE TABLE audit (id int);
  - id: credit
    sql: |
      UPDATE acct SET v = v + 1;
      INSERT INTO audit VALUES (1);
      SELECT pg_sleep({{ params.pause }});
  - id: after
    sql: CREATE TABLE after_made (id int);
EOF
bg_run killtx
wait_until 20 "$(sleeping_in killtx)" || fail "the run reached pg_sleep" "$(cat "$BG_OUT.log")"
kill_backend killtx
bg_wait
assert_eq 2 "$BG_EXIT" "the step failed: exit 2"
assert_eq 57P01 "$(report_value "(SELECT s->'error'->>'sqlstate' FROM jsonb_array_elements(r->'steps') s WHERE s->>'id' = 'credit')")" \
  "report.json: the backend was terminated (57P01)"
assert_eq "0 0 f" "$(psql_value 'SELECT sum(v) FROM acct') $(psql_value 'SELECT count(*) FROM audit') $(relation_exists after_made)" \
  "database: the step's transaction left nothing, nothing ran after it"
assert_eq "audit:done" "$(journal_steps killtx)" "journal: agrees (audit done, credit not)"
rb_run 0 "run again: GO" killtx --set pause=0
assert_eq "audit:skipped credit:done after:done" "$(report_steps)" "report.json: audit skipped, the rest ran"
assert_eq "100 1 t" "$(psql_value 'SELECT sum(v) FROM acct') $(psql_value 'SELECT count(*) FROM audit') $(relation_exists after_made)" \
  "database: every row credited exactly once"
assert_eq "audit:done credit:done after:done" "$(journal_steps killtx)" "journal: each step done once"

# ---------------------------------------------------------------------------
section "backend killed during CREATE INDEX CONCURRENTLY, then --resume"
fresh_db killcic

fault_tables
rb_file killcic <<'EOF'
runbook: killcic
steps:
  - id: index
    sql: CREATE INDEX CONCURRENTLY IF NOT EXISTS big_key ON big (slow_key(id));
  - id: after
    sql: CREATE TABLE after_made (id int);
EOF
bg_run killcic
wait_until 20 "$(building_index big_key)" || fail "the build started" "$(cat "$BG_OUT.log")"
kill_backend killcic
bg_wait
assert_eq 2 "$BG_EXIT" "the step failed: exit 2"
assert_eq "1 false" "$(index_state big_key)" "database: the build left an INVALID index"
assert_eq "index:running" "$(journal_steps killcic)" "journal: the step is left running"
rb_run 6 "a run that finds it left running: exit 6" killcic
assert_contains "$(last_stderr)" 'step "index" was left running' "the message names the step"
slow_key_sleeps 0
rb_run 0 "--resume: GO" killcic --resume
assert_contains "$(last_stderr)" 'index: dropping the INVALID index public.big_key an unfinished build left' \
  "the INVALID index was detected and dropped before the retry"
assert_eq "1 true" "$(index_state big_key)" "database: one index, valid (IF NOT EXISTS did not keep the broken one)"
assert_eq "index:running index:running index:done after:done" "$(journal_steps killcic)" \
  "journal: running, then retried and done; after done"
rb_run 0 "run again: nothing to do" killcic
assert_eq "index:skipped after:skipped" "$(report_steps)" "report.json: both already done"

section "the same with the concurrent-index template"
fresh_db killtpl

fault_tables
rb_file killtpl <<'EOF'
runbook: killtpl
steps:
  - id: idx
    use: concurrent-index
    with: { name: big_key, table: big, columns: "slow_key(id)" }
EOF
tpl=(--templates "$RUNBOOK_SOURCE_DIR/templates")
bg_run killtpl "${tpl[@]}"
wait_until 20 "$(building_index big_key)" || fail "the build started" "$(cat "$BG_OUT.log")"
kill_backend killtpl
bg_wait
assert_eq "2 1 false" "$BG_EXIT $(index_state big_key)" "exit 2; an INVALID index left behind"
assert_eq "idx.create:running" "$(journal_steps killtpl)" "journal: create left running"
slow_key_sleeps 0
rb_run 0 "--resume: GO" killtpl --resume "${tpl[@]}"
assert_eq "idx.drop-invalid:done idx.create:done" "$(report_steps)" \
  "report.json: the template's drop-invalid step ran, then create"
assert_eq "1 true" "$(index_state big_key)" "database: one index, valid"
assert_eq "idx.create:running idx.drop-invalid:running idx.drop-invalid:done idx.create:running idx.create:done" \
  "$(journal_steps killtpl)" "journal: agrees"

# ---------------------------------------------------------------------------
section "statement_timeout hit"
fresh_db timeout

fault_tables
rb_file timeout <<'EOF'
runbook: timeout
params:
  pause: { type: number, default: 2 }
steps:
  - id: credit
    sql: |
      UPDATE acct SET v = v + 1;
      SELECT pg_sleep({{ params.pause }});
    statement_timeout: 300ms
  - id: index
    sql: CREATE INDEX CONCURRENTLY big_key ON big (slow_key(id));
    statement_timeout: 1s
EOF
rb_run 2 "a transactional step over its statement_timeout: exit 2" timeout
assert_eq 57014 "$(report_value "(SELECT s->'error'->>'sqlstate' FROM jsonb_array_elements(r->'steps') s WHERE s->>'id' = 'credit')")" \
  "report.json: cancelled by statement_timeout (57014)"
assert_eq "0 credit:failed 57014" "$(psql_value 'SELECT sum(v) FROM acct') $(journal_steps timeout) $(psql_value "SELECT error_sqlstate FROM runbook.steps WHERE step_id = 'credit'")" \
  "database and journal agree: nothing credited, the step failed with 57014"
rb_run 2 "the index build over its statement_timeout: exit 2" timeout --set pause=0
assert_eq "1 false" "$(index_state big_key)" "database: the cancelled build left an INVALID index"
assert_eq "credit:failed credit:done index:running index:failed" "$(journal_steps timeout)" \
  "journal: credit done; index failed"
slow_key_sleeps 0
rb_run 0 "run again: GO" timeout --set pause=0
assert_contains "$(last_stderr)" "dropping the INVALID index public.big_key" \
  "the INVALID index was dropped before the build (a plain CREATE would fail on its name)"
assert_eq "100 1 true" "$(psql_value 'SELECT sum(v) FROM acct') $(index_state big_key)" \
  "database: credited once, one valid index"
assert_eq "credit:skipped index:done" "$(report_steps)" "report.json: credit skipped, index done"

# ---------------------------------------------------------------------------
section "a lock held by another session, without retry: 55P03, then a re-run"
fresh_db lock

psql_run "CREATE TABLE hot (id int); INSERT INTO hot VALUES (1);" >/dev/null
rb_file lock <<'EOF'
runbook: lock
steps:
  - id: alter
    sql: ALTER TABLE hot ADD COLUMN note text;
    lock_timeout: 200ms
EOF
psql -XAtq -c "BEGIN" -c "LOCK TABLE hot IN ACCESS SHARE MODE" -c "SELECT pg_sleep(3)" -c "COMMIT" \
  </dev/null >/dev/null 2>&1 &
holder=$!
at_exit "kill $holder 2>/dev/null"
wait_until 10 "SELECT EXISTS (SELECT FROM pg_locks WHERE relation = 'hot'::regclass AND granted)" ||
  fail "the other session holds its lock"
rb_run 2 "the step cannot get its lock within lock_timeout: exit 2" lock
assert_eq "55P03 alter:failed 55P03 0" \
  "$(report_value "(SELECT s->'error'->>'sqlstate' FROM jsonb_array_elements(r->'steps') s WHERE s->>'id' = 'alter')") $(journal_steps lock) $(psql_value "SELECT error_sqlstate FROM runbook.steps WHERE step_id = 'alter'") $(psql_value "SELECT count(*) FROM pg_attribute WHERE attrelid = 'hot'::regclass AND attname = 'note'")" \
  "report, journal and database agree: 55P03, failed, no column"
wait "$holder"
rb_run 0 "once the lock is released, a re-run: GO" lock
assert_eq "1 alter:failed alter:done" \
  "$(psql_value "SELECT count(*) FROM pg_attribute WHERE attrelid = 'hot'::regclass AND attname = 'note'") $(journal_steps lock)" \
  "the column added once; journal failed then done"

validate_reports

#!/usr/bin/env bash
# The server restarted (pg_ctl restart -m immediate: a crash) in the middle
# of a run, during a transactional step and during CREATE INDEX
# CONCURRENTLY. Afterwards the database and the journal agree, and running
# again (with --resume where a step was left running) finishes the job
# exactly once. On a cluster of its own: the shared one must not restart.
source "$(dirname "$0")/run_lib.sh"
require_runbook
command -v psql >/dev/null 2>&1 || skip_test "psql is not installed"

CLUSTER=$TEST_TMP/pg
PGC=$SUPPORT_DIR/pg_cluster.sh
unset "${_RB_PG_VARS[@]}"
env_lines=$(bash "$PGC" start "$CLUSTER" 2>"$TEST_TMP/start.err")
rc=$?
[[ $rc -eq 77 ]] && skip_test "no PostgreSQL server binaries"
[[ $rc -eq 0 ]] || die "cannot start a cluster: $(cat "$TEST_TMP/start.err")"
at_exit "bash '$PGC' destroy '$CLUSTER' >/dev/null 2>&1"
eval "$env_lines"

# crash_server — the server is killed and started again; waits until it answers.
crash_server() {
  bash "$PGC" restart "$CLUSTER" immediate >/dev/null 2>"$TEST_TMP/restart.err" ||
    fail "restart immediate" "$(cat "$TEST_TMP/restart.err")"
  local i
  for ((i = 0; i < 100; i++)); do
    psql -XAtq -c 'SELECT 1' </dev/null >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  fail "the server answers after the restart"
}

fault_tables ||
  die "could not set up the database"

rb_file crash <<'EOF'
runbook: crash
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
  - id: index
    sql: CREATE INDEX CONCURRENTLY IF NOT EXISTS big_key ON big (slow_key(id));
  - id: after
    sql: CREATE TABLE after_made (id int);
EOF

# ---------------------------------------------------------------------------
section "restart during a transactional step"
bg_run crash
wait_until 20 "$(sleeping_in crash)" || fail "the run reached pg_sleep" "$(cat "$BG_OUT.log")"
crash_server
bg_wait
assert_eq 2 "$BG_EXIT" "the run stops: exit 2"
assert_eq "0 0 f" "$(psql_value 'SELECT sum(v) FROM acct') $(psql_value 'SELECT count(*) FROM audit') $(relation_exists big_key)" \
  "database: the step in flight left nothing; nothing after it ran"
assert_eq "audit:done" "$(journal_steps crash)" "journal: the committed step survived the crash, the other is not done"
assert_eq running "$(journal_run "$(last_run_id)" outcome)" "journal: the run could not be closed (its server went away)"

# ---------------------------------------------------------------------------
section "restart during CREATE INDEX CONCURRENTLY"
bg_run crash --set pause=0
wait_until 30 "SELECT EXISTS (SELECT FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                              WHERE c.relname = 'big_key' AND NOT i.indisvalid)" ||
  fail "the build started" "$(cat "$BG_OUT.log")"
crash_server
bg_wait
assert_eq 2 "$BG_EXIT" "the run stops: exit 2"
assert_eq "100 1 f" "$(psql_value 'SELECT sum(v) FROM acct') $(psql_value 'SELECT count(*) FROM audit') $(psql_value "SELECT indisvalid FROM pg_index WHERE indexrelid = 'big_key'::regclass")" \
  "database: credit committed once; an INVALID index left"
assert_eq "audit:done credit:done index:running" "$(journal_steps crash)" "journal: agrees (index left running)"
rb_run 6 "a run that finds the step left running: exit 6" crash --set pause=0
slow_key_sleeps 0
rb_run 0 "--resume: GO" crash --set pause=0 --resume
assert_eq "audit:skipped credit:skipped index:done after:done" "$(report_steps)" "report.json: the rest ran once"
assert_eq "100 1 t t" "$(psql_value 'SELECT sum(v) FROM acct') $(psql_value 'SELECT count(*) FROM audit') $(psql_value "SELECT indisvalid FROM pg_index WHERE indexrelid = 'big_key'::regclass") $(relation_exists after_made)" \
  "database: credited once, the index rebuilt valid, the last step ran"
assert_eq "audit:done credit:done index:running index:running index:done after:done" "$(journal_steps crash)" \
  "journal: agrees"

validate_reports

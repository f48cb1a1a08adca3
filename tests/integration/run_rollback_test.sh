#!/usr/bin/env bash
# `runbook run` with on_failure: rollback (or --on-failure rollback): the
# rollbacks of the steps this run completed run newest first, with the same
# transaction rules as step SQL (DROP INDEX CONCURRENTLY in autocommit),
# after a failed step and after a failed postflight; the journal says
# rolled_back.
source "$(dirname "$0")/run_lib.sh"
require_cluster
require_runbook

# ---------------------------------------------------------------------------
section "on_failure: rollback after a failed step"
fresh_db step

rb_file undo <<'EOF'
runbook: undo
on_failure: rollback
steps:
  - id: table
    sql: CREATE TABLE t (id int, v text); INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 100) g;
    rollback: DROP TABLE t;
  - id: index
    sql: CREATE INDEX CONCURRENTLY t_v_idx ON t (v);
    rollback: DROP INDEX CONCURRENTLY t_v_idx;
  - id: column
    sql: ALTER TABLE t ADD COLUMN note text;
    rollback: ALTER TABLE t DROP COLUMN note;
  - id: stats
    sql: ANALYZE t;
    rollback: { irreversible: statistics only }
  - id: broken
    sql: INSERT INTO t (id, note) VALUES (1 / 0, 'x');
    rollback: DELETE FROM t WHERE note = 'x';
  - id: never
    sql: CREATE TABLE never_made (id int);
    rollback: DROP TABLE never_made;
EOF
rb_run 2 "a failed step with on_failure: rollback: exit 2" undo
assert_eq "f f f" "$(relation_exists t) $(relation_exists t_v_idx) $(relation_exists never_made)" \
  "every completed step was undone"
assert_eq "table:done index:running index:done column:done stats:done broken:failed column:rolled_back index:running index:rolled_back table:rolled_back" \
  "$(journal_steps undo)" \
  "journal: rolled back newest first (column, index, table), the irreversible step left alone"
assert_eq "NO-GO: a step failed" "$(journal_run "$(last_run_id)" outcome)" "journal: the run failed at a step"
assert_eq "step broken failed; completed steps rolled back" "$(journal_run "$(last_run_id)" summary)" \
  "journal: summary says the steps were rolled back"
assert_eq "table:rolled_back index:rolled_back column:rolled_back stats:done broken:failed" "$(report_steps)" \
  "report.json: statuses after the rollback"
assert_eq true "$(report_step index rolled_back)" "report.json: rolled_back flag"
out=$(last_stderr)
assert_contains "$out" "rolling back 4 completed step(s), newest first" "the terminal announces the rollback"
assert_contains "$out" "stats: not undone (irreversible: statistics only)" "the terminal says what is not undone, and why"
assert_match "$out" "column: rolled back.*index: rolled back.*table: rolled back" "the terminal shows the order"

# ---------------------------------------------------------------------------
section "the CONCURRENTLY rollback runs in autocommit"
fresh_db cic

rb_file cic <<'EOF'
runbook: cic
on_failure: rollback
steps:
  - id: table
    sql: CREATE TABLE t (id int);
  - id: indexes
    sql: |
      CREATE INDEX CONCURRENTLY t_a ON t (id);
      CREATE INDEX CONCURRENTLY t_b ON t (id DESC);
    rollback: |
      DROP INDEX CONCURRENTLY t_b;
      DROP INDEX CONCURRENTLY t_a;
  - id: broken
    sql: SELECT 1 / 0;
EOF
rb_run 2 "a failed step after CREATE INDEX CONCURRENTLY: exit 2" cic
assert_eq "t f f" "$(relation_exists t) $(relation_exists t_a) $(relation_exists t_b)" \
  "both indexes dropped (DROP INDEX CONCURRENTLY cannot run in a transaction block); the table had no rollback"
assert_eq "table:done indexes:running indexes:done broken:failed indexes:running indexes:rolled_back" "$(journal_steps cic)" \
  "journal: indexes marked running while rolled back in autocommit, then rolled_back"
assert_contains "$(last_stderr)" "table: not undone (no rollback declared)" "the terminal says the table was not undone"

# ---------------------------------------------------------------------------
section "a non-transactional step whose verify fails is undone too"
fresh_db verify

rb_file verify <<'EOF'
runbook: verify
on_failure: rollback
steps:
  - id: table
    sql: CREATE TABLE t (id int);
  - id: index
    sql: CREATE INDEX CONCURRENTLY t_id_idx ON t (id);
    rollback: DROP INDEX CONCURRENTLY t_id_idx;
    verify:
      query: SELECT count(*) AS n FROM pg_indexes WHERE tablename = 't'
      expect: { value: 2 }
EOF
rb_run 2 "verify of an autocommit step fails with on_failure: rollback: exit 2" verify
assert_eq "t f" "$(relation_exists t) $(relation_exists t_id_idx)" \
  "the index the failed step built was dropped (its effect had stayed: on_failure decides)"
assert_eq "table:done index:running index:failed index:running index:rolled_back" "$(journal_steps verify)" \
  "journal: index failed, then rolled back"
assert_eq "failed true" "$(report_step index status) $(report_step index rolled_back)" \
  "report.json: the step stays failed, and is marked rolled back"
assert_contains "$(last_stderr)" "index: verify did not hold; the step ran outside a transaction: rolled back" \
  "the terminal says the step will be rolled back"

# ---------------------------------------------------------------------------
section "--on-failure rollback, and after a failed postflight"
fresh_db flag

rb_file flag <<'EOF'
runbook: flag
on_failure: stop
steps:
  - id: first
    sql: CREATE TABLE first_made (id int); INSERT INTO first_made VALUES (1), (2);
    rollback: DROP TABLE first_made;
  - id: second
    sql: UPDATE first_made SET id = id * 10;
    rollback: UPDATE first_made SET id = id / 10;
postflight:
  - id: sum
    query: SELECT sum(id) AS total FROM first_made
    expect: { value: 3 }
EOF
rb_run 3 "on_failure: stop, a failed postflight: exit 3, nothing undone" flag
assert_eq 30 "$(psql_value 'SELECT sum(id) FROM first_made')" "the change stays"
assert_eq "first:done second:done" "$(journal_steps flag)" "journal: both done"
psql_run "DROP TABLE first_made; DROP SCHEMA runbook CASCADE;" >/dev/null 2>&1
rb_run 3 "--on-failure rollback overrides the file: exit 3" flag --on-failure rollback
assert_eq f "$(relation_exists first_made)" "both steps undone after the failed postflight"
assert_eq "first:done second:done second:rolled_back first:rolled_back" "$(journal_steps flag)" \
  "journal: rolled back, newest first"
assert_eq "postflight check sum failed; completed steps rolled back" "$(journal_run "$(last_run_id)" summary)" \
  "journal: summary"
assert_eq "NO-GO: postflight failed" "$(report_value "r->>'outcome_text'")" "report.json: postflight failed"

# ---------------------------------------------------------------------------
section "only the steps of this run are undone"
fresh_db earlier

rb_file earlier <<'EOF'
runbook: earlier
on_failure: rollback
steps:
  - id: old
    sql: CREATE TABLE old_made (id int);
    rollback: DROP TABLE old_made;
EOF
rb_run 0 "a first run" earlier
rb_file earlier <<'EOF'
runbook: earlier
on_failure: rollback
steps:
  - id: old
    sql: CREATE TABLE old_made (id int);
    rollback: DROP TABLE old_made;
  - id: new
    sql: CREATE TABLE new_made (id int);
    rollback: DROP TABLE new_made;
  - id: broken
    sql: SELECT 1 / 0;
EOF
rb_run 2 "a second run with a new step that fails later: exit 2" earlier
assert_eq "t f" "$(relation_exists old_made) $(relation_exists new_made)" \
  "the step of the earlier run stays; the new one is undone"
assert_eq "old:done new:done broken:failed new:rolled_back" "$(journal_steps earlier)" "journal"

# ---------------------------------------------------------------------------
section "a rollback that fails stops the rollback: exit 4"
fresh_db broken

rb_file broken <<'EOF'
runbook: broken
on_failure: rollback
steps:
  - id: a
    sql: CREATE TABLE a_made (id int);
    rollback: DROP TABLE a_made;
  - id: b
    sql: CREATE TABLE b_made (id int);
    rollback: DROP TABLE b_made; DROP TABLE not_there;
  - id: c
    sql: CREATE TABLE c_made (id int);
    rollback: DROP TABLE c_made;
  - id: fail
    sql: SELECT 1 / 0;
EOF
rb_run 4 "exit 4" broken
assert_eq "t t f" "$(relation_exists a_made) $(relation_exists b_made) $(relation_exists c_made)" \
  "c undone; b's rollback rolled back as a whole (one transaction); a not attempted"
assert_eq "a:done b:done c:done fail:failed c:rolled_back b:done" "$(journal_steps broken)" \
  "journal: c rolled back; b stays done, with its rollback's error"
assert_eq 42P01 "$(psql_value "SELECT error_sqlstate FROM runbook.steps WHERE step_id = 'b' ORDER BY seq DESC LIMIT 1")" \
  "journal: the error of b's rollback is recorded"
assert_eq "c:rolled_back" "$(report_value "(SELECT string_agg((s->>'id') || ':' || (s->>'status'), ' ') FROM jsonb_array_elements(r->'steps') s WHERE (s->>'rolled_back')::boolean)")" \
  "report.json: only c rolled back"

validate_reports

#!/usr/bin/env bash
# `runbook rollback FILE [--to ID]`: undoes what the journal has applied,
# newest first, with the rollbacks the file renders; journals each undo
# (rolled_back); stops before anything for a changed step (exit 5) or an
# irreversible one (exit 1); a rollback that fails half way is exit 4 with
# the journal exact; --dry-run writes nothing; one run at a time.
source "$(dirname "$0")/run_lib.sh"
require_cluster
require_runbook

# ---------------------------------------------------------------------------
section "roll back everything, newest first"
fresh_db all

rb_file undo <<'EOF'
runbook: undo
params:
  table: { type: identifier, default: t }
steps:
  - id: table
    sql: CREATE TABLE {{ params.table }} (id int, v text); INSERT INTO {{ params.table }} SELECT g, 'v' || g FROM generate_series(1, 100) g;
    rollback: DROP TABLE {{ params.table }};
  - id: index
    sql: CREATE INDEX CONCURRENTLY t_v_idx ON {{ params.table }} (v);
    rollback: DROP INDEX CONCURRENTLY IF EXISTS t_v_idx;
  - id: column
    sql: ALTER TABLE {{ params.table }} ADD COLUMN note text;
    rollback: ALTER TABLE {{ params.table }} DROP COLUMN note;
  - id: backup
    command: [true]
  - id: check
    query: SELECT count(*) AS n FROM {{ params.table }}
    expect: { value: 100 }
EOF
rb_run 0 "the runbook runs" undo
rb_rollback 0 "--dry-run: exit 0" undo --dry-run
assert_eq "backup:skipped column:skipped index:skipped table:skipped" "$(report_steps)" \
  "report.json: what would be undone, newest first"
assert_eq "dry_run rollback" "$(report_value "r->>'outcome'") $(report_value "r->>'command'")" "report.json: a dry run of a rollback"
assert_contains "$(last_stderr)" 'ALTER TABLE "t" DROP COLUMN note' "the dry run shows the rendered rollback SQL"
assert_eq "t t" "$(relation_exists t) $(relation_exists t_v_idx)" "the dry run undid nothing"
assert_eq 1 "$(psql_value "SELECT count(*) FROM runbook.runs")" "the dry run wrote no journal row"

rb_rollback 0 "rollback: GO" undo
assert_eq "f f" "$(relation_exists t) $(relation_exists t_v_idx)" "database: everything undone"
assert_eq "backup:skipped column:rolled_back index:rolled_back table:rolled_back" "$(report_steps)" \
  "report.json: newest first; the command without a rollback stays"
assert_eq "not undone (no rollback declared)" "$(report_step backup note)" "report.json: says why backup stays"
rollback_id=$(last_run_id)
assert_eq "table:done index:running index:done column:done backup:running backup:done column:rolled_back index:running index:rolled_back table:rolled_back" \
  "$(journal_steps undo)" "journal: each undo recorded; DROP INDEX CONCURRENTLY marked running before, rolled_back after"
assert_eq "rolling back" "$(psql_value "SELECT note FROM runbook.steps WHERE step_id = 'index' AND status = 'running' AND run_id = '$rollback_id'")" \
  "journal: the running row says it is a rollback"
assert_eq "GO" "$(journal_run "$rollback_id" outcome)" "journal: the rollback is a run of its own, GO"
assert_contains "$(last_stderr)" "rolled back column, index, table" "the terminal sums up"
assert_match "$(last_stderr)" "column.*rolled back.*index.*rolled back.*table.*rolled back" "the terminal shows each step"
run_cmd _rb_in_tmp "$RUNBOOK_BIN" status undo.yaml
assert_match "$(last_stdout)" "table +rolled_back" "status shows the steps rolled back"
assert_match "$(last_stdout)" "backup +done" "status shows the command step still done"

rb_rollback 0 "a second rollback: nothing to do" undo
assert_contains "$(report_value "r->>'summary'")" "nothing to roll back" "report.json: nothing to roll back"
rb_run 0 "run again after the rollback: the undone steps run again" undo
assert_eq "table:done index:done column:done backup:skipped check:done" "$(report_steps)" "report.json"
assert_eq "t t" "$(relation_exists t) $(relation_exists t_v_idx)" "database: applied again"

# ---------------------------------------------------------------------------
section "--to keeps a step and those before it"
rb_rollback 5 "--to a step that does not exist: exit 5" undo --to colum
assert_contains "$(last_stderr)" 'did you mean "column"' "with a did-you-mean"
rb_rollback 0 "--to index: GO" undo --to index
assert_eq "column:rolled_back backup:skipped" "$(report_steps)" "report.json: only what came after index"
assert_eq "t t 0" "$(relation_exists t) $(relation_exists t_v_idx) $(psql_value "SELECT count(*) FROM pg_attribute WHERE attrelid = 't'::regclass AND attname = 'note'")" \
  "database: the table and index stay; the column is gone"

# ---------------------------------------------------------------------------
section "the params of the run"
fresh_db params
rb_run 0 "run with --set table=other" undo --set table=other
rb_rollback 5 "rollback without the run's params: the SQL differs, exit 5" undo
assert_contains "$(last_stderr)" 'step "table" was applied by run' "names the step and its run"
assert_contains "$(last_stderr)" "with different SQL" "says why"
assert_eq t "$(relation_exists other)" "nothing was undone"
rb_rollback 0 "rollback with the same --set: GO" undo --set table=other
assert_eq f "$(relation_exists other)" "undone"

# ---------------------------------------------------------------------------
section "a runbook edited after a step was applied"
fresh_db edited
rb_file edited <<'EOF'
runbook: edited
steps:
  - id: one
    sql: CREATE TABLE one (id int);
    rollback: DROP TABLE one;
  - id: two
    sql: CREATE TABLE two (id int);
    rollback: DROP TABLE two;
EOF
rb_run 0 "applied" edited
applied_run=$(last_run_id)
sed -i 's/CREATE TABLE two (id int)/CREATE TABLE two (id bigint)/' "$TEST_TMP/edited.yaml"
rb_rollback 5 "the step's SQL changed since: exit 5" edited
assert_contains "$(last_stderr)" "step \"two\" was applied by run $applied_run at" "names the step, the run and when"
assert_contains "$(last_stderr)" "--allow-changed" "says how to go on"
assert_eq "t t" "$(relation_exists one) $(relation_exists two)" "database: nothing undone"
assert_eq "one:done two:done" "$(journal_steps edited)" "journal: nothing written"
assert_eq invalid "$(report_value "r->>'outcome'")" "report.json: invalid"
rb_rollback 0 "--allow-changed undoes it with today's rollback" edited --allow-changed
assert_eq "f f" "$(relation_exists one) $(relation_exists two)" "database: both undone"

# ---------------------------------------------------------------------------
section "an irreversible step stops the rollback before anything"
fresh_db irrev
rb_file irrev <<'EOF'
runbook: irrev
steps:
  - id: make
    sql: CREATE TABLE made (id int); INSERT INTO made VALUES (1), (2);
    rollback: DROP TABLE made;
  - id: purge
    sql: DELETE FROM made WHERE id = 2;
    rollback: { irreversible: the deleted rows are gone }
  - id: column
    sql: ALTER TABLE made ADD COLUMN note text;
    rollback: ALTER TABLE made DROP COLUMN note;
EOF
rb_run 0 "applied" irrev
rb_rollback 1 "an irreversible step among those to undo: exit 1" irrev
assert_contains "$(last_stderr)" 'step "purge" is irreversible (the deleted rows are gone)' "says which step and why"
assert_contains "$(last_stderr)" "--to purge" "says how to undo what comes after it"
assert_eq 1 "$(psql_value "SELECT count(*) FROM pg_attribute WHERE attrelid = 'made'::regclass AND attname = 'note'")" \
  "nothing was undone (not even the step after it)"
assert_eq "make:done purge:done column:done" "$(journal_steps irrev)" "journal: nothing written"
rb_rollback 0 "--to purge undoes what came after it" irrev --to purge
assert_eq "column:rolled_back" "$(report_steps)" "report.json"

rb_run 0 "applied again" irrev
rb_rollback 0 "--keep-irreversible: the others are undone, the irreversible one stays" irrev --keep-irreversible
assert_eq "column:rolled_back purge:skipped make:rolled_back" "$(report_steps)" "report.json: newest first"
assert_eq "not undone (irreversible: the deleted rows are gone)" "$(report_step purge note)" \
  "report.json: says why purge stays"

# ---------------------------------------------------------------------------
section "a command step undone by its rollback command"
fresh_db cmdrb
rb_file cmdrb <<'EOF'
runbook: cmdrb
params:
  undo_status: { type: integer, default: 0 }
steps:
  - id: make
    sql: CREATE TABLE made (id int);
    rollback: DROP TABLE made;
  - id: deploy
    command: [sh, -c, 'psql --no-psqlrc -qc "INSERT INTO made VALUES (1)" && echo "$MARK" > deployed']
    environment: { MARK: deployed }
    rollback:
      command: 'psql --no-psqlrc -qc "DELETE FROM made" && rm -f deployed && exit {{ params.undo_status }}'
      shell: true
      timeout: 1min
EOF
rb_run 0 "applied" cmdrb
assert_eq "1 deployed" "$(psql_value "SELECT count(*) FROM made") $(cat "$TEST_TMP/deployed")" \
  "the command ran against the target, with its environment"
rb_rollback 4 "a rollback command exiting 3: exit 4" cmdrb --set undo_status=3
assert_contains "$(report_step deploy rollback_error)" "exited with status 3" "report.json: the rollback's exit status"
assert_eq done "$(psql_value "SELECT status FROM runbook.steps WHERE step_id = 'deploy' ORDER BY seq DESC LIMIT 1")" \
  "journal: the step stays done"
assert_eq 1 "$(psql_value "SELECT count(*) FROM runbook.steps WHERE step_id = 'deploy' AND status = 'running' AND note = 'rolling back'")" \
  "journal: marked running (rolling back) before its rollback ran"
assert_eq t "$(relation_exists made)" "the failed rollback stopped the rest"
rb_rollback 0 "a rollback command exiting 0: undone" cmdrb
assert_eq "deploy:rolled_back make:rolled_back" "$(report_steps)" \
  "report.json: the command step rolled back, then the SQL one"
assert_true "the rollback command ran (the file it removes is gone)" -- test ! -e "$TEST_TMP/deployed"
assert_eq f "$(relation_exists made)" "database: undone"

# ---------------------------------------------------------------------------
section "a rollback that fails half way: exit 4, the journal exact"
fresh_db broken
rb_file broken <<'EOF'
runbook: broken
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
  - id: idx
    sql: CREATE INDEX CONCURRENTLY a_idx ON a_made (id);
    rollback: |
      DROP INDEX CONCURRENTLY a_idx;
      DROP INDEX CONCURRENTLY not_there_idx;
EOF
rb_run 0 "applied" broken
rb_rollback 4 "the autocommit rollback fails at its second statement: exit 4" broken
assert_eq "f t t t" "$(relation_exists a_idx) $(relation_exists a_made) $(relation_exists b_made) $(relation_exists c_made)" \
  "database: its first statement ran; nothing after it"
assert_eq "idx:running idx:done" "$(psql_value "SELECT string_agg(step_id || ':' || status, ' ' ORDER BY seq) FROM runbook.steps WHERE run_id = '$(last_run_id)'")" \
  "journal: marked running, then back to done with the error"
assert_eq "42704 rollback failed at its statement 2 of 2; the ones before ran" \
  "$(psql_value "SELECT error_sqlstate || ' ' || note FROM runbook.steps WHERE run_id = '$(last_run_id)' AND status = 'done'")" \
  "journal: the error and how far the rollback got"
assert_eq "NO-GO: a rollback failed" "$(journal_run "$(last_run_id)" outcome)" "journal: the rollback run failed"
sed -i 's/      DROP INDEX CONCURRENTLY a_idx;/      DROP INDEX CONCURRENTLY IF EXISTS a_idx;/; s/DROP INDEX CONCURRENTLY not_there_idx/DROP INDEX CONCURRENTLY IF EXISTS not_there_idx/' \
  "$TEST_TMP/broken.yaml"
rb_rollback 4 "fixed, then b's transactional rollback fails: exit 4" broken
assert_eq "idx:running idx:rolled_back c:rolled_back b:done" \
  "$(psql_value "SELECT string_agg(step_id || ':' || status, ' ' ORDER BY seq) FROM runbook.steps WHERE run_id = '$(last_run_id)'")" \
  "journal: idx and c rolled back, b stays done with its error"
assert_eq "t t f" "$(relation_exists a_made) $(relation_exists b_made) $(relation_exists c_made)" \
  "database: agrees (b's rollback rolled back as a whole; a not attempted)"
assert_eq "42P01" "$(psql_value "SELECT error_sqlstate FROM runbook.steps WHERE run_id = '$(last_run_id)' AND step_id = 'b'")" \
  "journal: b's rollback error recorded"
assert_eq "idx:rolled_back c:rolled_back b:done" "$(report_steps)" "report.json: agrees"
assert_contains "$(report_value "r->>'summary'")" "rollback of b failed" "report.json: the summary names the step"
assert_contains "$(report_value "r->>'summary'")" "rolled back before it: idx, c" "report.json: and what was undone before"
assert_contains "$(last_stderr)" "rollback failed" "the terminal says so"
sed -i 's/DROP TABLE b_made; DROP TABLE not_there;/DROP TABLE b_made;/' "$TEST_TMP/broken.yaml"
rb_rollback 0 "fixed again: the rest is undone" broken
assert_eq "b:rolled_back a:rolled_back" "$(report_steps)" "report.json: only b and a remained"
assert_eq "f f f" "$(relation_exists a_made) $(relation_exists b_made) $(relation_exists c_made)" "database: all undone"

# ---------------------------------------------------------------------------
section "one run at a time, and a step left running"
fresh_db busy
rb_file busy <<'EOF'
runbook: busy
steps:
  - id: make
    sql: CREATE TABLE made (id int);
    rollback: DROP TABLE made;
  - id: slow
    sql: SELECT pg_sleep(30);
    transaction: false
EOF
bg_run busy
wait_until 20 "$(sleeping_in busy)" || fail "the run reached pg_sleep" "$(cat "$BG_OUT.log")"
rb_rollback 6 "a rollback while the runbook runs: exit 6" busy
assert_contains "$(last_stderr)" "holds the lock on this database" "names the lock"
crash_bg busy
rb_rollback 6 "a step left running by a crashed run: exit 6" busy
assert_contains "$(last_stderr)" 'step "slow" was left running' "names the step"
assert_contains "$(last_stderr)" "--resume" "says what to do"
assert_eq t "$(relation_exists made)" "nothing undone"

# ---------------------------------------------------------------------------
section "--format json"
fresh_db json
rb_file json <<'EOF'
runbook: json
steps:
  - id: make
    sql: CREATE TABLE made (id int);
    rollback: DROP TABLE made;
EOF
rb_run 0 "applied" json
rb_rollback 0 "rollback --format json" json --format json
assert_contains "$(last_stdout)" '"command": "rollback"' "report.json on stdout"
assert_eq "" "$(last_stderr)" "nothing on stderr"

validate_reports

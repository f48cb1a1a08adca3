#!/usr/bin/env bash
# `runbook run`: every exit code of DESIGN §4 (130 is in run_interrupt_test.sh),
# with what the journal and the artifacts say about each.
source "$(dirname "$0")/run_lib.sh"
require_cluster
require_runbook

# ---------------------------------------------------------------------------
section "0: GO"
fresh_db go

rb_file go <<'EOF'
runbook: go
title: Everything holds
preflight:
  - id: empty
    query: SELECT count(*) AS n FROM pg_class WHERE relname = 'made'
    expect: { value: 0 }
steps:
  - id: make
    sql: CREATE TABLE made (id int); INSERT INTO made VALUES (1);
postflight:
  - id: there
    query: SELECT count(*) AS n FROM made
    expect: { value: 1 }
EOF
rb_run 0 "GO: exit 0" go
run_id=$(last_run_id)
assert_eq "GO" "$(journal_run "$run_id" outcome)" "journal: run outcome GO"
assert_eq "every step ran and every check held" "$(journal_run "$run_id" summary)" "journal: summary"
assert_eq t "$(journal_run "$run_id" 'finished_at IS NOT NULL')" "journal: finished_at set"
assert_eq "go|Everything holds|go.yaml" "$(journal_run "$run_id" "runbook_id || '|' || title || '|' || file")" \
  "journal: runbook id, title and file"
assert_eq "empty:done make:done there:done" "$(report_steps)" "report.json: every step done"
assert_contains "$(last_stderr)" "GO  ·  exit 0" "the terminal says GO and the exit code"
assert_artifacts

# ---------------------------------------------------------------------------
section "0: GO with warnings"
fresh_db warn

rb_file warn <<'EOF'
runbook: warn
preflight:
  - id: soft
    query: SELECT 2 AS v
    expect: { value: 1 }
    gate: warn
steps:
  - id: make
    sql: CREATE TABLE made (id int);
postflight:
  - id: soft-post
    query: SELECT 0 AS n
    expect: { value: { gt: 0 } }
    gate: warn
EOF
rb_run 0 "failed checks with gate: warn: exit 0" warn
assert_eq "GO with warnings" "$(journal_run "$(last_run_id)" outcome)" "journal: GO with warnings"
assert_eq "soft:warned make:done soft-post:warned" "$(report_steps)" "report.json: the checks warned, the step ran"
assert_eq t "$(relation_exists made)" "the step ran after the warned preflight check"
assert_contains "$(last_stderr)" "GO with warnings  ·  exit 0" "the terminal says GO with warnings"
assert_contains "$(grep -A3 'name="soft"' "$RB_OUT/junit.xml")" "system-out" \
  "junit.xml: a warned check passes, with the warning in system-out"

# ---------------------------------------------------------------------------
section "1: NO-GO at preflight, nothing written"
fresh_db nogo

rb_file nogo <<'EOF'
runbook: nogo
preflight:
  - id: ok
    query: SELECT 1 AS v
    expect: { value: 1 }
  - id: not-ok
    query: SELECT 2 AS v
    expect: { value: 1 }
steps:
  - id: make
    sql: CREATE TABLE made (id int);
postflight:
  - id: post
    query: SELECT 1 AS v
    expect: { value: 1 }
EOF
rb_run 1 "a failed preflight gate: exit 1" nogo
assert_eq 0 "$(journal_exists)" "the runbook schema does not exist afterwards"
assert_eq f "$(relation_exists made)" "the step did not run"
assert_eq "ok:done not-ok:failed" "$(report_steps)" "report.json: the gates up to the failing one"
assert_eq "NO-GO" "$(report_value "r->>'outcome_text'")" "report.json: NO-GO"
assert_eq "false" "$(report_value "r->'journal_written'")" "report.json: journal not written"
assert_contains "$(last_stderr)" "NO-GO at not-ok; nothing was written" "the terminal names the gate"
assert_contains "$(cat "$RB_OUT/report.md")" "Journal | not written" "report.md: journal not written"

# ---------------------------------------------------------------------------
section "2: a step failed, or its expect/verify did not hold"
fresh_db failed

rb_file step-error <<'EOF'
runbook: step-error
steps:
  - id: first
    sql: CREATE TABLE first_made (id int);
  - id: broken
    sql: SELECT 1 / 0;
  - id: never
    sql: CREATE TABLE never_made (id int);
postflight:
  - id: post
    query: SELECT 1 AS v
    expect: { value: 1 }
EOF
rb_run 2 "a step with an SQL error: exit 2" step-error
run_id=$(last_run_id)
assert_eq "NO-GO: a step failed" "$(journal_run "$run_id" outcome)" "journal: the run failed at a step"
assert_eq "step broken failed" "$(journal_run "$run_id" summary)" "journal: summary names the step"
assert_eq "first:done broken:failed" "$(journal_steps step-error)" "journal: first done, broken failed"
assert_eq "22012|division by zero" \
  "$(psql_value "SELECT error_sqlstate || '|' || error_message FROM runbook.steps WHERE step_id = 'broken'")" \
  "journal: the error"
assert_eq "t f" "$(relation_exists first_made) $(relation_exists never_made)" \
  "the first step stays (on_failure: stop), nothing after the failure ran"
assert_eq "first:done broken:failed" "$(report_steps)" "report.json: postflight did not run"

rb_file step-expect <<'EOF'
runbook: step-expect
steps:
  - id: fill
    sql: CREATE TABLE filled AS SELECT g AS id FROM generate_series(1, 3) g;
    expect: { affected: 4 }
EOF
rb_run 2 "a step whose expect does not hold: exit 2" step-expect
assert_eq f "$(relation_exists filled)" "and it left no trace"
assert_contains "$(last_stderr)" "affected: expected 4 rows affected, got 3 rows affected" "expected and actual"

rb_file step-verify <<'EOF'
runbook: step-verify
steps:
  - id: fill
    sql: CREATE TABLE verified AS SELECT g AS id FROM generate_series(1, 3) g;
    verify:
      query: SELECT count(*) AS n FROM verified
      expect: { value: 4 }
EOF
rb_run 2 "a step whose verify does not hold: exit 2" step-verify
assert_eq f "$(relation_exists verified)" "and it left no trace"
assert_eq "fill:failed" "$(journal_steps step-verify)" "journal: failed, never done"

# ---------------------------------------------------------------------------
section "3: postflight failed"
fresh_db post

rb_file post <<'EOF'
runbook: post
steps:
  - id: make
    sql: CREATE TABLE made (id int); INSERT INTO made VALUES (1), (2);
postflight:
  - id: count
    query: SELECT count(*) AS n FROM made
    expect: { value: 3 }
  - id: never-checked
    query: SELECT 1 AS v
    expect: { value: 1 }
EOF
rb_run 3 "a failed postflight check: exit 3" post
run_id=$(last_run_id)
assert_eq "NO-GO: postflight failed" "$(journal_run "$run_id" outcome)" "journal: postflight failed"
assert_eq "postflight check count failed" "$(journal_run "$run_id" summary)" "journal: summary names the check"
assert_eq t "$(relation_exists made)" "the step's change stays (on_failure: stop)"
assert_eq "make:done count:failed" "$(report_steps)" "report.json: the checks after the failure did not run"
assert_contains "$(last_stderr)" "value: expected value = 3, got 2" "expected and actual"

rb_run 3 "run again: the step is skipped (done), postflight still fails: exit 3" post
assert_eq "make:skipped count:failed" "$(report_steps)" "report.json: make skipped, count failed"

# ---------------------------------------------------------------------------
section "4: a rollback failed"
fresh_db rbfail

rb_file rbfail <<'EOF'
runbook: rbfail
on_failure: rollback
steps:
  - id: first
    sql: CREATE TABLE first_made (id int);
    rollback: DROP TABLE first_made;
  - id: second
    sql: CREATE TABLE second_made (id int);
    rollback: DROP TABLE no_such_table;
  - id: broken
    sql: SELECT 1 / 0;
EOF
rb_run 4 "a rollback that errors: exit 4" rbfail
run_id=$(last_run_id)
assert_eq "NO-GO: a rollback failed" "$(journal_run "$run_id" outcome)" "journal: a rollback failed"
assert_contains "$(journal_run "$run_id" summary)" \
  'rollback of second failed: table "no_such_table" does not exist' "journal: summary says which rollback and why"
assert_eq "t t" "$(relation_exists first_made) $(relation_exists second_made)" \
  "rolling back stopped at the failed rollback (first was not undone after it)"
assert_eq "first:done second:done broken:failed second:done" "$(journal_steps rbfail)" \
  "journal: nothing rolled back; second stays done, with its rollback's error"
assert_eq '"no_such_table" does not exist' \
  "$(report_value "(SELECT substring(s->'rollback_error'->>'message' from '\"[a-z_]+\" does not exist') FROM jsonb_array_elements(r->'steps') s WHERE s->>'id' = 'second')")" \
  "report.json: the rollback error on its step"
assert_contains "$(last_stderr)" "rollback failed" "the terminal says a rollback failed"
assert_contains "$(grep -A4 'name="second"' "$RB_OUT/junit.xml")" "<failure" \
  "junit.xml: the step whose rollback failed is a failure"

# ---------------------------------------------------------------------------
section "5: invalid runbook, params or usage; nothing ran"
fresh_db invalid

rb_file bad-key <<'EOF'
runbook: bad-key
stepz:
  - id: make
    sql: CREATE TABLE made (id int);
EOF
rb_run 5 "an unknown top-level key: exit 5" bad-key
assert_contains "$(last_stderr)" "steps" "the error gives a hint"

rb_file params <<'EOF'
runbook: params
params:
  n: { type: integer, min: 1 }
  name: { type: identifier, default: made }
steps:
  - id: make
    sql: CREATE TABLE {{ params.name }} (id int DEFAULT {{ params.n }});
EOF
rb_run 5 "a required param missing: exit 5" params
rb_run 5 "an integer param that is not one: exit 5" params --set "n=1; DROP TABLE x"
rb_run 5 "an integer param below min: exit 5" params --set n=0
rb_run 5 "--set of an undeclared param: exit 5" params --set n=1 --set nope=2
assert_contains "$(last_stderr)" "nope" "the error names the param"
rb_run 5 "--from a step that does not exist: exit 5" params --set n=1 --from mkae
assert_contains "$(last_stderr)" 'did you mean "make"' "--from: did you mean"
rb_run 5 "--only a step that does not exist: exit 5" params --set n=1 --only nothing
assert_eq "0 f" "$(journal_exists) $(relation_exists made)" "none of them wrote anything"

rb_file changed <<'EOF'
runbook: changed
params:
  width: { type: integer, default: 10 }
steps:
  - id: one
    sql: CREATE TABLE one (v varchar({{ params.width }}));
  - id: two
    sql: CREATE TABLE two (id int);
EOF
rb_run 0 "first run: GO" changed
first_run=$(last_run_id)
rb_file changed <<'EOF'
runbook: changed
params:
  width: { type: integer, default: 10 }
steps:
  - id: zero
    sql: CREATE TABLE zero (id int);
  - id: one
    sql: CREATE TABLE one (v varchar({{ params.width }}));
  - id: two
    sql: CREATE TABLE two (id int);
EOF
rb_run 5 "a done step whose rendered SQL changed (--set width=20): exit 5" changed --set width=20
assert_contains "$(last_stderr)" "step \"one\" was applied by run $first_run" "the error names the step and the run"
assert_contains "$(last_stderr)" "different SQL" "the error says the SQL changed"
assert_eq f "$(relation_exists zero)" "the new step before it did not run: nothing ran"
assert_eq 0 "$(psql_value "SELECT count(*) FROM runbook.runs WHERE run_id = '$(last_run_id)'")" \
  "journal: the refused run wrote no row"
assert_eq "one:done two:done" "$(journal_steps changed)" "journal: no step row was added"
assert_eq "invalid" "$(report_value "r->>'outcome'")" "report.json: invalid"
assert_eq 5 "$(report_value "r->>'exit_code'")" "report.json: exit code 5"
rb_run 0 "the same params as before: GO (the new step runs, the others are skipped)" changed
assert_eq "zero:done one:skipped two:skipped" "$(report_steps)" "report.json: zero ran, one and two skipped"

# ---------------------------------------------------------------------------
section "6: cannot connect"
fresh_db conn

rb_file conn <<'EOF'
runbook: conn
steps:
  - id: make
    sql: CREATE TABLE made (id int);
EOF
SECRET=Hunter2Conn
rb_run 6 "a database that does not exist: exit 6" conn \
  --db "postgresql://$PGUSER:$SECRET@/no_such_database_here?host=$PGHOST&port=$PGPORT"
assert_contains "$(last_stderr)" 'database "no_such_database_here" does not exist' "libpq's reason is shown"
assert_contains "$(last_stderr)" "cannot connect" "the terminal says it could not connect"
assert_eq "environment" "$(report_value "r->>'outcome'")" "report.json: environment"
assert_no_secret "$SECRET"
rb_run 6 "a socket directory where no server listens: exit 6" conn \
  --db "postgresql://$PGUSER:$SECRET@/$FRESH_DB?host=$TEST_TMP&port=$PGPORT"
assert_contains "$(last_stderr)" "No such file or directory" "libpq's reason is shown"
assert_no_secret "$SECRET"
rb_run 6 "a malformed URL: exit 6" conn --db "postgresql://$PGUSER:$SECRET@/x?host=$PGHOST&bogus=1"
assert_contains "$(last_stderr)" 'invalid URI query parameter: "bogus"' "libpq's reason is shown"
assert_no_secret "$SECRET"
assert_eq "0 f" "$(journal_exists) $(relation_exists made)" "nothing was written"

section "6: the journal cannot be created"
fresh_db nojournal

LOWPRIV=rbt_exit_codes_lowpriv
psql_run "SET client_min_messages = warning; DROP ROLE IF EXISTS $LOWPRIV; CREATE ROLE $LOWPRIV LOGIN;
          REVOKE CREATE ON DATABASE \"$FRESH_DB\" FROM PUBLIC; GRANT CREATE ON SCHEMA public TO $LOWPRIV;" >/dev/null
at_exit "psql -XAtq -c 'REASSIGN OWNED BY $LOWPRIV TO CURRENT_USER' -c 'DROP OWNED BY $LOWPRIV' -c 'DROP ROLE IF EXISTS $LOWPRIV' >/dev/null 2>&1"
rb_run 6 "a role that may not create the journal schema: exit 6, not a failed step" conn \
  --db "postgresql://$LOWPRIV@/$FRESH_DB?host=$PGHOST&port=$PGPORT"
assert_contains "$(last_stderr)" "could not create or open the journal (schema runbook): permission denied for database" \
  "the summary says why"
assert_eq "0 f" "$(journal_exists) $(relation_exists made)" "nothing was written"

validate_reports

#!/usr/bin/env bash
# `runbook run` modes: --dry-run (renders everything, runs preflight only,
# writes nothing), --from ID, --only ID, re-running a runbook (done steps are
# skipped), --rerun, `when` and `foreach`, captures used by later steps.
source "$(dirname "$0")/run_lib.sh"
require_cluster
require_runbook

# ---------------------------------------------------------------------------
section "--dry-run"
fresh_db dry

rb_file dry <<'EOF'
runbook: dry
params:
  table: { type: identifier, default: made }
  n: { type: integer, default: 1 }
preflight:
  - id: pg
    query: SELECT current_setting('server_version_num')::int AS v
    expect: { value: { ge: 100000 } }
steps:
  - id: make
    sql: CREATE TABLE {{ params.table }} (id int);
  - id: index
    sql: CREATE INDEX CONCURRENTLY made_idx ON {{ params.table }} (id);
  - id: cmd
    command: [sh, -c, 'echo ran > ran.txt']
postflight:
  - id: there
    query: SELECT count(*) AS n FROM {{ params.table }}
    expect: { value: 0 }
EOF
rb_run 0 "--dry-run with a passing preflight: exit 0" dry --dry-run
assert_eq "0 f" "$(journal_exists) $(relation_exists made)" "nothing written: no journal schema, no table"
assert_eq f "$(psql_value "SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname NOT IN ('public', 'information_schema') AND nspname NOT LIKE 'pg\\_%')")" \
  "no schema of any kind was created"
[[ -e "$TEST_TMP/ran.txt" ]] && fail "the command step did not run" || pass "the command step did not run"
assert_eq "pg:done make:skipped index:skipped cmd:skipped there:skipped" "$(report_steps)" \
  "report.json: preflight ran, every other step skipped"
assert_eq "dry run" "$(report_step make note)" "report.json: skipped because of the dry run"
assert_eq "dry_run" "$(report_value "r->>'outcome'")" "report.json: outcome dry_run"
assert_eq true "$(report_value "r->'dry_run'")" "report.json: dry_run true"
assert_contains "$(last_stderr)" "dry run: preflight only, nothing is written" "the terminal says it is a dry run"

rb_run 5 "--dry-run checks the params: a bad one is exit 5" dry --dry-run --set n=one
rb_file dry-render <<'EOF'
runbook: dry-render
steps:
  - id: broken
    sql: CREATE TABLE x ({{ params.nope }} int);
EOF
rb_run 5 "--dry-run renders everything: an undefined name in a step is exit 5" dry-render --dry-run
assert_contains "$(last_stderr)" "undefined name" "the error says what is wrong"

rb_file dry-nogo <<'EOF'
runbook: dry-nogo
preflight:
  - id: fails
    query: SELECT 1 AS v
    expect: { value: 2 }
steps:
  - id: make
    sql: CREATE TABLE made (id int);
EOF
rb_run 1 "--dry-run with a failing preflight: exit 1" dry-nogo --dry-run
assert_eq 0 "$(journal_exists)" "nothing written"

rb_run 0 "a real run after the dry run" dry
rb_run 0 "--dry-run once the journal exists: still exit 0" dry --dry-run
assert_eq "make:done index:running index:done cmd:running cmd:done" "$(journal_steps dry)" \
  "the dry run added nothing to the journal"
assert_eq 1 "$(psql_value 'SELECT count(*) FROM runbook.runs')" "one run in the journal"

# ---------------------------------------------------------------------------
section "--from and --only"
fresh_db select

rb_file select <<'EOF'
runbook: select
preflight:
  - id: pre
    query: SELECT 1 AS v
    expect: { value: 1 }
steps:
  - id: a
    sql: CREATE TABLE a (id int);
  - id: b
    sql: CREATE TABLE b (id int);
  - id: c
    foreach: [1, 2]
    sql: CREATE TABLE c{{ item | raw }} (id int);
  - id: d
    sql: CREATE TABLE d (id int);
postflight:
  - id: post
    query: SELECT 1 AS v
    expect: { value: 1 }
EOF
rb_run 0 "--only b" select --only b
assert_eq "f t f f" "$(relation_exists a) $(relation_exists b) $(relation_exists c1) $(relation_exists d)" \
  "only b ran"
assert_eq "pre:done a:skipped b:done c[0]:skipped c[1]:skipped d:skipped post:done" "$(report_steps)" \
  "report.json: preflight and postflight ran, the other steps skipped"
assert_eq "not selected by --only b" "$(report_step a note)" "report.json: why a was skipped"
rb_run 0 "--only c (a foreach step: every item)" select --only c
assert_eq "t t f" "$(relation_exists c1) $(relation_exists c2) $(relation_exists d)" "c[0] and c[1] ran, d did not"
rb_run 0 "--from c" select --from c
assert_eq "f t" "$(relation_exists a) $(relation_exists d)" "a was not run; d was"
assert_eq "pre:done a:skipped b:skipped c[0]:skipped c[1]:skipped d:done post:done" "$(report_steps)" \
  "report.json: before --from skipped; c done already; d ran"
assert_eq "before --from c" "$(report_step a note)" "report.json: why a was skipped"
assert_eq "b:done c[0]:done c[1]:done d:done" "$(journal_steps select)" "journal: a never ran"

# ---------------------------------------------------------------------------
section "re-running a runbook"
fresh_db rerun

rb_file rerun <<'EOF'
runbook: rerun
steps:
  - id: make
    sql: CREATE TABLE made (id int);
  - id: fill
    sql: INSERT INTO made VALUES (1);
  - id: index
    sql: CREATE INDEX CONCURRENTLY made_idx ON made (id);
EOF
rb_run 0 "first run" rerun
first=$(last_run_id)
rb_run 0 "second run: every step already done" rerun
assert_eq "make:skipped fill:skipped index:skipped" "$(report_steps)" "report.json: all skipped"
assert_contains "$(report_step fill note)" "already done (run $first" "report.json: done by the first run"
assert_eq 1 "$(psql_value 'SELECT count(*) FROM made')" "fill did not insert twice"
assert_eq "make:done fill:done index:running index:done" "$(journal_steps rerun)" \
  "journal: the second run added no step rows"
assert_eq 1 "$(psql_value "SELECT count(*) FROM runbook.runs WHERE runbook_id = 'rerun'")" \
  "journal: a run that wrote nothing left no run row (it is in its artifacts)"
rb_run 0 "--rerun fill runs a done step again" rerun --rerun fill
assert_eq 2 "$(psql_value 'SELECT count(*) FROM made')" "fill inserted again"
assert_eq "make:skipped fill:done index:skipped" "$(report_steps)" "report.json: only fill ran"

rb_file rerun-failed <<'EOF'
runbook: rerun-failed
steps:
  - id: make
    sql: CREATE TABLE made2 (id int);
  - id: check
    sql: INSERT INTO made2 SELECT 1 / (SELECT count(*) FROM made2 WHERE id = 0)::int;
EOF
rb_run 2 "a step fails" rerun-failed
psql_run "INSERT INTO made2 VALUES (0)" >/dev/null
rb_run 0 "after fixing the data, a re-run skips the done step and retries the failed one" rerun-failed
assert_eq "make:skipped check:done" "$(report_steps)" "report.json"

# ---------------------------------------------------------------------------
section "when, foreach and captures"
fresh_db flow

rb_file flow <<'EOF'
runbook: flow
params:
  archive: { type: boolean, default: false }
  tables: { type: list, elements: identifier, default: [alpha, Beta] }
preflight:
  - id: count-classes
    query: SELECT count(*) AS n FROM pg_class WHERE relname IN ('alpha', 'Beta')
    capture: before
    expect: { value: 0 }
steps:
  - id: tables
    foreach: params.tables
    sql: CREATE TABLE {{ item }} (id int);
  - id: archived
    when: params.archive
    sql: CREATE TABLE archived (id int);
  - id: queried
    when: { query: "SELECT count(*) = 2 FROM pg_class WHERE relname IN ('alpha', 'Beta')" }
    sql: CREATE TABLE queried (id int);
  - id: not-queried
    when: { query: "SELECT false" }
    sql: CREATE TABLE not_queried (id int);
  - id: from-capture
    sql: CREATE TABLE captured AS SELECT {{ captures.before.value }}::int AS before_count;
EOF
rb_run 0 "foreach, when and captures" flow
assert_eq "t t f t f" \
  "$(relation_exists alpha) $(relation_exists '"Beta"') $(relation_exists archived) $(relation_exists queried) $(relation_exists not_queried)" \
  "foreach made alpha and \"Beta\"; when false skipped archived; when-queries decided"
assert_eq 0 "$(psql_value 'SELECT before_count FROM captured')" "the capture of a preflight check reached a later step's SQL"
assert_eq "count-classes:done tables[0]:done tables[1]:done archived:skipped queried:done not-queried:skipped from-capture:done" \
  "$(report_steps)" "report.json: ids with [i], skipped steps"
assert_eq "when: params.archive is false" "$(report_step archived note)" "report.json: why archived was skipped"
assert_eq "tables[0]:done tables[1]:done queried:done from-capture:done" "$(journal_steps flow)" \
  "journal: skipped steps have no row"

validate_reports

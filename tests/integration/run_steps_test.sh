#!/usr/bin/env bash
# `runbook run`: every kind of step against a live PostgreSQL — sql in one
# transaction, in autocommit (CREATE INDEX CONCURRENTLY) and in batches;
# query gates; commands (argv, shell, exit codes, output, the PG* variables
# and what is never on their command line); confirm; use of a template.
source "$(dirname "$0")/run_lib.sh"
require_cluster
require_runbook

# ---------------------------------------------------------------------------
section "sql: one transaction, its journal row committed with it"
fresh_db tx

rb_file tx <<'EOF'
runbook: tx
steps:
  - id: create
    sql: |
      CREATE TABLE items (id int PRIMARY KEY, label text);
      INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 7) g;
  - id: half
    sql: |
      INSERT INTO items VALUES (100, 'first of two');
      INSERT INTO items VALUES (1, 'duplicate key');
EOF
rb_run 2 "a transactional step whose second statement fails: exit 2" tx
assert_eq 7 "$(psql_value 'SELECT count(*) FROM items')" "create committed its 7 rows"
assert_eq 0 "$(psql_value 'SELECT count(*) FROM items WHERE id = 100')" \
  "half: the first statement was rolled back with the second (one transaction)"
assert_eq "create:done half:failed" "$(journal_steps tx)" \
  "journal: create done (one row, no 'running' marker), half failed"
assert_eq 7 "$(psql_value "SELECT rows_affected FROM runbook.steps WHERE step_id = 'create'")" \
  "journal: rows affected of create"
assert_eq 23505 "$(psql_value "SELECT error_sqlstate FROM runbook.steps WHERE step_id = 'half'")" \
  "journal: the SQLSTATE of half's error"
assert_eq t "$(psql_value "SELECT sql_checksum ~ '^[0-9a-f]{64}\$' FROM runbook.steps WHERE step_id = 'create'")" \
  "journal: the rendered SQL's sha256"
assert_eq "create:done half:failed" "$(report_steps)" "report.json: the same statuses"
assert_contains "$(last_output)" "duplicate key value violates unique constraint" "the server's error is shown"

rb_file typo <<'EOF'
runbook: typo
params:
  table: { type: identifier, default: items }
steps:
  - id: relabel
    sql: |
      UPDATE {{ params.table }} SET label = 'déjà vu' WHERE id = 1;
      UPDATE {{ params.table }}
         SET lable = 'typo' WHERE id = 2;
    rollback: { irreversible: test }
EOF
rb_run 2 "a statement the server rejects at a place in it: exit 2" typo
assert_contains "$(last_output)" 'column "lable" of relation "items" does not exist' "the server's error is shown"
# The server points at `lable` (character 23 of the second statement); the
# runbook has it on file line 9, column 14.
assert_contains "$(last_output)" "at typo.yaml:9:14" "the terminal shows where in the runbook"
assert_eq "typo.yaml:9:14" \
  "$(report_value "(SELECT s->'error'->>'at' FROM jsonb_array_elements(r->'steps') s WHERE s->>'id' = 'relabel')")" \
  "report.json: the error's place in the runbook"
assert_eq 0 "$(psql_value "SELECT count(*) FROM items WHERE label = 'déjà vu'")" "the step was rolled back whole"

# ---------------------------------------------------------------------------
section "sql: CREATE INDEX CONCURRENTLY in autocommit"
fresh_db cic

rb_file cic <<'EOF'
runbook: cic
steps:
  - id: table
    sql: CREATE TABLE t (id int, v text); INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 500) g;
  - id: index
    sql: |
      CREATE INDEX CONCURRENTLY t_v_idx ON t (v);
      CREATE INDEX CONCURRENTLY t_id_idx ON t (id);
    rollback: DROP INDEX CONCURRENTLY t_v_idx; DROP INDEX CONCURRENTLY t_id_idx;
    verify:
      query: SELECT count(*) AS n FROM pg_index WHERE indrelid = 't'::regclass AND indisvalid
      expect: { value: 2 }
EOF
rb_run 0 "two CREATE INDEX CONCURRENTLY statements run (each in autocommit)" cic
assert_eq "t_id_idx:true t_v_idx:true" \
  "$(psql_value "SELECT string_agg(c.relname || ':' || i.indisvalid::text, ' ' ORDER BY c.relname) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 't'::regclass")" \
  "both indexes exist and are valid"
assert_eq "table:done index:running index:done" "$(journal_steps cic)" \
  "journal: the autocommit step is marked running before and done after"
assert_eq "done" "$(report_step index status)" "report.json: index done"
assert_eq "value:true" "$(report_checks index)" "report.json: its verify held"
assert_eq "1 " "$(report_step index attempts) $(report_step index rows_affected)" \
  "report.json: one attempt (not one per statement), no row count for CREATE INDEX"

# ---------------------------------------------------------------------------
section "sql: batch backfill until no rows change"
fresh_db batch

psql_run "CREATE TABLE big (id int PRIMARY KEY, flag int);
          INSERT INTO big SELECT g, NULL FROM generate_series(1, 25) g;" >/dev/null
rb_file batch <<'EOF'
runbook: batch
steps:
  - id: backfill
    sql: |
      UPDATE big SET flag = {{ batch.number }}
      WHERE id IN (SELECT id FROM big WHERE flag IS NULL ORDER BY id LIMIT {{ batch.size }});
    batch: { size: 10, pause: 10ms }
    expect: { affected: 25 }
EOF
rb_run 0 "a batch step runs until a batch changes nothing" batch
assert_eq "1:10 2:10 3:5" \
  "$(psql_value "SELECT string_agg(flag || ':' || n, ' ' ORDER BY flag) FROM (SELECT flag, count(*) n FROM big GROUP BY flag) s")" \
  "batch.number and batch.size in scope: batches of 10, 10 and 5 rows"
assert_eq 3 "$(psql_value 'SELECT count(DISTINCT xmin::text) FROM big')" \
  "each batch committed in a transaction of its own"
assert_eq "backfill:running backfill:done" "$(journal_steps batch)" "journal: running, then done"
assert_eq 25 "$(psql_value "SELECT rows_affected FROM runbook.steps WHERE step_id = 'backfill' AND status = 'done'")" \
  "journal: 25 rows affected in all"
assert_eq 25 "$(report_step backfill rows_affected)" "report.json: 25 rows"
assert_eq 1 "$(report_step backfill attempts)" "report.json: no batch needed a second attempt"
progress=$(grep '"event":"step_progress"' "$RB_OUT/events.jsonl")
assert_contains "$progress" '"progress":"10 rows in 1 batches"' "events.jsonl: progress after batch 1"
assert_contains "$progress" '"progress":"25 rows in 3 batches"' "events.jsonl: progress after batch 3"
assert_eq 4 "$(grep -c . <<<"$progress")" "events.jsonl: one progress event per batch (the last one empty)"
assert_contains "$(last_output)" "backfill" "the terminal names the step"
assert_match "$(last_output)" "backfill +[0-9.]+ m?s +25 rows" "the terminal shows the rows done"

# ---------------------------------------------------------------------------
section "query steps: a gate among the steps"
fresh_db query

rb_file query <<'EOF'
runbook: query
steps:
  - id: make
    sql: CREATE TABLE q (id int); INSERT INTO q VALUES (1), (2);
  - id: two-rows
    query: SELECT id FROM q ORDER BY id
    expect: { rows: 2 }
  - id: three-rows
    query: SELECT id FROM q ORDER BY id
    expect: { rows: 3 }
  - id: never
    sql: CREATE TABLE never_made (id int);
EOF
rb_run 2 "a query gate that fails after a write: exit 2" query
assert_eq "make:done two-rows:done three-rows:failed" "$(report_steps)" \
  "report.json: the passing gate done, the failing one failed, nothing after"
assert_eq f "$(relation_exists never_made)" "the step after the failed gate did not run"
assert_eq "make:done" "$(journal_steps query)" "journal: query steps write no row (they change nothing)"
assert_contains "$(last_output)" "three-rows  0 ms  rows: expected 3 rows, got 2 rows" \
  "the terminal shows expected and actual"

# ---------------------------------------------------------------------------
section "command steps"
fresh_db cmd_other
OTHER_DB=$FRESH_DB
fresh_db cmd

rb_file cmd <<'EOF'
runbook: cmd
steps:
  - id: make
    sql: CREATE TABLE c (id int); INSERT INTO c VALUES (1), (2), (3);
  - id: argv
    command: [psql, -XAt, -c, "SELECT 'db=' || current_database() || ' n=' || count(*) FROM c"]
    expect: { exit_code: 0, stdout_contains: " n=3" }
  - id: shell
    command: 'n=$(psql -XAtc "SELECT count(*) FROM c"); echo "count is $n"; exit $((n + 1))'
    shell: true
    expect: { exit_code: 4, stdout_contains: count is 3 }
  - id: env
    command: [sh, -c, 'printf "cmdline: %s\n" "$(tr "\0" " " </proc/$$/cmdline)"; env | grep "^PG" | sort']
EOF
DBURL="postgresql:///$FRESH_DB?host=$PGHOST&port=$PGPORT&user=$PGUSER"
assert_exit 0 "commands run (the database from --db, PGDATABASE unset)" -- \
  env -u PGDATABASE bash -c 'cd "$1" && shift && exec "$@"' _ "$TEST_TMP" \
  "$RUNBOOK_BIN" run cmd.yaml --db "$DBURL" --out "$RB_RUNS/cmd"
RB_OUT=$RB_RUNS/cmd
assert_contains "$(report_step argv output)" "db=$FRESH_DB n=3" \
  "argv: psql in the command reached the run's database through PG* variables"
assert_eq 4 "$(report_step shell exit_code)" "shell: exit code 4 recorded"
assert_eq "exit_code:true stdout_contains:true" "$(report_checks shell)" "shell: exit_code and stdout_contains held"
envout=$(report_step env output)
assert_contains "$envout" "PGDATABASE=$FRESH_DB" "env: PGDATABASE is the run's database"
assert_contains "$envout" "PGHOST=$PGHOST" "env: PGHOST is the run's host"
assert_contains "$envout" "PGPORT=$PGPORT" "env: PGPORT is the run's port"
assert_contains "$envout" "cmdline: sh -c " "env: its own command line was read"
assert_not_contains "$envout" "postgresql://" "env: no connection URL on the command line or in the environment"
assert_not_contains "$envout" "dbname=" "env: no conninfo string on the command line"
assert_eq "make:done argv:running argv:done shell:running shell:done env:running env:done" \
  "$(journal_steps cmd)" "journal: each command marked running, then done"

rb_file cmd-url <<'EOF'
runbook: cmd-url
steps:
  - id: env
    command: [sh, -c, 'echo "url: ${DATABASE_URL:-unset} db: $PGDATABASE replica: $DATABASE_URL_REPLICA"']
  - id: elsewhere
    command: [psql, -XAtc, "SELECT 'in ' || current_database()"]
    environment: { PGDATABASE: "{{ env.OTHER_DB }}" }
env: [OTHER_DB]
EOF
assert_exit 0 "DATABASE_URL names the database" -- \
  env -u PGDATABASE DATABASE_URL="$DBURL" DATABASE_URL_REPLICA=kept OTHER_DB="$OTHER_DB" \
  bash -c 'cd "$1" && shift && exec "$@"' _ "$TEST_TMP" "$RUNBOOK_BIN" run cmd-url.yaml --out "$RB_RUNS/cmd-url"
RB_OUT=$RB_RUNS/cmd-url
assert_contains "$(report_step env output)" "url: unset db: $FRESH_DB replica: kept" \
  "DATABASE_URL is not passed on to a command (other variables are); PGDATABASE is"
assert_eq "in $OTHER_DB" "$(report_step elsewhere output | tr -d '\n')" \
  "a step's environment: overrides the connection's PG* variables"

rb_file cmd-fail <<'EOF'
runbook: cmd-fail
steps:
  - id: exits-7
    command: [sh, -c, 'echo "about to fail"; exit 7']
  - id: never
    sql: CREATE TABLE never_made (id int);
EOF
rb_run 2 "a command that exits 7 (no exit_code expectation): exit 2" cmd-fail
assert_eq 7 "$(report_step exits-7 exit_code)" "report.json: exit code 7"
assert_eq failed "$(report_step exits-7 status)" "report.json: failed"
assert_contains "$(last_output)" "exit code 7" "the terminal gives the exit code"
assert_contains "$(last_output)" "about to fail" "the terminal shows the failed command's output"
assert_contains "$(cat "$RB_OUT/report.md")" "about to fail" "report.md shows the output"
assert_eq f "$(relation_exists never_made)" "nothing ran after it"
assert_eq "exits-7:running exits-7:failed" "$(journal_steps cmd-fail)" "journal: running, then failed"

rb_file cmd-expect <<'EOF'
runbook: cmd-expect
steps:
  - id: wrong-code
    command: [sh, -c, 'echo hello; exit 3']
    expect: { exit_code: 0 }
    gate: warn
  - id: wrong-text
    command: [echo, hello world]
    expect: { stdout_contains: goodbye }
    gate: warn
  - id: code-in
    command: [sh, -c, 'exit 2']
    expect: { exit_code: { in: [1, 2] } }
EOF
rb_run 0 "failed command expectations with gate: warn: GO with warnings (exit 0)" cmd-expect
assert_eq "exit_code:false" "$(report_checks wrong-code)" "exit_code 0 did not hold for exit 3"
assert_eq "stdout_contains:false" "$(report_checks wrong-text)" "stdout_contains did not hold"
assert_eq "exit_code:true" "$(report_checks code-in)" "exit_code { in: [1, 2] } held for exit 2"
assert_contains "$(last_output)" "expected exit code = 0, got exit code 3" "exit_code: expected and actual shown"
assert_contains "$(last_output)" 'stdout contains "goodbye"' "stdout_contains: what was expected"
assert_contains "$(last_output)" "hello world" "stdout_contains: what the output was"
assert_eq "GO with warnings" "$(report_value "r->>'outcome_text'")" "report.json: GO with warnings"

rb_file cmd-edge <<'EOF'
runbook: cmd-edge
steps:
  - id: background
    command: 'sleep 3 & echo started'
    shell: true
    expect: { stdout_contains: started }
  - id: slow
    command: [sleep, "30"]
    timeout: 1s
EOF
rb_run 2 "a command over its timeout: exit 2" cmd-edge
assert_eq "timed out" "$(report_step slow note)" "report.json: timed out"
assert_eq 143 "$(report_step slow exit_code)" "report.json: stopped by SIGTERM (128 + 15)"
assert_num "$(report_step slow duration_ms)" -lt 5000 "stopped soon after its timeout"
assert_num "$(report_step background duration_ms)" -lt 2500 \
  "a background child keeping the output open does not hold the step"
rb_file cmd-missing <<'EOF'
runbook: cmd-missing
steps:
  - id: missing
    command: [no-such-program-anywhere, --flag]
EOF
rb_run 2 "a program that does not exist: exit 2" cmd-missing
assert_eq 127 "$(report_step missing exit_code)" "report.json: exit code 127"
assert_contains "$(report_step missing output)" "cannot execute the command: No such file or directory" \
  "report.json: why it could not run"

# ---------------------------------------------------------------------------
section "confirm steps"
fresh_db confirm

rb_file confirm <<'EOF'
runbook: confirm
params:
  table: { type: identifier, default: confirmed }
steps:
  - id: ask
    confirm: Create {{ params.table }} now?
  - id: make
    sql: CREATE TABLE {{ params.table }} (id int);
EOF
rb_run 1 "confirm without a terminal and without --approve: NO-GO, exit 1" confirm
assert_eq 0 "$(journal_exists)" "nothing written: not even the journal schema"
assert_eq f "$(relation_exists confirmed)" "the step after it did not run"
assert_contains "$(last_output)" "--approve ask" "the terminal says how to approve"
assert_eq "NO-GO" "$(report_value "r->>'outcome_text'")" "report.json: NO-GO"
assert_eq false "$(report_value "r->'journal_written'")" "report.json: journal not written"

rb_run 5 "--approve of a step that is not a confirm: exit 5" confirm --approve make
assert_contains "$(last_stderr)" 'no confirm step "make"' "the error names the step"

rb_run 0 "--approve ask: GO" confirm --approve ask
assert_eq t "$(relation_exists confirmed)" "the step after the approved confirm ran"
assert_eq "approved by --approve" "$(report_step ask note)" "report.json: how it was approved"

sed 's/^runbook: confirm$/runbook: confirm-yes/' "$TEST_TMP/confirm.yaml" >"$TEST_TMP/confirm-yes.yaml"
rb_run 0 "--yes approves every confirm" confirm-yes --yes --set table=by_yes
assert_eq t "$(relation_exists by_yes)" "--yes: the step ran"
assert_eq "approved by --yes" "$(report_step ask note)" "report.json: approved by --yes"

rb_file confirm-late <<'EOF'
runbook: confirm-late
steps:
  - id: first
    sql: CREATE TABLE before_ask (id int);
  - id: ask
    confirm: Go on?
  - id: second
    sql: CREATE TABLE after_ask (id int);
EOF
rb_run 2 "an unapproved confirm after a write: exit 2 (something was written)" confirm-late
assert_eq "t f" "$(relation_exists before_ask) $(relation_exists after_ask)" \
  "the first step stays, the one after the confirm did not run"

# ---------------------------------------------------------------------------
section "use: a template from templates/ next to the runbook"
fresh_db use

mkdir -p "$TEST_TMP/tpl/templates"
cat >"$TEST_TMP/tpl/templates/counted-table.yaml" <<'EOF'
template: counted-table
description: A table with N rows, and a check that it has them.
params:
  name: identifier
  rows: { type: integer, default: 3 }
steps:
  - id: create
    sql: CREATE TABLE {{ params.name }} AS SELECT g AS id FROM generate_series(1, {{ params.rows }}) g;
    rollback: DROP TABLE {{ params.name }};
  - id: count
    query: SELECT count(*) AS n FROM {{ params.name }}
    expect: { value: "{{ params.rows }}" }
EOF
rb_file tpl/use <<'EOF'
runbook: use
steps:
  - id: widgets
    use: counted-table
    with: { name: Widgets, rows: 4 }
  - id: gadgets
    use: counted-table
    with: { name: gadgets }
EOF
rb_run 0 "two uses of a template" tpl/use
assert_eq "4 3" "$(psql_value 'SELECT (SELECT count(*) FROM "Widgets") || '"' '"' || (SELECT count(*) FROM gadgets)')" \
  "the template's SQL ran with each use's params (identifier quoted: \"Widgets\")"
assert_eq "widgets.create:done widgets.count:done gadgets.create:done gadgets.count:done" "$(report_steps)" \
  "report.json: expanded steps, ids prefixed with the use's id"
assert_eq "widgets.create:done gadgets.create:done" "$(journal_steps use)" "journal: the expanded ids"
assert_eq "widgets.create widgets.count gadgets.create gadgets.count" "$(junit_cases)" \
  "junit.xml: a test case per expanded step"

validate_reports

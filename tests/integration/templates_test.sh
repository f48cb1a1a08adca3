#!/usr/bin/env bash
# templates_test.sh — every template of templates/ on its own: a small runbook
# in the scratch directory `use:`s it, runs against examples/recipes (or a tiny
# schema), and the database is checked afterwards: what the template leaves
# behind, its gates saying NO-GO on broken data (exit 1, nothing written), and
# its rollback undoing it (--on-failure rollback with a failure injected after
# it: the schema afterwards is the one before, by a pg_dump fingerprint).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/seed_lib.sh"
require_cluster
require_runbook
command -v pg_dump >/dev/null 2>&1 || skip_test "pg_dump is not installed"
command -v jq >/dev/null 2>&1 || skip_test "jq is not installed (reads report.json)"

TEMPLATES=$RUNBOOK_SOURCE_DIR/templates
WORK=$TEST_TMP/work
mkdir -p "$WORK"

# rb FILE ARGS... — `runbook run` of FILE with the library's templates.
rb() {
  local file=$1
  shift
  next_out
  "$RUNBOOK_BIN" run --templates "$TEMPLATES" --out "$LAST_OUT" "$@" "$file"
}

# A role that is neither superuser nor owner of anything (dropped at exit).
PLAIN_ROLE=rbt_templates_plain
psql -XAtq -d "$RB_ADMIN_DB" -c "DROP ROLE IF EXISTS $PLAIN_ROLE" -c "CREATE ROLE $PLAIN_ROLE LOGIN" \
  </dev/null >/dev/null 2>&1 || die "could not create role $PLAIN_ROLE"
at_exit "psql -XAtq -d '$RB_ADMIN_DB' -c 'DROP ROLE IF EXISTS $PLAIN_ROLE' </dev/null >/dev/null 2>&1"

# Background sessions started by the test, ended at exit by their application_name.
stop_sessions() {
  psql -XAtq -c "SET client_min_messages = error" \
       -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
           WHERE application_name LIKE 'rbt_templates_%'" </dev/null >/dev/null 2>&1
}
at_exit stop_sessions

# ---------------------------------------------------------------------------
section "standard-preflight"

cat >"$WORK/standard-preflight.yaml" <<'EOF'
runbook: t-standard-preflight
params:
  tables: { type: list, elements: identifier, default: [Recipe, RecipeItem, Membership] }
  age: { type: string, default: 1 hour }
  runbook_id: { type: string, default: "" }
preflight:
  - id: pre
    use: standard-preflight
    with:
      extensions: [pg_trgm, citext]
      tables: "{{ params.tables }}"
      max_transaction_age: "{{ params.age }}"
      runbook_id: "{{ params.runbook_id }}"
steps: []
EOF
cat >"$WORK/missing-table.params.yaml" <<'EOF'
tables: [Recipe, NoSuchTable]
EOF
cat >"$WORK/write-once.yaml" <<'EOF'
runbook: t-write-once
steps:
  - id: touch
    sql: SELECT 1;
    rollback: { irreversible: "writes nothing" }
EOF

fresh_db preflight
load_example recipes --scale 40 || die "load failed"
assert_exit 0 "standard-preflight: GO on the clean example" -- rb "$WORK/standard-preflight.yaml"
assert_eq f "$(journal_exists)" "standard-preflight: a run of checks writes no journal"
assert_eq done "$(step_status pre.privileges)" "standard-preflight: privileges checked"
assert_eq skipped "$(step_status pre.journal-clean)" "standard-preflight: journal check skipped while there is no journal"

assert_exit 1 "standard-preflight: NO-GO when a required table is missing" -- \
  rb "$WORK/standard-preflight.yaml" --params "$WORK/missing-table.params.yaml"
assert_eq pre.required-tables "$(first_failed)" "standard-preflight: stopped at required-tables"

# A long transaction in this database.
PGAPPNAME=rbt_templates_longtx psql -Xq -c "BEGIN; SELECT txid_current(); SELECT pg_sleep(60);" \
  </dev/null >/dev/null 2>&1 &
sleep 2
assert_exit 1 "standard-preflight: NO-GO with a transaction open for longer than max_transaction_age" -- \
  rb "$WORK/standard-preflight.yaml" --set "age=1 second"
assert_eq pre.long-transactions "$(first_failed)" "standard-preflight: stopped at long-transactions"
stop_sessions

# A session waiting for a lock in this database.
PGAPPNAME=rbt_templates_holder psql -Xq -c 'BEGIN; LOCK TABLE "Category"; SELECT pg_sleep(60);' \
  </dev/null >/dev/null 2>&1 &
sleep 1
PGAPPNAME=rbt_templates_waiter psql -Xq -c 'SELECT count(*) FROM "Category"' </dev/null >/dev/null 2>&1 &
sleep 1
assert_exit 1 "standard-preflight: NO-GO while a session waits for a lock" -- \
  rb "$WORK/standard-preflight.yaml"
assert_eq pre.blocking-locks "$(first_failed)" "standard-preflight: stopped at blocking-locks"
stop_sessions
sleep 0.5

# A role that owns nothing and may not create in public.
psql_run "REVOKE CREATE ON SCHEMA public FROM PUBLIC" >/dev/null
assert_exit 1 "standard-preflight: NO-GO for a role that is neither superuser nor owner" -- \
  env PGUSER=$PLAIN_ROLE "$RUNBOOK_BIN" run --templates "$TEMPLATES" --out "$TEST_TMP/out/plain-preflight" \
  "$WORK/standard-preflight.yaml"
LAST_OUT=$TEST_TMP/out/plain-preflight
assert_eq pre.privileges "$(first_failed)" "standard-preflight: stopped at privileges"


# A step left running in the journal (as a crash would leave it).
assert_exit 0 "standard-preflight: a writing runbook creates the journal" -- rb "$WORK/write-once.yaml"
psql_run "INSERT INTO runbook.steps (run_id, runbook_id, step_id, phase, kind, status, started_at)
          SELECT run_id, 't-crashed', 'index', 'steps', 'sql', 'running', now() FROM runbook.runs LIMIT 1" >/dev/null
assert_exit 1 "standard-preflight: NO-GO when the journal has a step left running" -- \
  rb "$WORK/standard-preflight.yaml"
assert_eq pre.journal-clean "$(first_failed)" "standard-preflight: stopped at journal-clean"
assert_exit 0 "standard-preflight: runbook_id limits the journal check to one runbook" -- \
  rb "$WORK/standard-preflight.yaml" --set runbook_id=t-other

# A step `running` because its run is still going (as when runbook 004 runs
# runbook 001 from a command step) is under way, not crashed: its run holds
# the runbook's lock. Once that run is killed, the same row is a crash.
psql_run "DELETE FROM runbook.steps WHERE runbook_id = 't-crashed'" >/dev/null
cat >"$WORK/slow-command.yaml" <<'EOF'
runbook: t-slow-command
steps:
  - id: wait
    command: [sleep, "60"]
EOF
"$RUNBOOK_BIN" run --out "$TEST_TMP/out/slow" "$WORK/slow-command.yaml" </dev/null >/dev/null 2>&1 &
slow_run=$!
at_exit "kill -9 $slow_run 2>/dev/null"
wait_for_value t "SELECT EXISTS (SELECT 1 FROM runbook.steps WHERE runbook_id = 't-slow-command' AND status = 'running')" ||
  die "the slow run never marked its step running"
assert_exit 0 "standard-preflight: GO while another run's command step is running" -- \
  rb "$WORK/standard-preflight.yaml"
assert_eq done "$(step_status pre.journal-clean)" "standard-preflight: journal-clean ran and held"
slow_children=$(pgrep -P "$slow_run")
# shellcheck disable=SC2086
kill -9 "$slow_run" $slow_children 2>/dev/null
wait "$slow_run" 2>/dev/null
wait_for_value 0 "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'runbook:t-slow-command'" ||
  die "the killed run's session never ended"
assert_exit 1 "standard-preflight: NO-GO once that run is gone (killed mid-step)" -- \
  rb "$WORK/standard-preflight.yaml"
assert_eq pre.journal-clean "$(first_failed)" "standard-preflight: stopped at journal-clean"

fresh_db preflight_noext
load_example recipes --scale 10 --extensions citext || die "load failed"
assert_exit 1 "standard-preflight: NO-GO without pg_trgm" -- rb "$WORK/standard-preflight.yaml"
assert_eq pre.extensions "$(first_failed)" "standard-preflight: stopped at extensions"

fresh_db preflight_invalid
load_example recipes --scale 10 --plant invalid_index || die "load failed"
assert_exit 1 "standard-preflight: NO-GO with an INVALID index left by a failed build" -- \
  rb "$WORK/standard-preflight.yaml"
assert_eq pre.invalid-indexes "$(first_failed)" "standard-preflight: stopped at invalid-indexes"

# ---------------------------------------------------------------------------
section "when: { query } on a use: step"

# Its query is asked once, before the block's first step: the block's own
# first step makes the query false, and the second step runs all the same.
mkdir -p "$WORK/templates"
cat >"$WORK/templates/t-two-tables.yaml" <<'EOF'
template: t-two-tables
steps:
  - id: first
    sql: CREATE TABLE t_block_first (i int);
    rollback: DROP TABLE t_block_first;
  - id: second
    sql: CREATE TABLE t_block_second (i int);
    rollback: DROP TABLE t_block_second;
EOF
cat >"$WORK/block-when.yaml" <<'EOF'
runbook: t-block-when
steps:
  - id: tables
    when:
      query: SELECT to_regclass('t_block_first') IS NULL
    use: t-two-tables
EOF
fresh_db block_when
assert_exit 0 "use: with a true when query: GO" -- rb "$WORK/block-when.yaml"
assert_eq "done done" "$(step_status tables.first) $(step_status tables.second)" \
  "both steps ran: the query was asked once, before the first"
assert_eq "t" "$(psql_value "SELECT to_regclass('t_block_second') IS NOT NULL")" "the second table exists"
psql_run "DROP TABLE t_block_second; DROP SCHEMA runbook CASCADE" >/dev/null
assert_exit 0 "use: with a false when query: GO" -- rb "$WORK/block-when.yaml"
assert_eq "skipped skipped" "$(step_status tables.first) $(step_status tables.second)" \
  "every step of the block skipped"
assert_eq "f" "$(psql_value "SELECT to_regclass('t_block_second') IS NOT NULL")" "nothing created"
assert_exit 0 "the plan shows the block's query" -- "$RUNBOOK_BIN" plan --format markdown "$WORK/block-when.yaml"
assert_contains "$(last_stdout)" "The whole block runs only when this query returns true" "... at the head of the block"

# ---------------------------------------------------------------------------
section "concurrent-index"

cat >"$WORK/concurrent-index.yaml" <<'EOF'
runbook: t-concurrent-index
params:
  fail: { type: boolean, default: false }
steps:
  - id: idx
    use: concurrent-index
    with:
      name: idx_t_recipe_company_name
      table: Recipe
      columns: '"companyId", "name"'
      include: [category]
      where: '"isArchived" = false'
  - id: trgm
    use: concurrent-index
    with: { name: idx_t_recipe_name_trgm, table: Recipe, columns: '"name" gin_trgm_ops', using: gin }
  - id: injected-failure
    when: params.fail
    query: SELECT 1 AS one
    expect: { value: 2 }
EOF
index_state() {  # index_state NAME → "valid ready" flags, or nothing
  psql_value "SELECT indisvalid || ' ' || indisready FROM pg_index WHERE indexrelid = to_regclass('public.$1')"
}

fresh_db index
load_example recipes --scale 40 || die "load failed"
save_schema "$TEST_TMP/index.schema"
assert_exit 2 "concurrent-index: a failure after the builds stops the run (exit 2)" -- \
  rb "$WORK/concurrent-index.yaml" --set fail=true --on-failure rollback
assert_eq rolled_back "$(step_status idx.create)" "concurrent-index: the build is rolled back"
assert_same_schema "$TEST_TMP/index.schema" "concurrent-index: rollback drops both indexes (schema as before)"
assert_exit 0 "concurrent-index: GO" -- rb "$WORK/concurrent-index.yaml"
assert_eq "true true" "$(index_state idx_t_recipe_company_name)" "concurrent-index: btree index valid and ready"
assert_eq "true true" "$(index_state idx_t_recipe_name_trgm)" "concurrent-index: gin trigram index valid and ready"
assert_match "$(psql_value "SELECT pg_get_indexdef('idx_t_recipe_company_name'::regclass)")" \
  'INCLUDE \(category\) WHERE \("isArchived" = false\)' "concurrent-index: INCLUDE and WHERE are in the index"
assert_eq skipped "$(step_status idx.drop-invalid)" "concurrent-index: nothing to drop the first time"

# An INVALID index of the same name, as a failed concurrent build leaves it.
psql_run 'DROP INDEX idx_t_recipe_company_name' >/dev/null
psql -Xq -c 'CREATE UNIQUE INDEX CONCURRENTLY idx_t_recipe_company_name ON "Recipe" ("companyId")' \
  </dev/null >/dev/null 2>&1
assert_match "$(index_state idx_t_recipe_company_name)" '^false ' "concurrent-index: an INVALID leftover is planted"
assert_exit 0 "concurrent-index: GO again over the INVALID leftover" -- \
  rb "$WORK/concurrent-index.yaml" --rerun idx
assert_eq done "$(step_status idx.drop-invalid)" "concurrent-index: the INVALID leftover was dropped"
assert_eq "true true" "$(index_state idx_t_recipe_company_name)" "concurrent-index: rebuilt valid"
assert_eq f "$(psql_value "SELECT indisunique FROM pg_index WHERE indexrelid = 'idx_t_recipe_company_name'::regclass")" \
  "concurrent-index: the rebuilt index is the declared one (not the unique leftover)"

# ---------------------------------------------------------------------------
section "safe-foreign-key"

cat >"$WORK/safe-foreign-key.yaml" <<'EOF'
runbook: t-safe-foreign-key
params:
  mode: { type: string, default: fail }
  fail: { type: boolean, default: false }
steps:
  - id: fk-task
    use: safe-foreign-key
    with:
      table: ProductionTask
      column: assignedTo
      ref_table: User
      on_delete: SET NULL
      on_update: CASCADE
      orphans: "{{ params.mode }}"
  - id: injected-failure
    when: params.fail
    query: SELECT 1 AS one
    expect: { value: 2 }
EOF
cat >"$WORK/safe-foreign-key-delete.yaml" <<'EOF'
runbook: t-safe-foreign-key-delete
steps:
  - id: fk-plan
    use: safe-foreign-key
    with: { table: ProductionPlan, column: createdBy, ref_table: User, orphans: delete, index: false }
EOF
task_orphans() {
  psql_value 'SELECT count(*) FROM "ProductionTask" t WHERE t."assignedTo" IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM "User" u WHERE u.id = t."assignedTo")'
}

fresh_db fk
load_example recipes --scale 60 --plant orphan_users || die "load failed"
save_schema "$TEST_TMP/fk.schema"
assert_eq 3 "$(task_orphans)" "safe-foreign-key: 3 orphan assignedTo planted"
assert_exit 1 "safe-foreign-key: orphans=fail is a NO-GO on orphans" -- rb "$WORK/safe-foreign-key.yaml"
assert_eq fk-task.orphans "$(first_failed)" "safe-foreign-key: stopped at the orphan gate"
assert_eq f "$(journal_exists)" "safe-foreign-key: nothing written (no journal)"
assert_same_schema "$TEST_TMP/fk.schema" "safe-foreign-key: schema unchanged after the NO-GO"

assert_exit 2 "safe-foreign-key: nullify, then an injected failure" -- \
  rb "$WORK/safe-foreign-key.yaml" --set mode=nullify --set fail=true --on-failure rollback
assert_eq warned "$(step_status fk-task.orphans-found)" "safe-foreign-key: the orphans are reported as a warning"
assert_eq 0 "$(task_orphans)" "safe-foreign-key: orphans set NULL (irreversible: not restored)"
assert_eq rolled_back "$(step_status fk-task.add)" "safe-foreign-key: the constraint is rolled back"
assert_eq rolled_back "$(step_status fk-task.index.create)" "safe-foreign-key: the index is rolled back"
assert_same_schema "$TEST_TMP/fk.schema" "safe-foreign-key: rollback leaves the schema as before"

assert_exit 0 "safe-foreign-key: GO after the cleanup (and after a rollback)" -- \
  rb "$WORK/safe-foreign-key.yaml" --set mode=nullify
assert_eq "true n" "$(psql_value "SELECT convalidated::text || ' ' || confdeltype::text FROM pg_constraint WHERE conname = 'ProductionTask_assignedTo_fkey'")" \
  "safe-foreign-key: FK validated, ON DELETE SET NULL"
assert_eq "true true" "$(index_state idx_productiontask_assignedto_fk)" "safe-foreign-key: index on the referencing column"

plans_before=$(psql_value 'SELECT count(*) FROM "ProductionPlan"')
assert_exit 0 "safe-foreign-key: orphans=delete is GO (with a warning)" -- rb "$WORK/safe-foreign-key-delete.yaml"
assert_eq $((plans_before - 4)) "$(psql_value 'SELECT count(*) FROM "ProductionPlan"')" \
  "safe-foreign-key: the 4 orphan plans are deleted"
assert_eq t "$(psql_value "SELECT convalidated FROM pg_constraint WHERE conname = 'ProductionPlan_createdBy_fkey'")" \
  "safe-foreign-key: FK validated after the delete"
assert_eq "" "$(index_state idx_productionplan_createdby_fk)" "safe-foreign-key: index: false builds no index"

# ---------------------------------------------------------------------------
section "check-constraint"

cat >"$WORK/check-constraint.yaml" <<'EOF'
runbook: t-check-constraint
params:
  fail: { type: boolean, default: false }
steps:
  - id: ck
    use: check-constraint
    with: { table: Recipe, name: t_selling_price_positive, expression: '"sellingPrice" > 0' }
  - id: injected-failure
    when: params.fail
    query: SELECT 1 AS one
    expect: { value: 2 }
EOF

fresh_db check_bad
load_example recipes --scale 40 --plant negative_prices || die "load failed"
assert_exit 1 "check-constraint: NO-GO on violating rows" -- rb "$WORK/check-constraint.yaml"
assert_eq ck.violators "$(first_failed)" "check-constraint: stopped at violators"
assert_eq f "$(journal_exists)" "check-constraint: nothing written"

fresh_db check
load_example recipes --scale 40 || die "load failed"
save_schema "$TEST_TMP/check.schema"
assert_exit 2 "check-constraint: injected failure" -- \
  rb "$WORK/check-constraint.yaml" --set fail=true --on-failure rollback
assert_same_schema "$TEST_TMP/check.schema" "check-constraint: rollback drops the constraint"
assert_exit 0 "check-constraint: GO" -- rb "$WORK/check-constraint.yaml"
assert_eq "c true" "$(psql_value "SELECT contype::text || ' ' || convalidated::text FROM pg_constraint WHERE conname = 't_selling_price_positive'")" \
  "check-constraint: CHECK validated"
assert_exit 1 "check-constraint: a violating update is refused" -- \
  psql -X -v ON_ERROR_STOP=1 -c 'UPDATE "Recipe" SET "sellingPrice" = -1 WHERE id = (SELECT min(id) FROM "Recipe")'
assert_contains "$(last_stderr)" "t_selling_price_positive" "check-constraint: refused by the constraint"

# ---------------------------------------------------------------------------
section "unique-constraint"

cat >"$WORK/unique-constraint.yaml" <<'EOF'
runbook: t-unique-constraint
params:
  fail: { type: boolean, default: false }
steps:
  - id: uq
    use: unique-constraint
    with: { table: RecipeItem, name: t_recipe_item_pair_key, columns: [recipeId, ingredientId] }
  - id: injected-failure
    when: params.fail
    query: SELECT 1 AS one
    expect: { value: 2 }
EOF

fresh_db unique_bad
load_example recipes --scale 40 --plant duplicates || die "load failed"
assert_exit 1 "unique-constraint: NO-GO on duplicates" -- rb "$WORK/unique-constraint.yaml"
assert_eq uq.duplicates "$(first_failed)" "unique-constraint: stopped at duplicates"
assert_eq f "$(journal_exists)" "unique-constraint: nothing written"

fresh_db unique
load_example recipes --scale 40 || die "load failed"
save_schema "$TEST_TMP/unique.schema"
assert_exit 2 "unique-constraint: injected failure" -- \
  rb "$WORK/unique-constraint.yaml" --set fail=true --on-failure rollback
assert_same_schema "$TEST_TMP/unique.schema" "unique-constraint: rollback drops constraint and index"
assert_exit 0 "unique-constraint: GO" -- rb "$WORK/unique-constraint.yaml"
assert_eq "u true t_recipe_item_pair_key" \
  "$(psql_value "SELECT contype::text || ' ' || convalidated::text || ' ' || conindid::regclass::text FROM pg_constraint WHERE conname = 't_recipe_item_pair_key'")" \
  "unique-constraint: UNIQUE constraint on its own index"
assert_exit 1 "unique-constraint: a duplicate is refused" -- \
  psql -X -v ON_ERROR_STOP=1 -c "UPDATE \"RecipeItem\" SET \"ingredientId\" = (SELECT \"ingredientId\" FROM \"RecipeItem\" WHERE id = 'rit_0000001_00') WHERE id = 'rit_0000001_01'"
assert_contains "$(last_stderr)" "t_recipe_item_pair_key" "unique-constraint: refused by the constraint"

# ---------------------------------------------------------------------------
section "batched-backfill"

cat >"$WORK/batched-backfill.yaml" <<'EOF'
runbook: t-batched-backfill
params:
  undo: { type: sql, default: "" }
  fail: { type: boolean, default: false }
steps:
  - id: fill
    use: batched-backfill
    with: { table: items, set: 'b = t.a * 2', pending: 't.b IS NULL', batch_size: 10, undo: "{{ params.undo }}" }
  - id: injected-failure
    when: params.fail
    query: SELECT 1 AS one
    expect: { value: 2 }
EOF
cat >"$WORK/batched-backfill-join.yaml" <<'EOF'
runbook: t-batched-backfill-join
steps:
  - id: fill
    use: batched-backfill
    with:
      table: items
      set: b = l.v
      from: lookup AS l
      join: l.a = t.a
      pending: t.b IS NULL AND EXISTS (SELECT 1 FROM lookup AS l WHERE l.a = t.a)
      remaining: t.b IS NULL
      batch_size: 7
EOF

fresh_db backfill
psql_run "CREATE TABLE items (id int PRIMARY KEY, a int NOT NULL, b int);
          INSERT INTO items SELECT g, g, NULL FROM generate_series(1, 95) AS g;" >/dev/null
assert_exit 2 "batched-backfill: injected failure after the backfill" -- \
  rb "$WORK/batched-backfill.yaml" --set "undo=UPDATE items SET b = NULL" --set fail=true --on-failure rollback
assert_eq 95 "$(report '.steps[] | select(.id == "fill.backfill-with-undo") | .rows_affected')" \
  "batched-backfill: 95 rows filled in batches"
assert_eq 95 "$(psql_value 'SELECT count(*) FROM items WHERE b IS NULL')" "batched-backfill: undo given: rolled back"
assert_exit 0 "batched-backfill: GO" -- rb "$WORK/batched-backfill.yaml"
assert_eq skipped "$(step_status fill.backfill-with-undo)" "batched-backfill: without undo the irreversible variant runs"
assert_eq "0 0" "$(psql_value 'SELECT count(*) FILTER (WHERE b IS NULL) || $$ $$ || count(*) FILTER (WHERE b <> 2 * a) FROM items')" \
  "batched-backfill: every row filled, correctly"
assert_eq 95 "$(report '.steps[] | select(.id == "fill.backfill") | .rows_affected')" "batched-backfill: rows counted"

fresh_db backfill_join
psql_run "CREATE TABLE items (id int PRIMARY KEY, a int NOT NULL, b int);
          INSERT INTO items SELECT g, g, NULL FROM generate_series(1, 95) AS g;
          CREATE TABLE lookup (a int PRIMARY KEY, v int NOT NULL);
          INSERT INTO lookup SELECT g, 1000 + g FROM generate_series(1, 90) AS g;" >/dev/null
assert_exit 2 "batched-backfill: rows the join cannot fill make \`done\` fail" -- rb "$WORK/batched-backfill-join.yaml"
assert_eq fill.done "$(first_failed)" "batched-backfill: stopped at done"
assert_eq 5 "$(psql_value 'SELECT count(*) FROM items WHERE b IS NULL')" "batched-backfill: the 90 fillable rows were filled"

# ---------------------------------------------------------------------------
section "dual-write-trigger"

cat >"$WORK/dual-write-trigger.yaml" <<'EOF'
runbook: t-dual-write-trigger
params:
  fail: { type: boolean, default: false }
steps:
  - id: sync
    use: dual-write-trigger
    with:
      table: Recipe
      text_column: category
      id_column: categoryId
      lookup_table: Category
      scope_column: companyId
      function: t_sync_category
      trigger: t_sync_category_trigger
  - id: injected-failure
    when: params.fail
    query: SELECT 1 AS one
    expect: { value: 2 }
EOF
recipe() { psql_value "SELECT coalesce(category, '<null>') || ' ' || coalesce(\"categoryId\", '<null>') FROM \"Recipe\" WHERE id = '$1'"; }

fresh_db trigger
load_example recipes --scale 40 || die "load failed"
save_schema "$TEST_TMP/trigger.schema"
assert_exit 2 "dual-write-trigger: injected failure" -- \
  rb "$WORK/dual-write-trigger.yaml" --set fail=true --on-failure rollback
assert_same_schema "$TEST_TMP/trigger.schema" "dual-write-trigger: rollback drops trigger and function"
assert_exit 0 "dual-write-trigger: GO" -- rb "$WORK/dual-write-trigger.yaml"
# rcp_0000001 belongs to company 1, whose categories are cat_0000001 (Bread) .. cat_0000008 (Sandwiches)
psql_run "UPDATE \"Recipe\" SET \"categoryId\" = 'cat_0000003' WHERE id = 'rcp_0000001'" >/dev/null
assert_eq "Cake cat_0000003" "$(recipe rcp_0000001)" "dual-write-trigger: new column written, legacy one follows"
psql_run "UPDATE \"Recipe\" SET category = 'Pastry' WHERE id = 'rcp_0000001'" >/dev/null
assert_eq "Pastry cat_0000002" "$(recipe rcp_0000001)" "dual-write-trigger: legacy column written, key looked up in the company"
psql_run "UPDATE \"Recipe\" SET \"categoryId\" = NULL WHERE id = 'rcp_0000001'" >/dev/null
assert_eq "<null> <null>" "$(recipe rcp_0000001)" "dual-write-trigger: key cleared, legacy cleared"
psql_run "INSERT INTO \"Recipe\" (id, \"companyId\", name, category, \"updatedAt\")
          VALUES ('rcp_t1', 'cmp_0000002', 'Trigger test', 'Drinks', now())" >/dev/null
assert_eq "Drinks cat_0000015" "$(recipe rcp_t1)" "dual-write-trigger: insert with the legacy column only"
psql_run "UPDATE \"Recipe\" SET category = 'No Such Category' WHERE id = 'rcp_t1'" >/dev/null
assert_eq "No Such Category <null>" "$(recipe rcp_t1)" "dual-write-trigger: an unknown name maps to NULL"

# ---------------------------------------------------------------------------
section "pg-dump-backup"

cat >"$WORK/pg-dump-backup.yaml" <<'EOF'
runbook: t-pg-dump-backup
params:
  dir: { type: string }
  format: { type: string, default: plain }
steps:
  - id: bk
    use: pg-dump-backup
    with: { directory: "{{ params.dir }}", prefix: t_backup, format: "{{ params.format }}" }
EOF

fresh_db backup
load_example recipes --scale 20 || die "load failed"
assert_exit 0 "pg-dump-backup: GO (plain)" -- rb "$WORK/pg-dump-backup.yaml" --set "dir=$TEST_TMP/backups"
run_id=$(report .run_id)
dump=$TEST_TMP/backups/t_backup_$run_id.sql
assert_file_exists "$dump" "pg-dump-backup: the dump is named after the run"
assert_true "pg-dump-backup: the dump holds the schema and the data" -- \
  grep -q 'CREATE TABLE public."RecipeItem"' "$dump"
assert_contains "$(report '.steps[] | select(.id == "bk.size") | .output')" "t_backup_$run_id.sql" \
  "pg-dump-backup: the size is in the report"
assert_exit 0 "pg-dump-backup: GO (custom)" -- \
  rb "$WORK/pg-dump-backup.yaml" --set "dir=$TEST_TMP/backups" --set format=custom --rerun bk
dump=$TEST_TMP/backups/t_backup_$(report .run_id).dump
assert_file_exists "$dump" "pg-dump-backup: custom format, .dump"
if command -v pg_restore >/dev/null 2>&1; then
  assert_exit 0 "pg-dump-backup: pg_restore reads the custom dump" -- pg_restore --list "$dump"
fi
: >"$TEST_TMP/not-a-directory"
assert_exit 2 "pg-dump-backup: a directory that cannot be made fails the run" -- \
  rb "$WORK/pg-dump-backup.yaml" --set "dir=$TEST_TMP/not-a-directory/sub" --rerun bk
assert_eq bk.directory "$(first_failed)" "pg-dump-backup: stopped at the directory step"

# ---------------------------------------------------------------------------
section "restore-point"

cat >"$WORK/restore-point.yaml" <<'EOF'
runbook: t-restore-point
params:
  name: { type: string }
  required: { type: boolean, default: true }
steps:
  - id: rp
    use: restore-point
    with: { name: "{{ params.name }}", required: "{{ params.required }}" }
EOF

fresh_db restore_point
rp_name="rbt_templates_rp_$$"
assert_exit 1 "restore-point: NO-GO for a role that may not create one" -- \
  env PGUSER=$PLAIN_ROLE "$RUNBOOK_BIN" run --templates "$TEMPLATES" --out "$TEST_TMP/out/rp-plain" \
  "$WORK/restore-point.yaml" --set "name=${rp_name}_2"
LAST_OUT=$TEST_TMP/out/rp-plain
assert_eq rp.capable "$(first_failed)" "restore-point: stopped at capable"
assert_exit 0 "restore-point: required: false only warns, and skips it" -- \
  env PGUSER=$PLAIN_ROLE "$RUNBOOK_BIN" run --templates "$TEMPLATES" --out "$TEST_TMP/out/rp-plain-2" \
  "$WORK/restore-point.yaml" --set "name=${rp_name}_3" --set required=false
LAST_OUT=$TEST_TMP/out/rp-plain-2
assert_eq "warned skipped" "$(step_status rp.capable-warn) $(step_status rp.create)" \
  "restore-point: warned, create skipped"

assert_exit 0 "restore-point: GO as superuser" -- rb "$WORK/restore-point.yaml" --set "name=$rp_name"
assert_eq done "$(step_status rp.create)" "restore-point: created"
assert_eq warned "$(step_status rp.archiving)" "restore-point: a warning: the test cluster does not archive WAL"
if [[ -r "$RUNBOOK_TEST_CLUSTER/log" ]]; then
  sleep 0.5
  assert_true "restore-point: the server logged it" -- grep -q "restore point \"$rp_name\" created" "$RUNBOOK_TEST_CLUSTER/log"
fi

# ---------------------------------------------------------------------------
section "row-count-baseline and post-deploy-integrity"

cat >"$WORK/post-deploy-integrity.yaml" <<'EOF'
runbook: t-post-deploy-integrity
params:
  break: { type: string, default: none, one_of: [none, delete-row, not-valid] }
preflight:
  - id: baseline
    use: row-count-baseline
    with: { tables: [Recipe, RecipeItem], updated_at: updatedAt }
steps:
  - id: touch
    sql: SELECT 1;
    rollback: { irreversible: "writes nothing" }
  - id: delete-row
    when: params.break == 'delete-row'
    sql: DELETE FROM "RecipeItem" WHERE id = (SELECT max(id) FROM "RecipeItem");
    rollback: { irreversible: "a test" }
  - id: not-valid
    when: params.break == 'not-valid'
    sql: ALTER TABLE "Recipe" ADD CONSTRAINT t_left_not_valid CHECK ("yieldQuantity" > 0) NOT VALID;
    rollback: ALTER TABLE "Recipe" DROP CONSTRAINT IF EXISTS t_left_not_valid;
postflight:
  - id: integrity
    use: post-deploy-integrity
    with: { tables: [Recipe, RecipeItem], updated_at: updatedAt, check_lock_waits: true }
EOF

fresh_db integrity
load_example recipes --scale 40 || die "load failed"
save_schema "$TEST_TMP/integrity.schema"
assert_exit 0 "post-deploy-integrity: GO when nothing changed" -- rb "$WORK/post-deploy-integrity.yaml"
assert_eq done "$(step_status integrity.row-counts)" "post-deploy-integrity: row counts compared with the baseline"
assert_exit 3 "post-deploy-integrity: a NOT VALID constraint fails the postflight (exit 3)" -- \
  rb "$WORK/post-deploy-integrity.yaml" --set break=not-valid --on-failure rollback
assert_eq integrity.constraints-valid "$(first_failed)" "post-deploy-integrity: failed at constraints-valid"
assert_same_schema "$TEST_TMP/integrity.schema" "post-deploy-integrity: rolled back after the failed postflight"
assert_exit 3 "post-deploy-integrity: a lost row fails the row counts (exit 3)" -- \
  rb "$WORK/post-deploy-integrity.yaml" --set break=delete-row
assert_eq integrity.row-counts "$(first_failed)" "post-deploy-integrity: failed at row-counts"
psql -Xq -c 'CREATE UNIQUE INDEX CONCURRENTLY t_invalid ON "RecipeItem" ("recipeId")' </dev/null >/dev/null 2>&1
assert_exit 3 "post-deploy-integrity: an INVALID index fails the postflight" -- \
  rb "$WORK/post-deploy-integrity.yaml"
assert_eq integrity.indexes-valid "$(first_failed)" "post-deploy-integrity: failed at indexes-valid"

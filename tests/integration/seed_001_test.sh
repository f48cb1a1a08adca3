#!/usr/bin/env bash
# seed_001_test.sh — runbooks/001-recipes-deployment.yaml (the port of seed
# 001, the phase 1-6 deployment runbook) against examples/recipes:
#   GO      clean data: exit 0, every success criterion of the seed checked by
#           the runbook itself, the objects really there, a second run a no-op;
#   NO-GO   data with a planted problem: exit 1 at the gate for it, nothing
#           written (no journal schema, the schema unchanged, no backup);
#   ROLLBACK a failure late in the run with --on-failure rollback: the schema
#           afterwards is the one before; a run after that completes the deploy.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/seed_lib.sh"
require_cluster
require_runbook
command -v pg_dump >/dev/null 2>&1 || skip_test "pg_dump is not installed"
command -v jq >/dev/null 2>&1 || skip_test "jq is not installed (reads report.json)"

RUNBOOK=$RUNBOOK_SOURCE_DIR/runbooks/001-recipes-deployment.yaml
SCALE=${SEED_TEST_SCALE:-200}

# ---------------------------------------------------------------------------
section "validate and plan"

assert_exit 0 "the runbook validates" -- "$RUNBOOK_BIN" validate "$RUNBOOK"
assert_exit 0 "the plan renders as markdown" -- "$RUNBOOK_BIN" plan --format markdown "$RUNBOOK"
assert_contains "$(last_stdout)" "CREATE INDEX CONCURRENTLY IF NOT EXISTS \"idx_recipe_name_trgm\"" \
  "the plan shows the rendered SQL"

# ---------------------------------------------------------------------------
section "GO: clean data, scale $SCALE"

fresh_db go
load_example recipes --scale "$SCALE" || die "load failed"
BACKUPS=$TEST_TMP/backups-go
save_schema "$TEST_TMP/go.schema"
counts_before=$(psql_value 'SELECT (SELECT count(*) FROM "Recipe") || $$/$$ || (SELECT count(*) FROM "RecipeItem")')
SECONDS=0
assert_exit 0 "GO on the clean example" -- rb --set "smoke_test=test -d $TEST_TMP"
note "the run took ${SECONDS}s"
assert_match "$(report .outcome)" '^go' "report: GO"

# Every success criterion and expected output of the seed is a check of the runbook.
for id in session-timeouts m1-no-duplicates m2-no-orphans m3-no-invalid-values m5-categories-map \
          backup.dump backup.check restore-point.create \
          m1-verify m2-verify m3-verify m4-verify m5-backfill.done m5-verify \
          m6-verify-trigger m6-verify-constraint smoke-tests \
          integrity.constraints-valid integrity.indexes-valid integrity.row-counts constraints indexes; do
  assert_eq done "$(step_status "$id")" "checked by the runbook: $id"
done

# ... and the database agrees.
assert_eq 11 "$(psql_value "SELECT count(*) FROM pg_constraint WHERE convalidated AND conname IN (
  'RecipeItem_recipeId_ingredientId_key', 'RecipeSection_recipeId_order_key', 'Company_ownerId_fkey',
  'ProductionPlan_createdBy_fkey', 'ProductionTask_assignedTo_fkey', 'InventoryMovement_createdBy_fkey',
  'recipe_selling_price_positive', 'ingredient_pack_price_positive', 'recipe_yield_quantity_positive',
  'recipe_item_quantity_positive', 'recipe_category_consistency_check')")" "all 11 constraints exist, VALID"
assert_eq 9 "$(psql_value "SELECT count(*) FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
  WHERE c.relname LIKE 'idx\\_%' AND x.indisvalid AND x.indisready")" "all 9 indexes exist, valid and ready"
assert_eq gin "$(psql_value "SELECT am.amname FROM pg_class c JOIN pg_am am ON am.oid = c.relam WHERE c.relname = 'idx_recipe_name_trgm'")" \
  "the trigram index is a GIN index"
assert_eq "sync_recipe_category_trigger sync_recipe_category_from_id" \
  "$(psql_value "SELECT tgname || ' ' || tgfoid::regproc::text FROM pg_trigger WHERE tgname = 'sync_recipe_category_trigger'")" \
  "the cutover trigger and its function"
assert_eq 0 "$(psql_value "SELECT count(*) FROM \"Recipe\" WHERE NULLIF(category, '') IS NOT NULL AND \"categoryId\" IS NULL")" \
  "backfill: unmapped = 0"
assert_eq "$counts_before" "$(psql_value 'SELECT (SELECT count(*) FROM "Recipe") || $$/$$ || (SELECT count(*) FROM "RecipeItem")')" \
  "row counts unchanged"
dump=$BACKUPS/prod_backup_$(report .run_id).sql
assert_true "the pg_dump backup exists and is not empty" -- test -s "$dump"
assert_eq t "$(journal_exists)" "the journal records the run"
assert_eq "$(report .run_id)" \
  "$(psql_value "SELECT run_id FROM runbook.runs WHERE runbook_id = 'recipes-deployment-2025-01-15'")" \
  "the journal has this run"

assert_exit 0 "a second run is GO and changes nothing" -- rb --set "smoke_test=test -d $TEST_TMP"
assert_eq 0 "$(report '[.steps[] | select(.phase == "steps" and (.kind == "sql" or .kind == "command") and .status == "done")] | length')" \
  "second run: every writing step already done (skipped)"

# ---------------------------------------------------------------------------
section "dry run"

fresh_db dry
load_example recipes --scale 50 || die "load failed"
save_schema "$TEST_TMP/dry.schema"
BACKUPS=$TEST_TMP/backups-dry
assert_exit 0 "--dry-run runs the preflight only" -- rb --dry-run
assert_eq f "$(journal_exists)" "--dry-run writes no journal"
assert_same_schema "$TEST_TMP/dry.schema" "--dry-run leaves the schema as it was"
assert_true "--dry-run takes no backup" -- test ! -e "$BACKUPS"

# ---------------------------------------------------------------------------
section "NO-GO: planted problems stop at their gate, nothing written"

nogo() {  # nogo NAME EXPECTED_STEP LOAD_OPTIONS...
  local name=$1 gate=$2
  shift 2
  nogo_db recipes "$name" "$@"
  assert_exit 1 "$name: NO-GO (exit 1)" -- rb
  stopped_at "$name" "$gate"
}
nogo orphans m2-no-orphans --plant orphans
nogo duplicates m1-no-duplicates --plant duplicates
nogo negative_prices m3-no-invalid-values --plant negative_prices
nogo nonpositive_quantities m3-no-invalid-values --plant nonpositive_quantities
nogo unmapped_categories m5-categories-map --plant unmapped_categories
nogo invalid_index prerequisites.invalid-indexes --plant invalid_index
nogo no_pg_trgm prerequisites.extensions --extensions citext,uuid-ossp

# ---------------------------------------------------------------------------
section "ROLLBACK: a failed smoke test after migration 6 undoes migrations 1-6"

fresh_db rollback
load_example recipes --scale "$SCALE" || die "load failed"
save_schema "$TEST_TMP/rollback.schema"
BACKUPS=$TEST_TMP/backups-rollback
assert_exit 2 "a failing smoke test stops the run (exit 2)" -- rb --set smoke_test=false --on-failure rollback
assert_eq smoke-tests "$(first_failed)" "failed at smoke-tests"
for id in m1-recipe-item-unique.add m2-company-owner.validate m2-company-owner.add m3-recipe-selling-price.validate \
          m4-recipe-name-trgm.create m4-wholesale-order-status-date.create m6-sync-trigger.trigger \
          m6-sync-trigger.function m6-consistency-check.validate; do
  assert_eq rolled_back "$(step_status "$id")" "rolled back: $id"
done
assert_eq done "$(step_status m5-backfill.backfill)" "the backfill stays (irreversible: it only filled NULLs)"
assert_same_schema "$TEST_TMP/rollback.schema" "after the rollback the schema is the one before"
assert_exit 0 "a run after the rollback completes the deployment" -- rb
assert_eq 11 "$(psql_value "SELECT count(*) FROM pg_constraint WHERE convalidated AND conname IN (
  'RecipeItem_recipeId_ingredientId_key', 'RecipeSection_recipeId_order_key', 'Company_ownerId_fkey',
  'ProductionPlan_createdBy_fkey', 'ProductionTask_assignedTo_fkey', 'InventoryMovement_createdBy_fkey',
  'recipe_selling_price_positive', 'ingredient_pack_price_positive', 'recipe_yield_quantity_positive',
  'recipe_item_quantity_positive', 'recipe_category_consistency_check')")" "after the re-run: all 11 constraints VALID"

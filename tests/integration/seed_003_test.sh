#!/usr/bin/env bash
# seed_003_test.sh — runbooks/003-go-no-go.yaml (the port of seed 003, the
# go/no-go checklist) against examples/recipes:
#   APPROVALS  the confirm steps of the decision gate: not approved (or the
#              sign-off fields empty) is a NO-GO that writes nothing;
#   GO         every approval given: exit 0, the decision-gate items that can
#              only hold afterwards checked by the runbook, after each
#              migration and at the end; target=staging asks no approval;
#   NO-GO      data with a planted problem: exit 1 at its gate, even with every
#              approval given, nothing written;
#   ROLLBACK   the smoke test fails after the last migration, --on-failure
#              rollback: the schema afterwards is the one before.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/seed_lib.sh"
require_cluster
require_runbook
command -v pg_dump >/dev/null 2>&1 || skip_test "pg_dump is not installed"
command -v jq >/dev/null 2>&1 || skip_test "jq is not installed (reads report.json)"

RUNBOOK=$RUNBOOK_SOURCE_DIR/runbooks/003-go-no-go.yaml
SCALE=${SEED_TEST_SCALE:-200}
SIGN_OFF=(--set rollback_executor=alice --set "traffic_window=2025-01-15 02:00-04:00 UTC")
APPROVE_ALL=(--approve staging-validated --approve team-approved --approve low-traffic-window
             --approve rollback-executor --approve go-decision)

# ---------------------------------------------------------------------------
section "validate and plan"

assert_exit 0 "the runbook validates" -- "$RUNBOOK_BIN" validate "$RUNBOOK"
assert_exit 0 "the plan renders as markdown" -- "$RUNBOOK_BIN" plan --format markdown "$RUNBOOK"

# ---------------------------------------------------------------------------
section "APPROVALS: the decision gate"

fresh_db go
load_example recipes --scale "$SCALE" || die "load failed"
save_schema "$TEST_TMP/go.schema"
BACKUPS=$TEST_TMP/backups-go

assert_exit 1 "sign-off fields empty: NO-GO even with --yes" -- rb --yes
assert_eq sign-off-fields "$(first_failed)" "stopped at sign-off-fields"
nothing_written "sign-off fields empty" "$TEST_TMP/go.schema"

assert_exit 1 "not approved: NO-GO" -- rb "${SIGN_OFF[@]}"
assert_eq staging-validated "$(first_failed)" "stopped at the first confirm, staging-validated"
assert_eq no_go "$(report .outcome)" "report says NO-GO"
nothing_written "not approved" "$TEST_TMP/go.schema"

assert_exit 1 "four approvals of five: NO-GO" -- rb "${SIGN_OFF[@]}" "${APPROVE_ALL[@]:0:8}"
assert_eq go-decision "$(first_failed)" "stopped at the last confirm, go-decision"
nothing_written "four approvals" "$TEST_TMP/go.schema"

# ---------------------------------------------------------------------------
section "GO: every approval given, clean data, scale $SCALE"

counts_before=$(psql_value 'SELECT (SELECT count(*) FROM "Recipe") || $$/$$ || (SELECT count(*) FROM "RecipeItem")')
SECONDS=0
assert_exit 0 "GO with every approval" -- rb "${SIGN_OFF[@]}" "${APPROVE_ALL[@]}" --set "smoke_test=test -d $TEST_TMP"
note "the run took ${SECONDS}s"
assert_match "$(report .outcome)" '^go' "report: GO"
for id in staging-validated team-approved low-traffic-window rollback-executor go-decision; do
  assert_eq done "$(step_status "$id")" "approved: $id"
done
for id in prerequisites.required-tables orphan-integrity categories-map session-timeouts \
          restore-point.create backup.check m5-backfill.to-do m5-backfill.done \
          m1-checks.constraints-valid m2-checks.constraints-valid m3-checks.constraints-valid \
          m4-checks.indexes-valid m5-checks.row-counts m6-checks.row-counts m1-smoke m6-smoke \
          integrity.constraints-valid integrity.indexes-valid integrity.row-counts \
          constraints-created indexes-created backfill-complete; do
  assert_eq done "$(step_status "$id")" "checked by the runbook: $id"
done
assert_eq 11 "$(psql_value "SELECT count(*) FROM pg_constraint WHERE convalidated AND conname IN (
  'RecipeItem_recipeId_ingredientId_key', 'RecipeSection_recipeId_order_key', 'Company_ownerId_fkey',
  'ProductionPlan_createdBy_fkey', 'ProductionTask_assignedTo_fkey', 'InventoryMovement_createdBy_fkey',
  'recipe_selling_price_positive', 'ingredient_pack_price_positive', 'recipe_yield_quantity_positive',
  'recipe_item_quantity_positive', 'recipe_category_consistency_check')")" "all 11 constraints exist, VALID"
assert_eq 9 "$(psql_value "SELECT count(*) FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
  WHERE c.relname LIKE 'idx\\_%' AND x.indisvalid AND x.indisready")" "all 9 indexes exist, valid and ready"
assert_eq 0 "$(psql_value "SELECT count(*) FROM \"Recipe\" WHERE NULLIF(category, '') IS NOT NULL AND \"categoryId\" IS NULL")" \
  "backfill: 100% mapped"
assert_eq "$counts_before" "$(psql_value 'SELECT (SELECT count(*) FROM "Recipe") || $$/$$ || (SELECT count(*) FROM "RecipeItem")')" \
  "row counts unchanged"
assert_true "the backup exists and is not empty" -- test -s "$BACKUPS/prod_backup_$(report .run_id).sql"

assert_exit 0 "a second run (--yes) is GO and changes nothing" -- rb "${SIGN_OFF[@]}" --yes
assert_eq 0 "$(report '[.steps[] | select(.phase == "steps" and (.kind == "sql" or .kind == "command") and .status == "done")] | length')" \
  "second run: every writing step already done (skipped)"

fresh_db staging
load_example recipes --scale 50 || die "load failed"
BACKUPS=$TEST_TMP/backups-staging
assert_exit 0 "target=staging (Phase 0 rehearsal): GO without approvals" -- rb --set target=staging
assert_eq skipped "$(step_status go-decision)" "staging: the decision gate is not asked"
assert_true "staging: the backup is named for staging" -- test -s "$BACKUPS/staging_backup_$(report .run_id).sql"

# ---------------------------------------------------------------------------
section "NO-GO: planted problems stop at their gate, nothing written"

nogo() {  # nogo NAME EXPECTED_STEP LOAD_OPTIONS...
  local name=$1 gate=$2
  shift 2
  nogo_db recipes "$name" "$@"
  assert_exit 1 "$name: NO-GO (exit 1) with every approval given" -- rb "${SIGN_OFF[@]}" --yes
  stopped_at "$name" "$gate"
}
nogo orphans orphan-integrity --plant orphans
nogo orphan_items orphan-integrity --plant orphan_items
nogo duplicates no-duplicates --plant duplicates
nogo negative_prices no-invalid-values --plant negative_prices
nogo nonpositive_quantities no-invalid-values --plant nonpositive_quantities
nogo unmapped_categories categories-map --plant unmapped_categories
nogo missing_table prerequisites.required-tables --plant missing_table
nogo invalid_index prerequisites.invalid-indexes --plant invalid_index
nogo no_pg_trgm prerequisites.extensions --extensions citext,uuid-ossp

# ---------------------------------------------------------------------------
section "ROLLBACK: the smoke test fails after migration 6"

fresh_db rollback
load_example recipes --scale "$SCALE" || die "load failed"
save_schema "$TEST_TMP/rollback.schema"
BACKUPS=$TEST_TMP/backups-rollback
# A smoke test that passes five times and fails the sixth: the application
# breaks once the last migration is in.
cat >"$TEST_TMP/smoke.sh" <<EOF
#!/bin/sh
n=\$(cat "$TEST_TMP/smoke.count" 2>/dev/null || echo 0)
n=\$((n + 1))
echo "\$n" >"$TEST_TMP/smoke.count"
echo "smoke test \$n"
[ "\$n" -lt 6 ]
EOF
chmod +x "$TEST_TMP/smoke.sh"
assert_exit 2 "the smoke test after migration 6 fails (exit 2)" -- \
  rb "${SIGN_OFF[@]}" --yes --set "smoke_test=$TEST_TMP/smoke.sh" --on-failure rollback
assert_eq m6-smoke "$(first_failed)" "failed at m6-smoke"
assert_eq done "$(step_status m5-smoke)" "the smoke tests before it passed"
for id in m1-recipe-item-unique.add m2-company-owner.add m3-recipe-item-quantity.validate \
          m4-recipe-method-trgm.create m6-sync-trigger.function m6-consistency-check.add; do
  assert_eq rolled_back "$(step_status "$id")" "rolled back: $id"
done
assert_same_schema "$TEST_TMP/rollback.schema" "after the rollback the schema is the one before"

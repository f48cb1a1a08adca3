#!/usr/bin/env bash
# seed_004_test.sh — runbooks/004-execute-migration-workflow.yaml (the port of
# seed 004: staging validation, then the production deploy only if staging
# passed, then spot checks) with two databases of the shared cluster, staging
# and production, both loaded with examples/recipes:
#   GO        both clean: runbook 001 ran on staging, then on production; the
#             spot checks held; the staging URL's password is never printed;
#   NO-GO     a problem planted in staging only: the staging validation fails,
#             exit 2, production untouched (schema fingerprint, no deploy run);
#             production without an extension, or the window not confirmed:
#             exit 1 before anything runs, neither database touched;
#             STAGING_DATABASE_URL missing: exit 5;
#             STAGING_DATABASE_URL pointing at production: caught before the
#             deploy step;
#   ROLLBACK  the production deploy fails late (its smoke test): it rolls
#             itself back, production's schema is as before, exit 2.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/seed_lib.sh"
require_cluster
require_runbook
command -v pg_dump >/dev/null 2>&1 || skip_test "pg_dump is not installed"
command -v jq >/dev/null 2>&1 || skip_test "jq is not installed (reads report.json)"

RUNBOOK=$RUNBOOK_SOURCE_DIR/runbooks/004-execute-migration-workflow.yaml
DEPLOY=$RUNBOOK_SOURCE_DIR/runbooks/001-recipes-deployment.yaml
DEPLOY_ID=recipes-deployment-2025-01-15
SCALE=${SEED_TEST_SCALE:-50}
SECRET=s3cret-staging-pw   # in the staging URL (trust auth ignores it): must never be printed
STAGING_DB=
PROD_DB=

# rb ARGS... — run the workflow against production ($PROD_DB), staging in
# STAGING_DATABASE_URL. Every run keeps its journal in the default schema:
# the nested deploy's preflight must not take the outer run's `running`
# command step for a crash.
rb() {
  next_out
  PGDATABASE=$PROD_DB "$RUNBOOK_BIN" run --out "$LAST_OUT" \
    --set "deploy_runbook=$DEPLOY" --set "logs_dir=$TEST_TMP/logs" --set "backup_dir=$TEST_TMP/backups" \
    "$@" "$RUNBOOK"
}
staging_url() { printf 'postgresql://%s:%s@/%s?host=%s&port=%s' "$PGUSER" "$SECRET" "$1" "$PGHOST" "$PGPORT"; }
nested_report() {  # nested_report staging_validation|prod_deploy JQ
  jq -r "$2" "$TEST_TMP/logs/$1_$(report .run_id)/report.json" 2>/dev/null
}
in_db() { PGDATABASE=$1 psql_value "$2"; }
deploy_runs() {  # runs of runbook 001 in database $1's journal
  if [[ "$(in_db "$1" "SELECT to_regclass('runbook.runs') IS NULL")" == t ]]; then
    echo 0
  else
    in_db "$1" "SELECT count(*) FROM runbook.runs WHERE runbook_id = '$DEPLOY_ID'"
  fi
}
migrated() {  # the constraints of 001 in database $1: how many exist, validated
  in_db "$1" "SELECT count(*) FROM pg_constraint WHERE convalidated AND conname IN (
    'RecipeItem_recipeId_ingredientId_key', 'Company_ownerId_fkey', 'recipe_selling_price_positive',
    'recipe_category_consistency_check')"
}
journals() { in_db "$1" "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'runbook%'"; }

# two_dbs NAME [STAGING LOAD OPTIONS] [-- PRODUCTION LOAD OPTIONS] — fresh staging
# and production databases, recipes loaded, their schemas saved.
two_dbs() {
  local name=$1; shift
  local staging_opts=() prod_opts=()
  while [[ $# -gt 0 && "$1" != -- ]]; do staging_opts+=("$1"); shift; done
  [[ "${1:-}" == -- ]] && shift
  prod_opts=("$@")
  fresh_db "${name}_staging"; STAGING_DB=$FRESH_DB
  load_example recipes --scale "$SCALE" "${staging_opts[@]}" || die "staging load failed"
  fresh_db "${name}_prod"; PROD_DB=$FRESH_DB
  load_example recipes --scale "$SCALE" "${prod_opts[@]}" || die "production load failed"
  PGDATABASE=$STAGING_DB save_schema "$TEST_TMP/$name.staging.schema"
  PGDATABASE=$PROD_DB save_schema "$TEST_TMP/$name.prod.schema"
  export STAGING_DATABASE_URL
  STAGING_DATABASE_URL=$(staging_url "$STAGING_DB")
  rm -rf "$TEST_TMP/logs" "$TEST_TMP/backups"
}
all_output() {  # everything a run printed or wrote
  cat "$LAST_STDOUT" "$LAST_STDERR"
  find "$LAST_OUT" "$TEST_TMP/logs" -type f -exec cat {} + 2>/dev/null
}

# ---------------------------------------------------------------------------
section "validate and plan"

export STAGING_DATABASE_URL="postgresql://someone:$SECRET@staging.invalid/recipes"
assert_exit 0 "the runbook validates" -- "$RUNBOOK_BIN" validate "$RUNBOOK"
assert_exit 0 "the plan renders as markdown" -- "$RUNBOOK_BIN" plan --format markdown "$RUNBOOK"
assert_contains "$(last_stdout)" "DATABASE_URL" "the plan names the staging run's environment variable"
assert_not_contains "$(last_stdout)$(last_stderr)" "$SECRET" "... but never its value"

# ---------------------------------------------------------------------------
section "GO: staging passes, production is deployed, spot checks hold"

two_dbs go
SECONDS=0
assert_exit 0 "GO" -- rb --yes
note "the workflow (two runs of 001) took ${SECONDS}s"
assert_match "$(report .outcome)" '^go' "report: GO"
for id in prod-extensions pool-headroom no-idle-in-transaction low-traffic-window staging-validation \
          production-deploy spot-constraints-validated spot-indexes-valid deploy-recorded cleanup-held-back; do
  assert_eq done "$(step_status "$id")" "done: $id"
done
assert_eq done "$(step_status staging-was-not-production)" \
  "staging-was-not-production: no run of 001 in production's journal before the deploy"
assert_eq 4 "$(migrated "$STAGING_DB")" "staging: runbook 001 applied"
assert_eq 4 "$(migrated "$PROD_DB")" "production: runbook 001 applied"
assert_eq 1 "$(deploy_runs "$STAGING_DB")" "staging's journal: one run of 001"
assert_eq 1 "$(deploy_runs "$PROD_DB")" "production's journal: one run of 001"
assert_match "$(nested_report staging_validation .outcome)" '^go' "the staging validation's own report: GO"
assert_match "$(nested_report prod_deploy .outcome)" '^go' "the production deploy's own report: GO"
assert_contains "$(nested_report staging_validation .database)" "dbname=$STAGING_DB" \
  "the staging validation ran against staging"
assert_contains "$(nested_report prod_deploy .database)" "dbname=$PROD_DB" \
  "the production deploy ran against production"
assert_not_contains "$(all_output)" "$SECRET" "the staging password appears in no output, report or log"

assert_exit 0 "a second run: GO, nothing run again" -- rb --yes
assert_eq skipped "$(step_status production-deploy)" "second run: the deploy is done already"
assert_eq 1 "$(deploy_runs "$PROD_DB")" "second run: no new run of 001 on production"

# ---------------------------------------------------------------------------
section "NO-GO: staging validation fails (orphans in staging only), production untouched"

two_dbs stagingfail --plant orphans
assert_exit 2 "the staging validation fails: exit 2" -- rb --yes
assert_eq staging-validation "$(first_failed)" "... at staging-validation"
assert_contains "$(report '.steps[] | select(.id == "staging-validation") | .note + " " + (.exit_code|tostring)')" "1" \
  "the staging run's exit code (1: its preflight said NO-GO) is the gate"
assert_eq m2-no-orphans "$(nested_report staging_validation '[.steps[] | select(.status == "failed")][0].id')" \
  "the staging run's report names the gate (the seed's triage)"
assert_eq "" "$(step_status production-deploy)" "the production deploy never ran"
PGDATABASE=$PROD_DB assert_same_schema "$TEST_TMP/stagingfail.prod.schema" "production: schema unchanged"
assert_eq 0 "$(deploy_runs "$PROD_DB")" "production: no run of 001"
assert_eq 0 "$(migrated "$PROD_DB")" "production: none of 001's constraints"
assert_true "production: no backup taken" -- test ! -e "$TEST_TMP/backups/prod_deploy_$(report .run_id)"
PGDATABASE=$STAGING_DB assert_same_schema "$TEST_TMP/stagingfail.staging.schema" \
  "staging: unchanged too (001 stopped at its preflight)"

# ---------------------------------------------------------------------------
section "NO-GO before anything runs"

two_dbs noext -- --extensions citext,uuid-ossp
assert_exit 1 "production without pg_trgm: NO-GO (exit 1)" -- rb --yes
assert_eq prod-extensions "$(first_failed)" "... at prod-extensions"
assert_eq "0 0" "$(journals "$PROD_DB") $(journals "$STAGING_DB")" "no journal in either database"
PGDATABASE=$PROD_DB assert_same_schema "$TEST_TMP/noext.prod.schema" "production unchanged"
PGDATABASE=$STAGING_DB assert_same_schema "$TEST_TMP/noext.staging.schema" "staging unchanged: not even validated"

two_dbs window
assert_exit 1 "the low-traffic window not confirmed: NO-GO (exit 1)" -- rb
assert_eq low-traffic-window "$(first_failed)" "... at low-traffic-window"
assert_eq "0 0" "$(journals "$PROD_DB") $(journals "$STAGING_DB")" "no journal in either database"
assert_exit 0 "--approve low-traffic-window: GO" -- rb --approve low-traffic-window

unset STAGING_DATABASE_URL
assert_exit 5 "STAGING_DATABASE_URL not set: exit 5" -- rb --yes
assert_contains "$(last_stdout)$(last_stderr)" "STAGING_DATABASE_URL" "... naming the variable"

two_dbs sameurl
STAGING_DATABASE_URL=$(staging_url "$PROD_DB")
assert_exit 2 "STAGING_DATABASE_URL pointing at production: exit 2" -- rb --yes
assert_eq staging-was-not-production "$(first_failed)" "... caught at staging-was-not-production"
assert_eq "" "$(step_status production-deploy)" "the deploy step did not run"

# ---------------------------------------------------------------------------
section "ROLLBACK: the production deploy fails late and rolls itself back"

two_dbs rollback
SECONDS=0
assert_exit 2 "a failing smoke test on production: exit 2" -- rb --yes --set smoke_test=false
note "the workflow and the rollback took ${SECONDS}s"
assert_eq production-deploy "$(first_failed)" "... at production-deploy"
assert_eq smoke-tests "$(nested_report prod_deploy '[.steps[] | select(.status == "failed")][0].id')" \
  "the production run failed at its smoke test"
assert_contains "$(nested_report prod_deploy .summary)" "rolled back" "... and rolled back"
PGDATABASE=$PROD_DB assert_same_schema "$TEST_TMP/rollback.prod.schema" "production: schema exactly as before (fingerprint)"
assert_eq 4 "$(migrated "$STAGING_DB")" "staging keeps the validated migration"

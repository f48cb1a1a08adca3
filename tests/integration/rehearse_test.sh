#!/usr/bin/env bash
# rehearse_test.sh — `runbook rehearse` on throwaway clusters of its own:
#   SEEDS        every seed runbook in runbooks/ rehearses clean (run, rollback,
#                schema fingerprint equal to the start, run again) on the schema
#                and data of its example application, in one command each
#                (004 with a staging database from --database-env);
#   BROKEN       a rollback that does not undo its step fails at `fingerprint`
#                (exit 4) and shows the difference; a rollback that errors fails
#                at `rollback` (exit 4); a step that cannot run twice fails at
#                `run-again`;
#   FROM-DB      --from-db copies the schema of a database (the shared test
#                cluster, when there is one);
#   ENVIRONMENT  no server binaries: exit 6 naming what to install; a missing
#                --schema file: exit 5 before any cluster; Ctrl-C: exit 130;
#                nothing is left behind in TMPDIR either way.
source "$(dirname "$0")/lib.sh"
require_runbook
command -v jq >/dev/null 2>&1 || skip_test "jq is not installed (reads rehearsal.json)"
pg_bindir_found() {
  [[ -n "${RUNBOOK_PG_BINDIR:-}" ]] || command -v pg_config >/dev/null 2>&1 ||
    compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
}
pg_bindir_found || skip_test "no PostgreSQL server binaries"

RUNBOOKS=$RUNBOOK_SOURCE_DIR/runbooks
RECIPES=$EXAMPLES_DIR/recipes
USERS=$EXAMPLES_DIR/users
SCALE=${SEED_TEST_SCALE:-50}
# The clusters live here, so that the test can see they are gone afterwards.
# As root the server user must be able to traverse it.
CLUSTERS=$TEST_TMP/clusters
mkdir -p "$CLUSTERS"
chmod go+x "$TEST_TMP" "$CLUSTERS"
_N=0
OUT=

# rh ARGS... — rehearse; its report in $OUT.
rh() {
  _N=$((_N + 1))
  OUT=$TEST_TMP/out/rehearsal.$_N
  TMPDIR=$CLUSTERS "$RUNBOOK_BIN" rehearse --out "$OUT" "$@"
}
report() { jq -r "$1" "$OUT/rehearsal.json" 2>/dev/null; }
stage() { report ".stages[] | select(.name == \"$1\") | .$2"; }
no_cluster_left() {  # no_cluster_left MESSAGE
  assert_eq "" "$(ls -A "$CLUSTERS")" "$1: the throwaway cluster is gone"
}
all_passed() {  # all_passed LABEL
  assert_eq "passed passed passed passed passed passed" \
    "$(report '[.stages[].status] | join(" ")')" "$1: every stage passed"
  assert_eq true "$(report .passed)" "$1: rehearsal.json says passed"
  assert_eq "$(report .fingerprint.before)" "$(report .fingerprint.after)" \
    "$1: fingerprint after the rollback equals the start"
  no_cluster_left "$1"
}

RECIPES_DB=(--schema "$RECIPES/extensions.sql" --schema "$RECIPES/schema.sql"
            --data "$RECIPES/data.sql" --var "scale=$SCALE")

# ---------------------------------------------------------------------------
section "SEEDS: every seed runbook rehearses clean"

assert_exit 0 "000 on examples/users (orphans and the audit table planted)" -- \
  rh "$RUNBOOKS/000-users-fk-v25a.yaml" --schema "$USERS/schema.sql" --data "$USERS/data.sql" \
  --var "scale=$SCALE" --var plant=orphans,audit_table --yes --set "backup_dir=$TEST_TMP/b000"
all_passed 000
assert_match "$(stage rollback details)" "orphans\\[0\\].*irreversible" \
  "000: the orphan cleanup is reported as not undone (irreversible)"
assert_file_exists "$OUT/run/report.json" "000: the first run's report is kept"
assert_file_exists "$OUT/run-again/report.json" "000: the second run's report is kept"
assert_num "$(jq '[.steps[] | select(.status == "rolled_back")] | length' "$OUT/run/report.json")" -gt 5 \
  "000: the first run's report shows its steps rolled back"

assert_exit 0 "001 on examples/recipes" -- \
  rh "$RUNBOOKS/001-recipes-deployment.yaml" "${RECIPES_DB[@]}" --set "backup_dir=$TEST_TMP/b001"
all_passed 001
assert_contains "$(last_stdout)" "REHEARSAL PASSED" "001: the text report says PASSED"

assert_exit 0 "002 on examples/recipes" -- \
  rh "$RUNBOOKS/002-migrate-safe.yaml" "${RECIPES_DB[@]}" --set "backup_dir=$TEST_TMP/b002"
all_passed 002

assert_exit 0 "003 on examples/recipes, every approval given" -- \
  rh "$RUNBOOKS/003-go-no-go.yaml" "${RECIPES_DB[@]}" --set "backup_dir=$TEST_TMP/b003" \
  --set rollback_executor=alice --set "traffic_window=2025-01-15 02:00-04:00 UTC" --yes
all_passed 003

# 004 runs 001 against staging (a copy of the loaded database, through
# STAGING_DATABASE_URL) and then against production, as nested runs; its
# rollback is `runbook rollback` of 001 on each.
assert_exit 0 "004 on examples/recipes, staging a second database (--database-env)" -- \
  rh "$RUNBOOKS/004-execute-migration-workflow.yaml" "${RECIPES_DB[@]}" \
  --database-env STAGING_DATABASE_URL --yes --set "deploy_runbook=$RUNBOOKS/001-recipes-deployment.yaml" \
  --set "backup_dir=$TEST_TMP/b004" --set "logs_dir=$TEST_TMP/logs004"
all_passed 004
assert_match "$(stage schema details)" "staging_database_url.*STAGING_DATABASE_URL" \
  "004: the schema stage names the second database"
assert_eq "rolled_back rolled_back" \
  "$(jq -r '[.steps[] | select(.id == "staging-validation" or .id == "production-deploy") | .status] | join(" ")' \
    "$OUT/run/report.json")" "004: both nested runs were rolled back by their rollback commands"
assert_contains "$(stage fingerprint summary)" "--database-env copies too" \
  "004: the staging copy's schema is back to the start too"
assert_exit 5 "--database-env DATABASE_URL (the run's own target): exit 5 before any cluster" -- \
  rh "$RUNBOOKS/004-execute-migration-workflow.yaml" "${RECIPES_DB[@]}" --database-env DATABASE_URL
assert_contains "$(last_stderr)" "not DATABASE_URL" "--database-env DATABASE_URL: says why"
no_cluster_left "--database-env DATABASE_URL"
assert_exit 1 "003 without approvals: NO-GO at the run stage (exit 1)" -- \
  rh "$RUNBOOKS/003-go-no-go.yaml" "${RECIPES_DB[@]}" --set "backup_dir=$TEST_TMP/b003n" \
  --set rollback_executor=alice --set "traffic_window=2025-01-15 02:00-04:00 UTC" --format json
assert_eq run "$(report .failed_stage)" "003 unapproved: the failed stage is run"
assert_eq run "$(last_stdout | jq -r .failed_stage)" "003 unapproved: --format json prints rehearsal.json"
assert_contains "$(stage run summary)" "NO-GO" "003 unapproved: the run stage says NO-GO"
no_cluster_left "003 unapproved"

# ---------------------------------------------------------------------------
section "BROKEN: rollbacks that do not undo, steps that cannot run twice"

cat >"$TEST_TMP/items.sql" <<'EOF'
CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL);
INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 100) g;
EOF
write_runbook() {  # write_runbook NAME SQL ROLLBACK
  cat >"$TEST_TMP/$1.yaml" <<EOF
runbook: $1
session: { lock_timeout: 2s }
steps:
  - id: change
    sql: $2
    rollback: $3
EOF
}

write_runbook index-kept "CREATE INDEX items_name ON items (name);" "SELECT 1;"
assert_exit 4 "a rollback that leaves the index: exit 4" -- \
  rh "$TEST_TMP/index-kept.yaml" --schema "$TEST_TMP/items.sql"
assert_eq fingerprint "$(report .failed_stage)" "index kept: the failed stage is fingerprint"
assert_contains "$(stage fingerprint details)" "+ index CREATE INDEX items_name ON public.items USING btree (name)" \
  "index kept: the difference names the index left behind"
assert_contains "$(last_stdout)" "REHEARSAL FAILED at fingerprint (exit 4)" "index kept: the text report names the stage"
assert_eq not_reached "$(stage run-again status)" "index kept: the second run is not reached"
no_cluster_left "index kept"

write_runbook rollback-errors "ALTER TABLE items ADD COLUMN price numeric;" \
  "ALTER TABLE items DROP COLUMN cost;"
assert_exit 4 "a rollback that fails: exit 4" -- rh "$TEST_TMP/rollback-errors.yaml" --schema "$TEST_TMP/items.sql"
assert_eq rollback "$(report .failed_stage)" "rollback errors: the failed stage is rollback"
assert_contains "$(stage rollback summary)" "cost" "rollback errors: the summary has the server's error"
no_cluster_left "rollback errors"

write_runbook insert-once "INSERT INTO items VALUES (1000, 'new');" "SELECT 1;"
assert_exit 2 "a step that cannot run twice: exit 2" -- rh "$TEST_TMP/insert-once.yaml" --schema "$TEST_TMP/items.sql"
assert_eq run-again "$(report .failed_stage)" "insert once: the failed stage is run-again"
assert_eq passed "$(stage fingerprint status)" "insert once: the schema was restored (data is not in the fingerprint)"
assert_contains "$(jq -r '.steps[0].error.message' "$OUT/run-again/report.json")" "duplicate key" \
  "insert once: the second run's report has the unique violation"
no_cluster_left "insert once"

write_runbook good "CREATE INDEX items_name ON items (name);" "DROP INDEX items_name;"
assert_exit 0 "the same index with its real rollback: exit 0" -- rh "$TEST_TMP/good.yaml" --schema "$TEST_TMP/items.sql"
all_passed "good"

# ---------------------------------------------------------------------------
section "FROM-DB: the schema of an existing database"

if [[ -n "${RUNBOOK_TEST_CLUSTER:-}" && -f "$RUNBOOK_TEST_CLUSTER/env" ]]; then
  require_cluster
  fresh_db source
  psql_run "$(cat "$TEST_TMP/items.sql")" >/dev/null || die "source schema"
  source_url="postgresql:///$FRESH_DB?host=$PGHOST&port=$PGPORT&user=$PGUSER"
  assert_exit 4 "--from-db: the broken rollback is found on the copied schema" -- \
    rh "$TEST_TMP/index-kept.yaml" --from-db "$source_url"
  assert_eq fingerprint "$(report .failed_stage)" "--from-db: fails at fingerprint"
  assert_exit 0 "--from-db: the good runbook passes" -- rh "$TEST_TMP/good.yaml" --from-db "$source_url"
  all_passed "--from-db"
  assert_eq 0 "$(psql_value "SELECT count(*) FROM pg_indexes WHERE indexname = 'items_name'")" \
    "--from-db: the source database is untouched"
else
  note "no shared test cluster: --from-db not tested"
fi

# ---------------------------------------------------------------------------
section "ENVIRONMENT: binaries, usage, interrupts"

assert_exit 6 "RUNBOOK_PG_BINDIR without a server: exit 6" -- \
  env RUNBOOK_PG_BINDIR=$TEST_TMP/nowhere "$RUNBOOK_BIN" rehearse --out "$TEST_TMP/out/nobin" \
  "$TEST_TMP/good.yaml" --schema "$TEST_TMP/items.sql"
assert_contains "$(last_stdout)" "Install the Debian package 'postgresql'" "no binaries: says what to install"
assert_eq cluster "$(jq -r .failed_stage "$TEST_TMP/out/nobin/rehearsal.json")" "no binaries: fails at cluster"

mkdir -p "$TEST_TMP/empty-versions"
assert_exit 6 "no pg_config on PATH and no versions directory: exit 6" -- \
  env PATH=/nonexistent RUNBOOK_PG_VERSIONS_DIR=$TEST_TMP/empty-versions "$RUNBOOK_BIN" rehearse \
  --out "$TEST_TMP/out/nosearch" "$TEST_TMP/good.yaml" --schema "$TEST_TMP/items.sql"
assert_contains "$(last_stdout)" "$TEST_TMP/empty-versions/*/bin" "no binaries: says where it looked"

assert_exit 5 "a missing --schema file: exit 5" -- rh "$TEST_TMP/good.yaml" --schema "$TEST_TMP/missing.sql"
assert_contains "$(last_stderr)" "cannot read $TEST_TMP/missing.sql" "missing file: named"
no_cluster_left "missing file"

cat >"$TEST_TMP/slow.yaml" <<'EOF'
runbook: slow
steps:
  - id: sleep
    sql: SELECT pg_sleep(60);
    rollback: SELECT 1;
EOF
TMPDIR=$CLUSTERS "$RUNBOOK_BIN" rehearse --out "$TEST_TMP/out/slow" "$TEST_TMP/slow.yaml" \
  --schema "$TEST_TMP/items.sql" </dev/null >"$TEST_TMP/slow.stdout" 2>"$TEST_TMP/slow.stderr" &
slow=$!
at_exit "kill $slow 2>/dev/null"
for _ in $(seq 600); do
  grep -q "rehearse: run" "$TEST_TMP/slow.stderr" 2>/dev/null && break
  sleep 0.1
done
sleep 1
kill -INT "$slow"
wait "$slow"
assert_eq 130 "$?" "Ctrl-C during the run: exit 130"
assert_eq run "$(jq -r .failed_stage "$TEST_TMP/out/slow/rehearsal.json")" "Ctrl-C: the interrupted stage is named"
no_cluster_left "Ctrl-C"

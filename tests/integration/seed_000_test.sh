#!/usr/bin/env bash
# seed_000_test.sh — runbooks/000-users-fk-v25a.yaml (the port of seed 000,
# the hardened v25a FK migration) against examples/users:
#   GO       orphans planted and the optional audit table present: exit 0 with
#            warnings that count the deleted / nullified orphans, every success
#            criterion of the seed checked by the runbook itself, the FKs and
#            indexes really there; a second run writes nothing;
#            without the audit table its steps are skipped; an FK that exists
#            already (a partial earlier run) is kept, not added again;
#   NO-GO    schema drift, an unapproved checklist, a long transaction, a
#            missing table: exit 1 at the right gate, nothing written (no
#            journal schema, the schema fingerprint unchanged, no backup);
#   ROLLBACK a failed smoke test after the migration: on_failure: rollback
#            undoes it (the schema fingerprint equals the one before) but the
#            deleted orphans stay deleted, as the seed warns; the next run
#            completes the migration.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/seed_lib.sh"
require_cluster
require_runbook
command -v pg_dump >/dev/null 2>&1 || skip_test "pg_dump is not installed"
command -v jq >/dev/null 2>&1 || skip_test "jq is not installed (reads report.json)"

RUNBOOK=$RUNBOOK_SOURCE_DIR/runbooks/000-users-fk-v25a.yaml
SCALE=${SEED_TEST_SCALE:-100}

# The user-related FKs, as "table.column" (the order of the runbook's list).
FKS=(dashboard_widgets.user_id user_sessions.user_id user_preferences.user_id api_keys.user_id
     error_logs.user_id audit_events.user_id migration_rollback_audit.initiated_by)

validated_fks() {
  psql_value "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND convalidated
                AND confrelid = 'users'::regclass AND conname LIKE '%\\_fkey'"
}
orphans_of() {  # orphans_of TABLE COLUMN
  psql_value "SELECT count(*) FROM $1 t WHERE t.$2 IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM users u WHERE u.user_id = t.$2)"
}

# ---------------------------------------------------------------------------
section "validate and plan"

assert_exit 0 "the runbook validates" -- "$RUNBOOK_BIN" validate "$RUNBOOK"
assert_exit 0 "the plan renders as markdown" -- "$RUNBOOK_BIN" plan --format markdown "$RUNBOOK"
assert_contains "$(last_stdout)" 'ADD CONSTRAINT "migration_rollback_audit_initiated_by_fkey"' \
  "the plan shows the rendered FK of every table, the optional one too"
assert_contains "$(last_stdout)" "rollback does NOT restore deleted orphan data" \
  "the plan says the orphan cleanup is irreversible"

# ---------------------------------------------------------------------------
section "GO: orphans planted, audit table present, scale $SCALE"

fresh_db go
load_example users --scale "$SCALE" --plant orphans,audit_table || die "load failed"
BACKUPS=$TEST_TMP/backups-go
widgets_before=$(psql_value "SELECT count(*) FROM dashboard_widgets")
error_logs_before=$(psql_value "SELECT count(*) FROM error_logs")
SECONDS=0
assert_exit 0 "GO on the planted example" -- rb --yes
note "the run took ${SECONDS}s"
assert_eq go_with_warnings "$(report .outcome)" "report: GO with warnings (the orphans)"

# The seed's "WARNING: Deleted 5 orphan rows" / "Nullified 12 orphan references".
expected_orphans=(5 3 4 2 12 7 2)
for i in "${!FKS[@]}"; do
  assert_eq warned "$(step_status "orphans[$i]")" "orphans[$i] (${FKS[$i]}) is a warning"
  assert_eq "${expected_orphans[$i]}" "$(step_field "orphans[$i]" rows_affected)" \
    "orphans[$i]: ${expected_orphans[$i]} rows affected, as planted"
done
assert_contains "$(last_stdout)$(last_stderr)" "expected 0 rows affected, got 5 rows affected" \
  "the terminal says how many orphan rows were deleted"

# Every success criterion of the seed is a check of the runbook ...
for i in "${!FKS[@]}"; do
  for id in "fk-column[$i]" "add-fk[$i]" "validate-fk[$i]" "fk-integrity[$i]"; do
    assert_eq done "$(step_status "$id")" "checked by the runbook: $id"
  done
done
for id in prerequisites.required-tables prerequisites.long-transactions users-key \
          backup.dump backup.check constraints-valid indexes-valid; do
  assert_eq done "$(step_status "$id")" "checked by the runbook: $id"
done
assert_eq skipped "$(step_status 'index[2]')" "user_preferences: no second index (its primary key leads with user_id)"

# ... and the database agrees.
assert_eq 7 "$(validated_fks)" "all 7 FKs to users exist and are validated"
for fk in "${FKS[@]}"; do
  assert_eq 0 "$(orphans_of "${fk%.*}" "${fk#*.}")" "orphan_count = 0: $fk"
done
assert_eq 6 "$(psql_value "SELECT count(*) FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
                            WHERE c.relname LIKE 'idx\\_%\\_fk' AND x.indisvalid AND x.indisready")" \
  "6 FK indexes built, valid and ready"
assert_eq 0 "$(psql_value "
  SELECT count(*) FROM pg_constraint k
  WHERE k.contype = 'f' AND k.confrelid = 'users'::regclass
    AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = k.conrelid AND i.indkey[0] = k.conkey[1]
                                             AND i.indisvalid)")" "every FK column has an index"
assert_eq "CASCADE SET NULL" "$(psql_value "
  SELECT string_agg(DISTINCT CASE confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' END, ' ')
  FROM pg_constraint WHERE contype = 'f' AND confrelid = 'users'::regclass")" \
  "ON DELETE CASCADE for the required FKs, SET NULL for the optional ones"
assert_eq $((widgets_before - 5)) "$(psql_value "SELECT count(*) FROM dashboard_widgets")" \
  "required FK: the 5 orphan widgets were deleted"
assert_eq "$error_logs_before" "$(psql_value "SELECT count(*) FROM error_logs")" \
  "optional FK: no error_logs row deleted (the orphans were set NULL)"
assert_true "the pg_dump backup exists and is not empty" -- \
  test -s "$BACKUPS/v25a_$(report .run_id).dump"

assert_exit 0 "a second run is GO and writes nothing" -- rb --yes
assert_eq go "$(report .outcome)" "second run: GO without warnings"
assert_eq 0 "$(report '[.steps[] | select(.phase == "steps" and .status != "skipped")] | length')" \
  "second run: every step already done (skipped)"

# ---------------------------------------------------------------------------
section "GO: clean data without the audit table — its FK is skipped"

fresh_db noaudit
load_example users --scale "$SCALE" || die "load failed"
BACKUPS=$TEST_TMP/backups-noaudit
assert_exit 0 "GO without migration_rollback_audit" -- rb --yes
assert_eq go "$(report .outcome)" "report: GO (no orphans, no warning)"
for id in "fk-column[6]" "add-fk[6]" "orphans[6]" "validate-fk[6]" "index[6]" "fk-integrity[6]"; do
  assert_eq skipped "$(step_status "$id")" "$id skipped: the table does not exist"
done
assert_eq 6 "$(validated_fks)" "the 6 other FKs exist and are validated"

# ---------------------------------------------------------------------------
section "GO: an FK left by a partial earlier run is kept"

fresh_db existing
load_example users --scale "$SCALE" --plant existing_fk || die "load failed"
BACKUPS=$TEST_TMP/backups-existing
assert_exit 0 "GO with user_sessions_user_id_fkey already there" -- rb --yes
assert_eq skipped "$(step_status 'add-fk[1]')" "add-fk[1] skipped: the FK exists"
assert_eq skipped "$(step_status 'validate-fk[1]')" "validate-fk[1] skipped: the FK is valid already"
assert_eq done "$(step_status 'index[1]')" "index[1] still built"
assert_eq 6 "$(validated_fks)" "6 FKs (the audit table is absent)"

# ---------------------------------------------------------------------------
section "NO-GO: the gates stop before anything is written"


# Schema drift: a required FK column became nullable; deleting its orphans
# would no longer be the right fix.
nogo_db users drift --plant orphans
psql_run "ALTER TABLE api_keys ALTER COLUMN user_id DROP NOT NULL" >/dev/null || die "drift"
save_schema "$TEST_TMP/nogo_drift.schema"
assert_exit 1 "drift: NO-GO (exit 1)" -- rb --yes
stopped_at drift "fk-column[3]"
assert_eq 2 "$(orphans_of api_keys user_id)" "drift: the orphans are still there"

# The checklist is not ticked: no --yes, no --approve go-ahead.
nogo_db users unapproved --plant orphans
assert_exit 1 "unapproved checklist: NO-GO (exit 1)" -- rb
stopped_at unapproved go-ahead
assert_contains "$(last_stdout)$(last_stderr)" "--approve go-ahead" "unapproved: says how to approve"

# A transaction open for longer than max_transaction_age.
nogo_db users longtx
psql -X -q -c "SET application_name = 'seed000_long_tx'; SELECT pg_sleep(60)" </dev/null >/dev/null 2>&1 &
sleeper=$!
at_exit "kill $sleeper 2>/dev/null"
for _ in $(seq 50); do
  [[ "$(psql_value "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'seed000_long_tx'
                      AND xact_start < now() - interval '1 second'")" == 1 ]] && break
  sleep 0.1
done
assert_exit 1 "long transaction: NO-GO (exit 1)" -- rb --yes --set "max_transaction_age=1 second"
stopped_at longtx prerequisites.long-transactions
psql_value "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'seed000_long_tx'" >/dev/null
wait "$sleeper" 2>/dev/null

# A required table is missing (staging and production expect the full schema) ...
nogo_db users missing
psql_run "DROP TABLE audit_events" >/dev/null || die "drop"
save_schema "$TEST_TMP/nogo_missing.schema"
assert_exit 1 "missing table: NO-GO (exit 1)" -- rb --yes
stopped_at missing prerequisites.required-tables
# ... which local development may allow: its steps are skipped.
assert_exit 0 "partial schema with --set require_tables=users: GO" -- rb --yes --set require_tables=users
assert_eq skipped "$(step_status 'add-fk[5]')" "add-fk[5] (audit_events) skipped"
assert_eq 5 "$(validated_fks)" "the 5 present tables got their FK"

# ---------------------------------------------------------------------------
section "ROLLBACK: a failed smoke test undoes the migration, not the orphan cleanup"

fresh_db rollback
load_example users --scale "$SCALE" --plant orphans,audit_table || die "load failed"
BACKUPS=$TEST_TMP/backups-rollback
save_schema "$TEST_TMP/rollback.schema"
widgets_before=$(psql_value "SELECT count(*) FROM dashboard_widgets")
SECONDS=0
assert_exit 2 "a failing smoke test: exit 2" -- rb --yes --set smoke_test=false
note "the run and its rollback took ${SECONDS}s"
assert_eq smoke-tests "$(first_failed)" "the smoke test failed"
assert_contains "$(report .summary)" "rolled back" "report: the completed steps were rolled back"
assert_eq rolled_back "$(step_status 'validate-fk[0]')" "validate-fk[0] rolled back"
assert_eq rolled_back "$(step_status 'index[4]')" "index[4] rolled back"
assert_contains "$(last_stdout)$(last_stderr)" "orphans[0]: not undone (irreversible" "the orphan cleanup is said to be irreversible"
assert_same_schema "$TEST_TMP/rollback.schema" "the schema is exactly as before (fingerprint)"
assert_eq 0 "$(validated_fks)" "no FK to users left"
assert_eq $((widgets_before - 5)) "$(psql_value "SELECT count(*) FROM dashboard_widgets")" \
  "the deleted orphans are NOT restored (the seed's warning)"

assert_exit 0 "the next run completes the migration" -- rb --yes
assert_eq 7 "$(validated_fks)" "after the re-run: 7 FKs"
assert_eq skipped "$(step_status 'orphans[0]')" "the orphan cleanup is not repeated (done, irreversible)"

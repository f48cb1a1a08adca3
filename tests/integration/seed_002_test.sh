#!/usr/bin/env bash
# seed_002_test.sh — runbooks/002-migrate-safe.yaml (the port of seed 002, the
# migrate-safe.sh harness) against examples/recipes, mode by mode:
#   --preflight   run --dry-run: exit 0, nothing written;
#   --apply       run: exit 0, backup, migrations 027-030, every postflight check
#                 of the seed (FK validation, orphans, checksum, dirty) held;
#   --steps=1     run --only m027, then m028 ...: one migration at a time;
#   --postflight  run again once applied: nothing written, the checks again;
#   --skip-backup --set skip_backup=true;
#   NO-GO         an INVALID index, a long transaction, a blocking lock, a
#                 dirty step of another runbook: exit 1, nothing written;
#                 a step of this runbook left running: exit 6;
#   postflight    orphans written with triggers off: exit 3, and with
#                 --on-failure rollback the schema is exactly as before.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/seed_lib.sh"
require_cluster
require_runbook
command -v pg_dump >/dev/null 2>&1 || skip_test "pg_dump is not installed"
command -v jq >/dev/null 2>&1 || skip_test "jq is not installed (reads report.json)"

RUNBOOK=$RUNBOOK_SOURCE_DIR/runbooks/002-migrate-safe.yaml
SCALE=${SEED_TEST_SCALE:-200}
journal_rows() { psql_value "SELECT count(*) FROM runbook.steps"; }

has_prefs() { psql_value "SELECT to_regclass('user_preferences') IS NOT NULL"; }
currency_state() {  # absent | nullable | not null
  psql_value "SELECT coalesce((SELECT CASE WHEN attnotnull THEN 'not null' ELSE 'nullable' END
                               FROM pg_attribute WHERE attrelid = '\"SalesRecord\"'::regclass
                                 AND attname = 'currency' AND NOT attisdropped), 'absent')"
}

# ---------------------------------------------------------------------------
section "validate and plan (--dry-run, first half: no database)"

assert_exit 0 "the runbook validates" -- "$RUNBOOK_BIN" validate "$RUNBOOK"
assert_exit 0 "the plan renders as markdown" -- "$RUNBOOK_BIN" plan --format markdown "$RUNBOOK"
plan=$(last_stdout)
assert_contains "$plan" "CREATE TABLE \"public\".user_preferences" "the plan shows migration 027"
assert_contains "$plan" "ALTER COLUMN currency SET NOT NULL" "the plan shows migration 030"
assert_contains "$plan" '`--force` (skip the preflight) | not offered, on purpose' \
  "the description maps the harness's modes onto runbook's commands"

# ---------------------------------------------------------------------------
section "--preflight: run --dry-run writes nothing"

fresh_db apply
load_example recipes --scale "$SCALE" || die "load failed"
BACKUPS=$TEST_TMP/backups-apply
save_schema "$TEST_TMP/apply.schema"
assert_exit 0 "--dry-run: exit 0" -- rb --dry-run
assert_eq dry_run "$(report .outcome)" "report: dry run"
for id in prerequisites.long-transactions prerequisites.blocking-locks pending-changes schema-size schema-before; do
  assert_eq done "$(step_status "$id")" "preflight ran: $id"
done
assert_eq f "$(journal_exists)" "--dry-run: no journal schema"
assert_same_schema "$TEST_TMP/apply.schema" "--dry-run: schema unchanged"
assert_true "--dry-run: no backup" -- test ! -e "$BACKUPS"

# ---------------------------------------------------------------------------
section "--apply: run, scale $SCALE"

SECONDS=0
assert_exit 0 "--apply: GO" -- rb --set batch_size=300
note "the run took ${SECONDS}s"
assert_eq go "$(report .outcome)" "report: GO"
for id in backup.dump backup.check m027.create m028.add-column m029.backfill.to-do \
          m029.backfill.backfill-with-undo m029.backfill.done m030.check.violators m030.check.add \
          m030.check.validate m030.set-not-null m030.drop-check \
          constraints-valid orphans indexes-valid dirty schema-after schema-checksum; do
  assert_eq done "$(step_status "$id")" "done: $id"
done
assert_true "the backup exists and is not empty" -- test -s "$BACKUPS/backup_$(report .run_id).dump"
assert_exit 0 "the backup is a pg_dump archive" -- pg_restore --list "$BACKUPS/backup_$(report .run_id).dump"
assert_eq t "$(has_prefs)" "027: user_preferences exists"
assert_eq "user_preferences_user_id_fkey FOREIGN KEY (user_id) REFERENCES \"User\"(id) ON DELETE CASCADE" \
  "$(psql_value "SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
                 WHERE conrelid = 'user_preferences'::regclass AND contype = 'f'")" "027: its FK to \"User\""
assert_eq 1 "$(psql_value "SELECT count(*) FROM pg_indexes WHERE indexname = 'idx_user_preferences_user_id'")" \
  "027: its index"
assert_eq "not null" "$(currency_state)" "030: SalesRecord.currency NOT NULL"
assert_eq 0 "$(psql_value "SELECT count(*) FROM \"SalesRecord\" s JOIN \"Company\" c ON c.id = s.\"companyId\"
                            WHERE s.currency IS DISTINCT FROM c.currency")" "029: every sale has its company's currency"
assert_eq 0 "$(psql_value "SELECT count(*) FROM pg_constraint WHERE conname = 'SalesRecord_currency_not_null'")" \
  "030: the temporary CHECK is gone"
assert_eq "$(psql_value 'SELECT count(*) FROM "SalesRecord"')" \
  "$(report '.steps[] | select(.id == "m029.backfill.backfill-with-undo") | .rows_affected')" \
  "029: the backfill wrote every sale"

section "--postflight: run again once applied"
rows_before=$(journal_rows)
assert_exit 0 "--postflight: GO" -- rb
assert_eq 0 "$(report '[.steps[] | select(.phase == "steps" and (.kind == "sql" or .kind == "command")
                                   and .status != "skipped")] | length')" \
  "every writing step already done: nothing applied"
for id in constraints-valid orphans indexes-valid dirty schema-checksum; do
  assert_eq done "$(step_status "$id")" "postflight checked again: $id"
done
assert_eq "$rows_before" "$(journal_rows)" "nothing written, not even a journal row"
assert_exit 3 "a schema checksum other than the expected one: exit 3" -- rb --set expected_checksum=0000
assert_eq schema-checksum "$(first_failed)" "... at schema-checksum"

section "dirty: a step left running"
psql_run "INSERT INTO runbook.runs (run_id, runbook_id, file_checksum, plan_checksum, params, started_at)
            VALUES ('crashed-run', 'another-runbook', 'x', 'x', '{}', now());
          INSERT INTO runbook.steps (run_id, runbook_id, step_id, phase, kind, status, started_at)
            VALUES ('crashed-run', 'another-runbook', 'ddl', 'steps', 'sql', 'running', now())" >/dev/null ||
  die "could not plant a dirty step"
assert_exit 1 "a step of another runbook left running: NO-GO (exit 1)" -- rb
assert_eq prerequisites.journal-clean "$(first_failed)" "... at prerequisites.journal-clean"
psql_run "DELETE FROM runbook.steps WHERE run_id = 'crashed-run'; DELETE FROM runbook.runs WHERE run_id = 'crashed-run'" >/dev/null
psql_run "INSERT INTO runbook.steps (run_id, runbook_id, step_id, phase, kind, status, started_at)
          SELECT run_id, runbook_id, 'm030.drop-check', 'steps', 'sql', 'running', now()
          FROM runbook.runs WHERE runbook_id = 'migrate-safe' LIMIT 1" >/dev/null || die "could not plant"
assert_exit 6 "a step of this runbook left running: exit 6" -- rb
assert_contains "$(last_stdout)$(last_stderr)" "--resume" "... which says how to go on"

# ---------------------------------------------------------------------------
section "--apply --steps=1: one migration at a time (--only), --skip-backup"

fresh_db steps
load_example recipes --scale "$SCALE" || die "load failed"
BACKUPS=$TEST_TMP/backups-steps
assert_exit 0 "--only m027 --set skip_backup=true: GO" -- rb --only m027 --set skip_backup=true
assert_eq 0 "$(report '[.steps[] | select(.id | startswith("backup."))] | length')" \
  "no backup step at all (skip_backup leaves the block out)"
assert_true "no backup file" -- test ! -e "$BACKUPS"
assert_eq "t absent" "$(has_prefs) $(currency_state)" "027 applied, 028 not"
assert_exit 0 "--only m028: GO" -- rb --only m028 --set skip_backup=true
assert_eq "nullable" "$(currency_state)" "028 applied: the column, nullable"
assert_exit 0 "--only m029: GO (data only: the checksum may stay)" -- rb --only m029 --set skip_backup=true
assert_eq 0 "$(psql_value 'SELECT count(*) FROM "SalesRecord" WHERE currency IS NULL')" "029 applied: backfilled"
assert_exit 0 "--only m030: GO" -- rb --only m030 --set skip_backup=true
assert_eq "not null" "$(currency_state)" "030 applied"
assert_exit 0 "then a full run: nothing left to do" -- rb --set skip_backup=true
assert_eq 0 "$(report '[.steps[] | select(.phase == "steps" and .kind == "sql" and .status == "done")] | length')" \
  "nothing left to do"

# ---------------------------------------------------------------------------
section "NO-GO: the preflight stops the run, nothing written"

nogo_db recipes invalid_index --plant invalid_index
assert_exit 1 "an INVALID index: NO-GO (exit 1)" -- rb
stopped_at invalid_index prerequisites.invalid-indexes

nogo_db recipes longtx
psql -X -q -c "SET application_name = 'seed002_long_tx'; SELECT pg_sleep(60)" </dev/null >/dev/null 2>&1 &
sleeper=$!
at_exit "kill $sleeper 2>/dev/null"
wait_for_value t "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'seed002_long_tx'
            AND xact_start < now() - interval '1 second')" || die "the long transaction did not start"
assert_exit 1 "a transaction older than max_transaction_age: NO-GO (exit 1)" -- rb --set "max_transaction_age=1 second"
stopped_at longtx prerequisites.long-transactions
psql_value "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'seed002_long_tx'" >/dev/null
wait "$sleeper" 2>/dev/null

nogo_db recipes locks
psql -X -q -c "SET application_name = 'seed002_holder'" \
     -c "BEGIN" -c 'LOCK TABLE "SalesRecord" IN ACCESS EXCLUSIVE MODE' -c "SELECT pg_sleep(60)" \
     </dev/null >/dev/null 2>&1 &
holder=$!
at_exit "kill $holder 2>/dev/null"
wait_for_value t "SELECT EXISTS (SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE a.application_name = 'seed002_holder' AND l.mode = 'AccessExclusiveLock' AND l.granted)" ||
  die "the lock holder did not start"
psql -X -q -c "SET application_name = 'seed002_waiter'" -c 'SELECT count(*) FROM "SalesRecord"' \
     </dev/null >/dev/null 2>&1 &
waiter=$!
at_exit "kill $waiter 2>/dev/null"
wait_for_value t "SELECT EXISTS (SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE a.application_name = 'seed002_waiter' AND NOT l.granted)" || die "the waiter is not waiting"
assert_exit 1 "a session waiting for a lock: NO-GO (exit 1)" -- rb
# (the catalog query of the fingerprint would wait for the lock too)
psql_value "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE application_name IN ('seed002_holder', 'seed002_waiter')" >/dev/null 2>&1
wait "$holder" "$waiter" 2>/dev/null
stopped_at locks prerequisites.blocking-locks

# ---------------------------------------------------------------------------
section "postflight failure: orphans written with triggers off; --on-failure rollback"

fresh_db rollback
load_example recipes --scale "$SCALE" --plant orphan_items || die "load failed"
BACKUPS=$TEST_TMP/backups-rollback
save_schema "$TEST_TMP/rollback.schema"
SECONDS=0
assert_exit 3 "orphaned records: postflight failed (exit 3)" -- rb --on-failure rollback
note "the run and its rollback took ${SECONDS}s"
assert_eq orphans "$(first_failed)" "... at orphans"
assert_contains "$(report .summary)" "rolled back" "the completed steps were rolled back"
for id in m027.create m028.add-column m029.backfill.backfill-with-undo m030.check.add m030.check.validate \
          m030.set-not-null m030.drop-check; do
  assert_eq rolled_back "$(step_status "$id")" "rolled back: $id"
done
assert_same_schema "$TEST_TMP/rollback.schema" "the schema is exactly as before (fingerprint)"
assert_eq "f absent" "$(has_prefs) $(currency_state)" "no user_preferences, no currency column"

# The seed's resolution: fix the orphans, then apply again.
psql_run 'DELETE FROM "RecipeItem" ri WHERE NOT EXISTS (SELECT 1 FROM "Recipe" r WHERE r.id = ri."recipeId")
                                         OR NOT EXISTS (SELECT 1 FROM "Ingredient" i WHERE i.id = ri."ingredientId");
          DELETE FROM "RecipeSection" rs WHERE NOT EXISTS (SELECT 1 FROM "Recipe" r WHERE r.id = rs."recipeId")' \
  >/dev/null || die "cleanup"
assert_exit 0 "after the orphans are fixed, --apply is GO" -- rb
assert_eq "t not null" "$(has_prefs) $(currency_state)" "every migration applied"

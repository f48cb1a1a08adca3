# seed_lib.sh — what the tests of the seed runbooks and of the templates
# shellcheck shell=bash
# share. Source it after lib.sh; set RUNBOOK (the runbook under test) and
# SCALE (the example's size) first.
#
#   rb ARGS...            run $RUNBOOK; artifacts in $LAST_OUT, backups under $BACKUPS
#   report JQ             a fact from the last run's report.json
#   step_status ID        done | skipped | failed | ... of a step of the last run
#   first_failed          the id of the last run's first failed step
#   save_schema FILE      the schema fingerprint of $PGDATABASE, kept for later
#   assert_same_schema FILE MESSAGE   the schema is still the one saved
#   nogo_db APP NAME [LOAD OPTIONS...]   a fresh database for a NO-GO case
#   stopped_at NAME GATE  the last run was a NO-GO at GATE and left no trace

_RUNS=0
LAST_OUT=
BACKUPS=

# next_out — a directory of its own for the next run's artifacts, in $LAST_OUT.
next_out() {
  _RUNS=$((_RUNS + 1))
  LAST_OUT=$TEST_TMP/out/run.$_RUNS
}

rb() {
  next_out
  "$RUNBOOK_BIN" run --out "$LAST_OUT" --set "backup_dir=$BACKUPS" "$@" "$RUNBOOK"
}

report() { jq -r "$1" "$LAST_OUT/report.json" 2>/dev/null; }
step_field() { report ".steps[] | select(.id == \"$1\") | .$2"; }
step_status() { step_field "$1" status; }
first_failed() { report '[.steps[] | select(.status == "failed")][0].id // ""'; }
journal_exists() { psql_value "SELECT to_regnamespace('runbook') IS NOT NULL"; }

save_schema() { schema_fingerprint >"$1"; }
assert_same_schema() {  # assert_same_schema SAVED_FILE MESSAGE
  schema_fingerprint >"$1.now"
  if cmp -s "$1" "$1.now"; then
    pass "$2"
  else
    fail "$2" "schema fingerprint of $PGDATABASE differs from $1:"
    diff "$1" "$1.now" | _rb_indent 30
  fi
}

nogo_db() {  # nogo_db APP NAME [LOAD OPTIONS...] — fresh, APP loaded, its schema saved
  local app=$1 name=$2
  shift 2
  fresh_db "nogo_$name"
  load_example "$app" --scale "$SCALE" "$@" || die "load failed ($*)"
  save_schema "$TEST_TMP/nogo_$name.schema"
  BACKUPS=$TEST_TMP/backups-$name
}

# nothing_written LABEL SAVED_SCHEMA — no journal, the schema as saved, no backup.
nothing_written() {
  assert_eq f "$(journal_exists)" "$1: no journal schema"
  assert_same_schema "$2" "$1: schema unchanged"
  assert_true "$1: no backup taken" -- test ! -e "$BACKUPS"
}

stopped_at() {  # stopped_at NAME GATE — after a run on the database of nogo_db NAME
  assert_eq "$2" "$(first_failed)" "$1: stopped at $2"
  assert_eq no_go "$(report .outcome)" "$1: report says NO-GO"
  nothing_written "$1" "$TEST_TMP/nogo_$1.schema"
}

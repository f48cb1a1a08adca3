# lib.sh — helpers for bash integration tests. Source it first thing:
#
#   #!/usr/bin/env bash
#   source "$(dirname "$0")/lib.sh"
#   require_cluster                      # skips (77) without a test cluster
#   fresh_db demo                        # own database; exports PGDATABASE
#   load_example recipes --scale 200 --plant orphans
#   assert_eq 3 "$(psql_value 'SELECT count(*) FROM "RecipeItem" ri
#                  WHERE NOT EXISTS (SELECT FROM "Recipe" r WHERE r.id = ri."recipeId")')" "orphans planted"
#   assert_exit 0 -- "$RUNBOOK_BIN" validate some.yaml
#   assert_contains "$(last_stdout)" "GO" "run says GO"
#
# The summary line "N passed, N failed" is printed when the script exits
# (exit code 1 if anything failed, 77 when skipped).
#
# Environment (set by tests/integration/tests.cmake under ctest):
#   RUNBOOK_TEST_CLUSTER  directory of the shared cluster (tests/support/pg_cluster.sh start DIR)
#   RUNBOOK_BIN           the runbook binary
#   RUNBOOK_SOURCE_DIR    the source tree (default: two levels above this file)
#   RUNBOOK_TEST_KEEP=1   keep the scratch directory and databases even when all passed
#
# Variables for tests: TEST_NAME, TEST_TMP (scratch dir, removed at exit),
# EXAMPLES_DIR, SUPPORT_DIR, LAST_EXIT, LAST_STDOUT, LAST_STDERR (files).

set -o pipefail

_RB_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RUNBOOK_SOURCE_DIR=${RUNBOOK_SOURCE_DIR:-$(cd "$_RB_LIB_DIR/../.." && pwd)}
EXAMPLES_DIR=$RUNBOOK_SOURCE_DIR/examples
SUPPORT_DIR=$RUNBOOK_SOURCE_DIR/tests/support
RUNBOOK_BIN=${RUNBOOK_BIN:-}
TEST_NAME=$(basename "$0" .sh)
TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/rbtest.${TEST_NAME}.XXXXXX")
LAST_EXIT=
LAST_STDOUT=$TEST_TMP/last.stdout
LAST_STDERR=$TEST_TMP/last.stderr
: >"$LAST_STDOUT"; : >"$LAST_STDERR"

_RB_PASSED=0
_RB_FAILED=0
_RB_DBS=()
_RB_SKIPPING=0
_RB_AT_EXIT=()

# ---------------------------------------------------------------------------
# Reporting

note() { printf '# %s\n' "$*"; }
section() { printf '\n## %s\n' "$*"; }

pass() {
  _RB_PASSED=$((_RB_PASSED + 1))
  printf 'ok   %s\n' "$1"
}

fail() {  # fail MESSAGE [DETAIL...]
  _RB_FAILED=$((_RB_FAILED + 1))
  printf 'FAIL %s  (at %s)\n' "$1" "$(_rb_caller)"
  shift
  local line
  for line in "$@"; do printf '       %s\n' "$line"; done
}

_rb_caller() {  # first frame outside this file
  local i
  for ((i = 1; i < ${#BASH_SOURCE[@]}; i++)); do
    if [[ "${BASH_SOURCE[$i]}" != "${BASH_SOURCE[0]}" ]]; then
      printf '%s:%s' "$(basename "${BASH_SOURCE[$i]}")" "${BASH_LINENO[$((i - 1))]}"
      return
    fi
  done
}

skip_test() {  # skip_test REASON — the whole script is skipped (ctest SKIP_RETURN_CODE 77)
  printf 'SKIP %s\n' "$*"
  _RB_SKIPPING=1
  exit 77
}

die() {  # a broken test setup: counts as a failure and stops the script
  fail "$*"
  exit 1
}

_rb_indent() { sed -e 's/^/       | /' | head -n "${1:-20}"; }

# ---------------------------------------------------------------------------
# Assertions. Each takes the message last and returns 0/1 (it never exits).

assert_eq() {  # assert_eq EXPECTED ACTUAL MESSAGE
  if [[ "$1" == "$2" ]]; then pass "$3"; return 0; fi
  fail "$3" "expected: $(printf '%q' "$1")" "actual:   $(printf '%q' "$2")"
  return 1
}

assert_ne() {  # assert_ne UNEXPECTED ACTUAL MESSAGE
  if [[ "$1" != "$2" ]]; then pass "$3"; return 0; fi
  fail "$3" "expected anything but: $(printf '%q' "$1")"
  return 1
}

assert_contains() {  # assert_contains HAYSTACK NEEDLE MESSAGE
  if [[ "$1" == *"$2"* ]]; then pass "$3"; return 0; fi
  fail "$3" "expected to contain: $(printf '%q' "$2")" "in:"
  printf '%s\n' "$1" | _rb_indent 30
  return 1
}

assert_not_contains() {  # assert_not_contains HAYSTACK NEEDLE MESSAGE
  if [[ "$1" != *"$2"* ]]; then pass "$3"; return 0; fi
  fail "$3" "expected NOT to contain: $(printf '%q' "$2")" "in:"
  printf '%s\n' "$1" | _rb_indent 30
  return 1
}

assert_match() {  # assert_match STRING ERE MESSAGE
  if [[ "$1" =~ $2 ]]; then pass "$3"; return 0; fi
  fail "$3" "expected to match /$2/" "actual: $(printf '%q' "$1")"
  return 1
}

assert_num() {  # assert_num ACTUAL OP EXPECTED MESSAGE   (OP: -eq -ne -lt -le -gt -ge)
  if [[ "$1" =~ ^-?[0-9]+$ && "$3" =~ ^-?[0-9]+$ ]] && [ "$1" "$2" "$3" ]; then
    pass "$4"; return 0
  fi
  fail "$4" "expected: $(printf '%q' "$1") $2 $3"
  return 1
}

assert_true() {  # assert_true MESSAGE -- CMD ARGS...   (exit status 0)
  local msg=$1; shift
  [[ "${1:-}" == -- ]] && shift
  if "$@"; then pass "$msg"; return 0; fi
  fail "$msg" "command failed: $*"
  return 1
}

assert_file_exists() {  # assert_file_exists PATH MESSAGE
  if [[ -e "$1" ]]; then pass "$2"; return 0; fi
  fail "$2" "missing: $1"
  return 1
}

# assert_exit EXPECTED_CODE -- CMD ARGS...
# Runs CMD with stdin from /dev/null, stdout and stderr captured into
# $LAST_STDOUT and $LAST_STDERR (read them with last_stdout / last_stderr),
# exit status in $LAST_EXIT. The command is killed after $RUNBOOK_TEST_CMD_TIMEOUT
# seconds (default 300; exit 124). An optional message may follow the code:
#   assert_exit 0 "validate accepts the seed" -- "$RUNBOOK_BIN" validate x.yaml
assert_exit() {
  local expected=$1 msg=""; shift
  if [[ "${1:-}" != -- ]]; then msg=$1; shift; fi
  [[ "${1:-}" == -- ]] || die "assert_exit: usage: assert_exit CODE [MESSAGE] -- CMD ARGS..."
  shift
  [[ $# -gt 0 ]] || die "assert_exit: no command"
  msg=${msg:-"exit $expected: $*"}
  run_cmd "$@"
  if [[ "$LAST_EXIT" == "$expected" ]]; then pass "$msg"; return 0; fi
  fail "$msg" "expected exit $expected, got $LAST_EXIT" "command: $*"
  if [[ -s "$LAST_STDOUT" ]]; then echo "       stdout:"; _rb_indent 25 <"$LAST_STDOUT"; fi
  if [[ -s "$LAST_STDERR" ]]; then echo "       stderr:"; _rb_indent 25 <"$LAST_STDERR"; fi
  return 1
}

# run_cmd CMD ARGS... — like assert_exit without the assertion.
run_cmd() {
  local t=${RUNBOOK_TEST_CMD_TIMEOUT:-300}
  if declare -F "$1" >/dev/null; then
    "$@" </dev/null >"$LAST_STDOUT" 2>"$LAST_STDERR"
  else
    timeout -k 10 "$t" "$@" </dev/null >"$LAST_STDOUT" 2>"$LAST_STDERR"
  fi
  LAST_EXIT=$?
  return 0
}

last_stdout() { cat "$LAST_STDOUT"; }
last_stderr() { cat "$LAST_STDERR"; }

# ---------------------------------------------------------------------------
# Database

_RB_PG_VARS=(PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGSERVICE PGSERVICEFILE PGOPTIONS
             PGPASSWORD PGPASSFILE PGSSLMODE PGREQUIRESSL PGTARGETSESSIONATTRS PGAPPNAME DATABASE_URL)

# require_cluster — connect to the shared test cluster, or skip (77).
require_cluster() {
  local dir=${RUNBOOK_TEST_CLUSTER:-}
  if [[ -z "$dir" ]]; then skip_test "RUNBOOK_TEST_CLUSTER is not set (no test cluster)"; fi
  if [[ ! -f "$dir/env" ]]; then skip_test "no test cluster in $dir (no env file: PostgreSQL missing or not started)"; fi
  command -v psql >/dev/null 2>&1 || skip_test "psql is not installed"
  unset "${_RB_PG_VARS[@]}"
  # shellcheck disable=SC1091
  source "$dir/env"
  export PGHOST PGPORT PGUSER PGDATABASE
  RB_ADMIN_DB=${PGDATABASE}   # the cluster's own database, used to create and drop others
  if ! psql -XAtq -c 'select 1' </dev/null >/dev/null 2>"$TEST_TMP/connect.err"; then
    die "test cluster in $dir does not answer: $(cat "$TEST_TMP/connect.err")"
  fi
}

# require_runbook — the binary under test must exist (a missing build is a failure, not a skip).
require_runbook() {
  [[ -n "$RUNBOOK_BIN" ]] || die "RUNBOOK_BIN is not set"
  [[ -x "$RUNBOOK_BIN" ]] || die "RUNBOOK_BIN=$RUNBOOK_BIN is not an executable (build the runbook target first)"
}

_rb_dbname() {  # rbt_<test>_<name>, lower-case [a-z0-9_], at most 63 bytes
  local n
  n=$(printf 'rbt_%s_%s' "${TEST_NAME%_test}" "$1" | tr 'A-Z' 'a-z' | tr -c 'a-z0-9_' '_')
  if (( ${#n} > 63 )); then n="${n:0:54}_$(printf '%s' "$n" | cksum | cut -c1-8)"; fi
  printf '%s' "$n"
}

# fresh_db [NAME] — drop and create this test's database NAME (default "main")
# and export PGDATABASE. The name is rbt_<test>_<NAME> so that tests running in
# parallel never share one; it is also left in $FRESH_DB. Databases are dropped
# at exit when every assertion passed.
fresh_db() {
  local db
  db=$(_rb_dbname "${1:-main}")
  psql -XAtq -v ON_ERROR_STOP=1 -d "${RB_ADMIN_DB:-postgres}" </dev/null >/dev/null \
       -c "SET client_min_messages = warning" \
       -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" \
       -c "CREATE DATABASE \"$db\"" || die "fresh_db: could not create $db"
  [[ " ${_RB_DBS[*]} " == *" $db "* ]] || _RB_DBS+=("$db")
  export PGDATABASE=$db
  FRESH_DB=$db
}

# psql_value SQL — the result, unaligned, tuples only (one value per line).
psql_value() {
  psql -XAtq -v ON_ERROR_STOP=1 -c "$1" </dev/null
}

# psql_run SQL — run SQL (several statements allowed, each in its own
# transaction, as psql runs a script); output on stdout; non-zero on error.
psql_run() {
  psql -X -q -v ON_ERROR_STOP=1 <<<"$1"
}

# schema_fingerprint [SCHEMA] — the schema (default public) of $PGDATABASE as
# one sorted line per relation, column, constraint, index, trigger and
# function: the same text before a change and after its rollback means the
# rollback undid it exactly (and a diff of the two says what it left).
schema_fingerprint() {
  local ns="'${1:-public}'::regnamespace"
  psql_value "
    SELECT line FROM (
      SELECT format('relation %s %s', c.relname, c.relkind) AS line
        FROM pg_class c WHERE c.relnamespace = $ns
      UNION ALL
      SELECT format('column %s.%s %s %s %s', c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
                    a.attnotnull, pg_get_expr(d.adbin, d.adrelid))
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       WHERE c.relnamespace = $ns AND a.attnum > 0 AND NOT a.attisdropped
      UNION ALL
      SELECT format('constraint %s.%s %s %s', c.relname, k.conname, pg_get_constraintdef(k.oid), k.convalidated)
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
       WHERE c.relnamespace = $ns
      UNION ALL
      SELECT format('index %s %s %s', pg_get_indexdef(i.indexrelid), i.indisvalid, i.indisready)
        FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
       WHERE c.relnamespace = $ns
      UNION ALL
      SELECT format('trigger %s', pg_get_triggerdef(t.oid))
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
       WHERE c.relnamespace = $ns AND NOT t.tgisinternal
      UNION ALL
      SELECT format('function %s(%s) %s', p.proname, pg_get_function_identity_arguments(p.oid), md5(p.prosrc))
        FROM pg_proc p WHERE p.pronamespace = $ns
    ) AS s ORDER BY line"
}

# wait_for_value EXPECTED SQL [SECONDS] — until SQL returns EXPECTED (default
# 10 s at most); non-zero if it never does. For background sessions and runs.
wait_for_value() {
  local deadline=$((SECONDS + ${3:-10}))
  until [[ "$(psql_value "$2" 2>/dev/null)" == "$1" ]]; do
    (( SECONDS < deadline )) || return 1
    sleep 0.1
  done
}

# load_example recipes|users [--scale N] [--plant a,b,...] [--schema NAME]
#                           [--no-extensions | --extensions e1,e2]
# Loads examples/APP/{extensions,schema,data}.sql into $PGDATABASE.
# --no-extensions skips extensions.sql; --extensions creates only those listed
# (to simulate a missing one). Non-zero (and the psql output) on failure.
load_example() {
  local app=${1:-} scale="" plant="" schema="" ext=all dir out
  shift || true
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --scale) scale=$2; shift 2 ;;
      --plant) plant=$2; shift 2 ;;
      --schema) schema=$2; shift 2 ;;
      --no-extensions) ext=none; shift ;;
      --extensions) ext=$2; shift 2 ;;
      *) die "load_example: unknown option $1" ;;
    esac
  done
  dir=$EXAMPLES_DIR/$app
  [[ -n "$app" && -f "$dir/schema.sql" ]] || die "load_example: no example app '$app' in $EXAMPLES_DIR"
  local vars=(-v ON_ERROR_STOP=1)
  [[ -n "$schema" ]] && vars+=(-v "schema=$schema")
  out=$TEST_TMP/load_example.$app.log
  (
    if [[ -f "$dir/extensions.sql" ]]; then
      case "$ext" in
        all)  psql -X -q "${vars[@]}" -f "$dir/extensions.sql" ;;
        none) ;;
        *)    local e
              for e in ${ext//,/ }; do
                psql -X -q -v ON_ERROR_STOP=1 -c "CREATE EXTENSION IF NOT EXISTS \"$e\"" || exit 1
              done ;;
      esac
    fi &&
    psql -X -q "${vars[@]}" -f "$dir/schema.sql" &&
    psql -X -q "${vars[@]}" ${scale:+-v "scale=$scale"} ${plant:+-v "plant=$plant"} -f "$dir/data.sql"
  ) </dev/null >"$out" 2>&1
  local rc=$?
  if [[ $rc -ne 0 ]]; then
    printf '# load_example %s failed (exit %s):\n' "$app" "$rc"
    _rb_indent 40 <"$out"
  fi
  return $rc
}

# ---------------------------------------------------------------------------
# Exit: summary line, cleanup

# at_exit COMMAND... — run COMMAND (through eval) when the script exits, before
# the summary; the last registered runs first. For servers and background
# sessions a test starts.
at_exit() { _RB_AT_EXIT+=("$*"); }

_rb_on_exit() {
  local rc=$?
  set +e
  local i
  for ((i = ${#_RB_AT_EXIT[@]} - 1; i >= 0; i--)); do eval "${_RB_AT_EXIT[$i]}"; done
  if [[ $rc -eq 77 || $_RB_SKIPPING -eq 1 ]]; then
    rm -rf -- "$TEST_TMP"
    exit 77
  fi
  if [[ $rc -ne 0 && $_RB_FAILED -eq 0 ]]; then
    _RB_FAILED=1
    printf 'FAIL %s exited with status %s before finishing\n' "$TEST_NAME" "$rc"
  fi
  if [[ $_RB_PASSED -eq 0 && $_RB_FAILED -eq 0 ]]; then
    _RB_FAILED=1
    printf 'FAIL %s made no assertion\n' "$TEST_NAME"
  fi
  if [[ $_RB_FAILED -eq 0 && -z "${RUNBOOK_TEST_KEEP:-}" ]]; then
    local db
    for db in "${_RB_DBS[@]}"; do
      psql -XAtq -d "${RB_ADMIN_DB:-postgres}" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" \
           </dev/null >/dev/null 2>&1
    done
    rm -rf -- "$TEST_TMP"
  else
    printf '# kept for inspection: %s%s\n' "$TEST_TMP" "${_RB_DBS[*]:+, databases: ${_RB_DBS[*]}}"
  fi
  printf '\n%s: %d passed, %d failed\n' "$TEST_NAME" "$_RB_PASSED" "$_RB_FAILED"
  [[ $_RB_FAILED -eq 0 ]] && exit 0
  exit 1
}
trap _rb_on_exit EXIT

#!/usr/bin/env bash
# Self-test of pg_cluster.sh: start/stop/restart/status, parallel clusters,
# crash restart, failed starts, missing binaries, the temp-dir fallback, and —
# when run as root — running the harness as an unprivileged user too.
# Independent of the shared test cluster; every cluster it starts lives under
# its scratch directory and is stopped at exit.
source "$(dirname "$0")/../integration/lib.sh"

PGC=$SUPPORT_DIR/pg_cluster.sh
chmod 711 "$TEST_TMP"   # lets the server user (and nobody, below) reach subdirectories

# The clusters this test starts; stopped at exit whatever happens.
cluster() { at_exit "bash '$PGC' stop '$1' >/dev/null 2>&1"; }

# a psql against the cluster in DIR, without touching this shell's PG* variables
cq() {  # cq DIR SQL
  (unset PGHOST PGPORT PGUSER PGDATABASE; source "$1/env" && psql -XAtq -c "$2" </dev/null)
}

section "start"
A=$TEST_TMP/a
cluster "$A"
run_cmd bash "$PGC" start "$A"
if [[ $LAST_EXIT == 77 ]]; then skip_test "no PostgreSQL server binaries: $(last_stderr)"; fi
assert_eq 0 "$LAST_EXIT" "start A" || { last_stderr; exit 1; }
out=$(last_stdout)
assert_match "$out" "export PGHOST=.*export PGPORT=[0-9]+.*export PGUSER=tester.*export PGDATABASE=tester" \
  "prints export lines for PGHOST, PGPORT, PGUSER, PGDATABASE"
assert_eq "$out" "$(cat "$A/env")" "DIR/env holds the same lines"
assert_eq "tester|t" "$(cq "$A" "SELECT current_user, usesuper FROM pg_user WHERE usename = current_user")" \
  "eval'd exports connect as the superuser runbook"
assert_eq "off|on|off||UTC" \
  "$(cq "$A" "SELECT current_setting('fsync'), current_setting('synchronous_commit'), current_setting('full_page_writes'), current_setting('listen_addresses'), current_setting('TimeZone')")" \
  "fsync off, synchronous_commit on, full_page_writes off, no TCP (listen_addresses ''), UTC"
assert_eq "$(cd "$A" && pwd -P)/sock" "$(source "$A/env"; echo "$PGHOST")" "socket directory is DIR/sock"
assert_eq "" "$(cq "$A" "SELECT inet_server_addr()")" "connected over the unix socket"
assert_exit 0 "status A" -- bash "$PGC" status "$A"
assert_contains "$(last_stdout)" "running" "status says running"
if [[ $(id -u) -eq 0 ]]; then
  assert_eq "postgres" "$(stat -c %U "$A/data")" "as root: data directory owned by postgres"
  assert_eq "root root" "$(stat -c %U "$A") $(stat -c %U "$A/env")" "as root: DIR and DIR/env stay root's"
  assert_eq "postgres" "$(stat -c %U "/proc/$(head -n 1 "$A/data/postmaster.pid")")" "as root: the server runs as postgres"
fi

section "a second cluster in parallel"
B=$TEST_TMP/b
cluster "$B"
assert_exit 0 "start B" -- bash "$PGC" start "$B"
portA=$(source "$A/env"; echo "$PGPORT"); portB=$(source "$B/env"; echo "$PGPORT")
assert_ne "$portA" "$portB" "B got another port than A ($portA / $portB)"
cq "$A" "CREATE TABLE only_in_a (x int)" >/dev/null
assert_eq "" "$(cq "$B" "SELECT to_regclass('only_in_a')")" "A and B are separate clusters"
assert_exit 0 "stop B" -- bash "$PGC" stop "$B"
assert_eq "1" "$(cq "$A" "SELECT 1")" "stopping B leaves A running"

section "restart"
cq "$A" "CREATE TABLE committed (x int); INSERT INTO committed VALUES (42)" >/dev/null
pid1=$(head -n 1 "$A/data/postmaster.pid")
assert_exit 0 "restart A immediate" -- bash "$PGC" restart "$A" immediate
pid2=$(head -n 1 "$A/data/postmaster.pid")
assert_ne "$pid1" "$pid2" "a new postmaster after restart immediate"
assert_eq 42 "$(cq "$A" "SELECT x FROM committed")" "a committed row survives restart immediate"
assert_contains "$(cat "$A/log")" "database system was interrupted" "the server went through crash recovery"
assert_exit 0 "restart A (fast)" -- bash "$PGC" restart "$A"
assert_eq 42 "$(cq "$A" "SELECT x FROM committed")" "and a fast restart"
assert_exit 1 "restart with a bad mode" -- bash "$PGC" restart "$A" sideways

section "stop"
assert_exit 0 "stop A" -- bash "$PGC" stop "$A"
assert_exit 3 "status after stop is 3" -- bash "$PGC" status "$A"
assert_ne 0 "$(cq "$A" "SELECT 1" >/dev/null 2>&1; echo $?)" "nothing answers after stop"
assert_exit 0 "stop again is fine" -- bash "$PGC" stop "$A"
assert_exit 0 "stop a directory that never had a cluster" -- bash "$PGC" stop "$TEST_TMP/never"
assert_exit 4 "status of no cluster is 4" -- bash "$PGC" status "$TEST_TMP/never"
assert_exit 0 "restart after stop starts it again" -- bash "$PGC" restart "$A"
assert_eq 42 "$(cq "$A" "SELECT x FROM committed")" "with its data"
assert_exit 0 "start over a running cluster" -- bash "$PGC" start "$A"
assert_eq "" "$(cq "$A" "SELECT to_regclass('committed')")" "start always gives a new, empty cluster"
assert_exit 0 "stop A" -- bash "$PGC" stop "$A"

section "failures"
F=$TEST_TMP/f
cluster "$F"
RUNBOOK_PG_PRELOAD=no_such_library run_cmd bash "$PGC" start "$F"
assert_eq 1 "$LAST_EXIT" "a server that cannot start fails start"
assert_contains "$(last_stderr)" "no_such_library" "and shows the server log"
assert_exit 0 "stop after a failed start" -- bash "$PGC" stop "$F"
# no process of ours still runs on F's data directory (procps may be absent: read /proc)
servers_on() {
  local p
  for p in /proc/[0-9]*; do
    [[ "$(tr '\0' ' ' <"$p/cmdline" 2>/dev/null)" == *"-D $1 "* ]] && echo "${p#/proc/}"
  done
  return 0
}
assert_eq "" "$(servers_on "$(cd "$F" && pwd -P)/data")" "no server left behind"
RUNBOOK_PG_BINDIR=$TEST_TMP/nowhere run_cmd bash "$PGC" start "$TEST_TMP/g"
assert_eq 77 "$LAST_EXIT" "no server binaries: exit 77 (skip)"
assert_contains "$(last_stderr)" "RUNBOOK_PG_BINDIR" "with a message naming the problem"
mkdir -p "$TEST_TMP/h/data" && echo precious >"$TEST_TMP/h/data/file"
assert_exit 1 "refuses a DIR/data that is not its own" -- bash "$PGC" start "$TEST_TMP/h"
assert_eq precious "$(cat "$TEST_TMP/h/data/file")" "and leaves it alone"
assert_exit 2 "usage error" -- bash "$PGC" frobnicate "$A"

section "long or unreachable DIR: temp-dir fallback"
L=$TEST_TMP/$(printf 'x%.0s' {1..80})/deep
cluster "$L"
assert_exit 0 "start with a socket path too long for unix sockets" -- bash "$PGC" start "$L"
assert_eq 1 "$(cq "$L" "SELECT 1")" "it answers"
tmproot=$(sed -n 's/^tmproot=//p' "$L/.pg_cluster")
assert_ne "" "$tmproot" "data lives in a temp dir ($tmproot)"
assert_true "DIR/data is a symlink to it" -- test -L "$L/data"
assert_exit 0 "restart immediate in fallback mode" -- bash "$PGC" restart "$L" immediate
assert_exit 0 "stop" -- bash "$PGC" stop "$L"
assert_true "stop removes the temp dir" -- test ! -e "$tmproot"
assert_true "and keeps DIR/log" -- test -s "$L/log"

section "destroy"
assert_exit 0 "start then destroy" -- bash -c "bash '$PGC' start '$B' >/dev/null && bash '$PGC' destroy '$B'"
assert_true "destroy removes the cluster directory" -- test ! -e "$B"

# ---------------------------------------------------------------------------
if [[ $(id -u) -eq 0 ]]; then
  section "as root: private DIR (server user cannot reach it)"
  P=$TEST_TMP/private/c
  mkdir -p "$TEST_TMP/private" && chmod 700 "$TEST_TMP/private"
  cluster "$P"
  assert_exit 0 "start under a 0700 directory" -- bash "$PGC" start "$P"
  assert_eq 1 "$(cq "$P" "SELECT 1")" "it answers"
  assert_exit 0 "stop" -- bash "$PGC" stop "$P"

  section "as a non-root user"
  if id nobody >/dev/null 2>&1 && command -v runuser >/dev/null; then
    N=$TEST_TMP/nobody
    mkdir -p "$N" && chown nobody "$N"
    at_exit "runuser -u nobody -- bash '$PGC' stop '$N/c' >/dev/null 2>&1"
    run_cmd runuser -u nobody -- bash -c "cd / && eval \"\$(bash '$PGC' start '$N/c')\" && psql -XAtq -c 'SELECT current_user' && bash '$PGC' restart '$N/c' immediate && bash '$PGC' status '$N/c' && bash '$PGC' stop '$N/c'"
    if ! assert_eq 0 "$LAST_EXIT" "as nobody: start, connect, restart immediate, status, stop"; then
      sed 's/^/       | /' "$LAST_STDERR" | tail -n 20
    fi
    assert_contains "$(last_stdout)" "tester" "as nobody: connected as tester"
    assert_eq "nobody" "$(stat -c %U "$N/c/data")" "as nobody: the data directory is nobody's"
  else
    note "no 'nobody' user or runuser: non-root run not tested"
  fi
fi

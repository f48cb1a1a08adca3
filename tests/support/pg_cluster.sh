#!/usr/bin/env bash
# pg_cluster.sh — a throwaway PostgreSQL cluster for tests and CI.
#
#   pg_cluster.sh start   DIR            initdb DIR/data, start it, print `export PG...` lines
#   pg_cluster.sh stop    DIR            stop DIR's server (always safe, even after a failed start)
#   pg_cluster.sh restart DIR [immediate]  pg_ctl restart (-m fast, or -m immediate for crash tests)
#   pg_cluster.sh status  DIR            exit 0 running, 3 stopped, 4 no cluster in DIR
#   pg_cluster.sh env     DIR            print the `export` lines again
#   pg_cluster.sh destroy DIR            stop, then delete the cluster files in DIR
#
# Typical use:   eval "$(tests/support/pg_cluster.sh start /tmp/pg)"; psql -c 'select 1'
#
# Layout of DIR:  data/ (PGDATA)  sock/ (unix socket)  log (server log)  env (the export lines)
#                 .pg_cluster (marker + state: bindir, port, run-as user, real paths)
# The server listens on a unix socket only (listen_addresses = ''), never TCP.
# Durability is off (fsync, full_page_writes): test data only. synchronous_commit stays
# on so that a commit survives `restart DIR immediate` (the server is killed, not the OS).
#
# Server binaries: $RUNBOOK_PG_BINDIR, else the newest /usr/lib/postgresql/*/bin,
# else `pg_config --bindir`, else initdb found on PATH. None found: exit 77 (skip).
#
# PostgreSQL refuses to run as root. As root, the server runs as the `postgres`
# system user (created with useradd --system when missing; $RUNBOOK_PG_OS_USER
# overrides the name), through runuser. When postgres cannot reach DIR (e.g. DIR
# lies under a 0700 home directory), the data and socket directories are put in
# a private temporary directory and DIR/data, DIR/sock become symlinks to them.
#
# Other knobs: RUNBOOK_PG_PORT (fixed port), RUNBOOK_PG_ROLE (test superuser and
# database name, default "tester"; not "runbook", which would put the tests' tables in
# the journal schema through search_path's "$user"), RUNBOOK_PG_START_TIMEOUT (seconds, default 60),
# RUNBOOK_PG_PRELOAD (shared_preload_libraries; default pg_stat_statements when
# the server has it, set it empty to preload nothing).

set -euo pipefail

PROG=pg_cluster
# Nothing inherited may redirect the setup connections or the server tools.
unset PGDATA PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGSERVICE PGSERVICEFILE \
      PGOPTIONS PGPASSWORD PGPASSFILE PGSSLMODE PGREQUIRESSL PGTARGETSESSIONATTRS \
      PGCONNECT_TIMEOUT PGAPPNAME PGCLIENTENCODING 2>/dev/null || true

die()  { echo "$PROG: error: $*" >&2; exit 1; }
skip() { echo "$PROG: SKIP: $*" >&2; exit 77; }
note() { echo "$PROG: $*" >&2; }

usage() {
  sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# --------------------------------------------------------------------------
# Binaries

has_server() { [[ -n "$1" && -x "$1/initdb" && -x "$1/pg_ctl" && -x "$1/postgres" ]]; }

find_bindir() {
  local d
  if [[ -n "${RUNBOOK_PG_BINDIR:-}" ]]; then
    has_server "$RUNBOOK_PG_BINDIR" ||
      skip "RUNBOOK_PG_BINDIR=$RUNBOOK_PG_BINDIR does not hold initdb, pg_ctl and postgres"
    echo "$RUNBOOK_PG_BINDIR"; return
  fi
  while IFS= read -r d; do
    if has_server "$d"; then echo "$d"; return; fi
  done < <(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5 -V -r)
  if command -v pg_config >/dev/null 2>&1; then
    d=$(pg_config --bindir 2>/dev/null || true)
    if has_server "$d"; then echo "$d"; return; fi
  fi
  if command -v initdb >/dev/null 2>&1; then
    d=$(dirname "$(readlink -f "$(command -v initdb)")")
    if has_server "$d"; then echo "$d"; return; fi
  fi
  skip "no PostgreSQL server binaries found (initdb, pg_ctl, postgres). Install the" \
       "Debian package 'postgresql', or set RUNBOOK_PG_BINDIR to the directory holding them."
}

# --------------------------------------------------------------------------
# Who runs the server

IS_ROOT=0
[[ $(id -u) -eq 0 ]] && IS_ROOT=1
OS_USER=${RUNBOOK_PG_OS_USER:-postgres}

ensure_os_user() {
  [[ $IS_ROOT -eq 1 ]] || return 0
  command -v runuser >/dev/null 2>&1 || die "running as root needs runuser (util-linux) to start the server as '$OS_USER'"
  if ! getent passwd "$OS_USER" >/dev/null; then
    note "creating system user '$OS_USER' (PostgreSQL refuses to run as root)"
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin "$OS_USER" 2>/dev/null ||
      getent passwd "$OS_USER" >/dev/null ||
      die "could not create system user '$OS_USER'"
  fi
}

# Run a server-side program as the server's user, from a directory it can read.
as_server() {
  if [[ $IS_ROOT -eq 1 ]]; then
    (cd / && runuser -u "$OS_USER" -- "$@")
  else
    (cd / && "$@")
  fi
}

give_to_server() {  # chown a path we created so the server user owns it
  [[ $IS_ROOT -eq 1 ]] || return 0
  chown -h "$OS_USER:$(id -gn "$OS_USER")" "$@"
}

# --------------------------------------------------------------------------
# State (DIR/.pg_cluster holds key=value lines written by start)

abs_dir() {  # absolute, symlink-free path of DIR (created when $2 = create)
  local dir=$1
  [[ -n "$dir" ]] || usage
  if [[ ${2:-} == create ]]; then mkdir -p -- "$dir"; fi
  [[ -d "$dir" ]] || return 1
  (cd -- "$dir" && pwd -P)
}

state_get() {  # state_get DIR KEY
  local f="$1/.pg_cluster"
  [[ -f "$f" ]] || return 0
  sed -n "s/^$2=//p" "$f" | tail -n 1
}

load_state() {  # sets DATA SOCK PORT BINDIR TMPROOT RUNAS for DIR
  local dir=$1
  DATA=$(state_get "$dir" data);   DATA=${DATA:-$dir/data}
  SOCK=$(state_get "$dir" sock);   SOCK=${SOCK:-$dir/sock}
  PORT=$(state_get "$dir" port)
  BINDIR=$(state_get "$dir" bindir)
  TMPROOT=$(state_get "$dir" tmproot)
  RUNAS=$(state_get "$dir" runas)
  ROLE=$(state_get "$dir" role); ROLE=${ROLE:-tester}
  # The server must be driven as the user that owns it.
  if [[ $IS_ROOT -eq 1 && -n "$RUNAS" && "$RUNAS" != root ]]; then OS_USER=$RUNAS; fi
}

# pid of DIR's postmaster if it is alive (and really is the postmaster of DATA)
server_pid() {
  local pidfile="$DATA/postmaster.pid" pid cmd
  [[ -f "$pidfile" ]] || return 1
  pid=$(head -n 1 "$pidfile" 2>/dev/null || true)
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r /proc/$pid/cmdline ]]; then
    cmd=$(tr '\0' ' ' </proc/"$pid"/cmdline 2>/dev/null || true)
    [[ "$cmd" == *postgres* || "$cmd" == *postmaster* ]] || return 1
    [[ "$cmd" == *"$DATA"* ]] || return 1
  fi
  echo "$pid"
}

client() {  # psql binary for setup connections
  if [[ -n "${BINDIR:-}" && -x "$BINDIR/psql" ]]; then echo "$BINDIR/psql"
  elif command -v psql >/dev/null 2>&1; then command -v psql
  else die "psql not found"; fi
}

# Wait until the server accepts connections (pg_ctl -w only waits for "ready").
wait_accepting() {
  local psql deadline
  psql=$(client)
  deadline=$((SECONDS + ${RUNBOOK_PG_START_TIMEOUT:-60}))
  while (( SECONDS < deadline )); do
    if "$psql" -X -At -h "$SOCK" -p "$PORT" -U postgres -d postgres -c 'select 1' </dev/null >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.2
  done
  return 1
}

print_env() {
  printf 'export PGHOST=%q\n' "$SOCK"
  printf 'export PGPORT=%q\n' "$PORT"
  printf 'export PGUSER=%q\n' "$ROLE"
  printf 'export PGDATABASE=%q\n' "$ROLE"
}

log_tail() {
  local dir=$1
  if [[ -f "$dir/log" ]]; then
    echo "---- last lines of $dir/log ----" >&2
    tail -n 25 "$dir/log" >&2 || true
  fi
}

# --------------------------------------------------------------------------
# Commands

cmd_stop() {
  local dir pid bindir i
  dir=$(abs_dir "$1") || { note "no directory $1: nothing to stop"; return 0; }
  load_state "$dir"
  if pid=$(server_pid); then
    bindir=$BINDIR
    if ! has_server "$bindir"; then bindir=$( (find_bindir) 2>/dev/null || true); fi
    if has_server "$bindir" && [[ $IS_ROOT -eq 0 || -n "$RUNAS" ]]; then
      as_server "$bindir/pg_ctl" stop -D "$DATA" -m fast -w -t 30 </dev/null >/dev/null 2>&1 ||
        as_server "$bindir/pg_ctl" stop -D "$DATA" -m immediate -w -t 30 </dev/null >/dev/null 2>&1 || true
    fi
    # Signals as a last resort, to this cluster's postmaster only:
    # SIGINT = fast shutdown, SIGQUIT = immediate, SIGKILL if it still lingers.
    for sig in INT QUIT KILL; do
      kill -0 "$pid" 2>/dev/null || break
      kill -s "$sig" "$pid" 2>/dev/null || true
      for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    done
    if kill -0 "$pid" 2>/dev/null; then die "postmaster $pid of $DATA does not stop"; fi
    note "stopped cluster in $dir"
  else
    note "no server running in $dir"
  fi
  # A temporary home (used when the server user cannot reach DIR) goes away
  # with the server; the log in DIR stays for post-mortems.
  if [[ -n "$TMPROOT" && -d "$TMPROOT" ]]; then
    rm -rf -- "$TMPROOT"
    rm -f -- "$dir/data" "$dir/sock" "$dir/env"
    sed -i '/^tmproot=/d;/^data=/d;/^sock=/d' "$dir/.pg_cluster"
  fi
  return 0
}

cmd_destroy() {
  local dir
  dir=$(abs_dir "$1") || return 0
  cmd_stop "$dir"
  if [[ -f "$dir/.pg_cluster" ]]; then
    rm -rf -- "$dir/data" "$dir/sock" "$dir/log" "$dir/env" "$dir/initdb.log" "$dir/.pg_cluster"
    rmdir -- "$dir" 2>/dev/null || true
  fi
}

cmd_start() {
  local dir port preload psql pkglibdir path_probe
  local found_bindir
  found_bindir=$(find_bindir)   # before creating anything: exit 77 leaves no trace
  dir=$(abs_dir "$1" create) || die "cannot create $1"

  # Never clobber a directory that is not ours.
  if [[ -e "$dir/data" && ! -f "$dir/.pg_cluster" ]]; then
    if [[ ! -f "$dir/data/PG_VERSION" ]] && [ -n "$(ls -A "$dir/data" 2>/dev/null)" ]; then
      die "$dir/data exists and is not a cluster made by $PROG; refusing to touch it"
    fi
  fi
  # A previous cluster in DIR (left running, or half-started): stop and wipe it.
  if [[ -f "$dir/.pg_cluster" ]]; then
    cmd_stop "$dir"
    load_state "$dir"
    rm -rf -- "$dir/data" "$dir/sock"
  elif [[ -e "$dir/data" ]]; then
    DATA=$dir/data; BINDIR=""; RUNAS=""
    if server_pid >/dev/null; then die "a server is running on $dir/data but $dir has no $PROG state; stop it first"; fi
    rm -rf -- "$dir/data" "$dir/sock"
  fi
  rm -f -- "$dir/env" "$dir/log" "$dir/initdb.log" "$dir/.pg_cluster"

  BINDIR=$found_bindir
  ensure_os_user
  RUNAS=$([[ $IS_ROOT -eq 1 ]] && echo "$OS_USER" || id -un)
  ROLE=${RUNBOOK_PG_ROLE:-tester}
  [[ "$ROLE" =~ ^[a-z_][a-z0-9_]*$ ]] || die "RUNBOOK_PG_ROLE must be a plain lower-case identifier"

  # Port: stable per DIR (restart keeps it), spread over 20000-59999. It only
  # names the socket file (no TCP), and each cluster has its own socket directory.
  if [[ -n "${RUNBOOK_PG_PORT:-}" ]]; then
    port=$RUNBOOK_PG_PORT
  else
    port=$(( 20000 + $(printf '%s' "$dir" | cksum | cut -d' ' -f1) % 40000 ))
  fi
  PORT=$port

  {
    echo "# written by $PROG start; do not edit"
    echo "bindir=$BINDIR"
    echo "runas=$RUNAS"
    echo "port=$PORT"
    echo "role=$ROLE"
  } >"$dir/.pg_cluster"

  # Where the data and the socket live. DIR itself stays owned by the caller;
  # only data/ and sock/ are handed to the server user. The unix socket path
  # has a ~107-byte limit, and the server user must be able to reach DIR.
  DATA=$dir/data; SOCK=$dir/sock; TMPROOT=""
  mkdir -p -- "$DATA" "$SOCK"
  chmod 700 "$DATA" "$SOCK"
  if [[ $IS_ROOT -eq 1 ]]; then
    chmod go+x "$dir"   # traversable (not readable) for the server user
    give_to_server "$DATA" "$SOCK"
  fi
  path_probe="$SOCK/.s.PGSQL.$PORT.lock"
  if (( ${#path_probe} > 100 )) || ! as_server test -w "$DATA" -a -w "$SOCK" 2>/dev/null; then
    rm -rf -- "$DATA" "$SOCK"
    TMPROOT=$(mktemp -d "${TMPDIR:-/tmp}/pg_cluster.XXXXXX")
    chmod 755 "$TMPROOT"
    mkdir -m 700 "$TMPROOT/data" "$TMPROOT/sock"
    give_to_server "$TMPROOT/data" "$TMPROOT/sock"
    ln -s "$TMPROOT/data" "$dir/data"
    ln -s "$TMPROOT/sock" "$dir/sock"
    DATA=$TMPROOT/data; SOCK=$TMPROOT/sock
    { echo "tmproot=$TMPROOT"; echo "data=$DATA"; echo "sock=$SOCK"; } >>"$dir/.pg_cluster"
    note "server user cannot use $dir directly (permissions or socket path length); cluster lives in $TMPROOT"
  fi

  # initdb: trust auth on the socket (which only the server user and root can
  # reach: directory and socket are 0700), C locale, UTF8, no fsync.
  if ! as_server "$BINDIR/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --no-locale -N \
         </dev/null >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    die "initdb failed (see $dir/initdb.log)"
  fi

  preload=${RUNBOOK_PG_PRELOAD-__auto__}
  if [[ "$preload" == __auto__ ]]; then
    preload=""
    pkglibdir=$("$BINDIR/pg_config" --pkglibdir 2>/dev/null || echo "$BINDIR/../lib")
    [[ -f "$pkglibdir/pg_stat_statements.so" ]] && preload=pg_stat_statements
  fi

  # Parallel queries put dynamic shared memory in /dev/shm; containers often
  # give it only 64 MB. Fall back to files in the data directory then.
  local dsm=posix shm_kb
  shm_kb=$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 {print $4}')
  if [[ -z "$shm_kb" ]] || (( shm_kb < 262144 )); then dsm=mmap; fi

  # Settings appended to postgresql.conf are read last and win. A heredoc
  # feeds the append so that the server user needs no access to this script.
  as_server tee -a "$DATA/postgresql.conf" >/dev/null <<EOF

# ---- $PROG: throwaway test cluster ----
listen_addresses = ''
port = $PORT
unix_socket_directories = '$SOCK'
unix_socket_permissions = 0700
max_connections = 100
dynamic_shared_memory_type = $dsm
shared_preload_libraries = '$preload'
fsync = off
synchronous_commit = on   # off would lose the last commits on "restart immediate" (fault tests); with fsync = off it costs only a write() per commit
full_page_writes = off
max_wal_size = 2GB
checkpoint_timeout = 30min
autovacuum = on
timezone = 'UTC'
log_timezone = 'UTC'
logging_collector = off
log_line_prefix = '%m [%p] %q%u@%d '
log_min_messages = warning
EOF

  start_server "$dir" start || return 1

  psql=$(client)
  if ! "$psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -p "$PORT" -U postgres -d postgres </dev/null \
        -c "CREATE ROLE \"$ROLE\" SUPERUSER LOGIN" \
        -c "CREATE DATABASE \"$ROLE\" OWNER \"$ROLE\"" >/dev/null; then
    log_tail "$dir"
    die "could not create the test role and database"
  fi

  print_env >"$dir/env"
  note "cluster up: $("$BINDIR/postgres" --version), socket $SOCK port $PORT, log $dir/log"
  print_env
}

# pg_ctl start/restart. Output goes to DIR/log, opened by this shell (so the
# server user needs no write access to DIR); stdin/stdout of the server are
# detached so that $(pg_cluster.sh start ...) and ctest never wait on it.
start_server() {
  local dir=$1 action=$2; shift 2
  if ! as_server "$BINDIR/pg_ctl" "$action" -D "$DATA" -w -t "${RUNBOOK_PG_START_TIMEOUT:-60}" "$@" \
         </dev/null >>"$dir/log" 2>&1; then
    log_tail "$dir"
    die "pg_ctl $action failed for $DATA"
  fi
  if ! wait_accepting; then
    log_tail "$dir"
    die "server in $DATA does not accept connections"
  fi
}

cmd_restart() {
  local dir mode=fast
  dir=$(abs_dir "$1") || die "no cluster in $1"
  case "${2:-}" in
    "") ;;
    immediate|fast|smart) mode=$2 ;;
    *) die "restart mode must be immediate, fast or smart (got '$2')" ;;
  esac
  [[ -f "$dir/.pg_cluster" ]] || die "no cluster in $dir (run start first)"
  load_state "$dir"
  [[ -f "$DATA/PG_VERSION" ]] || die "no cluster data in $dir (a cluster kept in a temporary directory is deleted by stop; run start)"
  has_server "$BINDIR" || BINDIR=$(find_bindir)
  if server_pid >/dev/null; then
    start_server "$dir" restart -m "$mode"
  else
    note "server was not running; starting it"
    start_server "$dir" start
  fi
  note "restarted cluster in $dir (-m $mode)"
}

cmd_status() {
  local dir pid
  dir=$(abs_dir "$1") || { echo "no cluster in $1"; return 4; }
  if [[ ! -f "$dir/.pg_cluster" ]]; then echo "no cluster in $dir"; return 4; fi
  load_state "$dir"
  if [[ ! -f "$DATA/PG_VERSION" ]]; then echo "no cluster in $dir (initdb did not complete)"; return 4; fi
  if pid=$(server_pid); then
    echo "running: pid $pid, socket $SOCK, port $PORT, data $DATA"
    return 0
  fi
  echo "stopped: data $DATA"
  return 3
}

cmd_env() {
  local dir
  dir=$(abs_dir "$1") || die "no cluster in $1"
  [[ -f "$dir/env" ]] || die "no cluster started in $dir"
  cat "$dir/env"
}

main() {
  [[ $# -ge 2 ]] || usage
  local cmd=$1; shift
  case "$cmd" in
    start)   [[ $# -eq 1 ]] || usage; cmd_start "$1" ;;
    stop)    [[ $# -eq 1 ]] || usage; cmd_stop "$1" ;;
    restart) [[ $# -le 2 ]] || usage; cmd_restart "$@" ;;
    status)  [[ $# -eq 1 ]] || usage; cmd_status "$1" ;;
    env)     [[ $# -eq 1 ]] || usage; cmd_env "$1" ;;
    destroy) [[ $# -eq 1 ]] || usage; cmd_destroy "$1" ;;
    *) usage ;;
  esac
}

main "$@"

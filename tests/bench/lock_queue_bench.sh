#!/usr/bin/env bash
# Benchmark: what a DDL stuck in the lock queue costs the application.
#
# pgbench runs a steady read/write load (a fixed rate) on a table while
# another session holds a lock on it for 10 s (a long transaction that read
# it: ACCESS SHARE) and an ALTER TABLE ... ADD CONSTRAINT (which needs
# ACCESS EXCLUSIVE) is started on the same table:
#   (a) by plain psql: the ALTER waits for the long transaction, and every
#       application query queues behind the ALTER for as long;
#   (b) by runbook with `lock_timeout: 2s` and retry: each attempt gives up
#       after 2 s, the queue drains, and the next attempt comes after a pause.
# For each, from pgbench's per-transaction log: the application's p99
# latency, its transactions slower than 2 s, its slowest one, and whether the
# DDL finished. Target: with runbook no application transaction waits much
# longer than the lock_timeout; with psql they stall for the whole 10 s.
#
# Usage: tests/bench/lock_queue_bench.sh [RUNBOOK_BIN] [RUNS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=$(realpath "${1:-$root/build/interpreter/runbook}")
runs=${2:-3}
hold_s=10       # how long the other session holds its lock
load_s=24       # how long pgbench runs
rate=200        # application transactions per second
command -v pgbench >/dev/null || { echo "pgbench is not installed (postgresql-client)"; exit 77; }
work=$(mktemp -d)
cleanup() { "$root/tests/support/pg_cluster.sh" stop "$work/pg" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
eval "$("$root/tests/support/pg_cluster.sh" start "$work/pg" 2>/dev/null)"
createdb bench && export PGDATABASE=bench
psql -Xq -v ON_ERROR_STOP=1 <<'SQL'
CREATE TABLE accounts (id int PRIMARY KEY, balance bigint NOT NULL DEFAULT 0);
INSERT INTO accounts (id) SELECT generate_series(1, 10000);
SQL

cat >"$work/app.sql" <<'SQL'
\set id random(1, 10000)
UPDATE accounts SET balance = balance + 1 WHERE id = :id;
SELECT balance FROM accounts WHERE id = :id;
SQL

ddl='ALTER TABLE accounts ADD CONSTRAINT balance_sane CHECK (balance > -1000000000)'
cat >"$work/ddl.yaml" <<EOF
runbook: lock-queue-bench
session:
  lock_timeout: 2s
steps:
  - id: add-check
    sql: $ddl;
    retry: { attempts: 30, delay: 1s, backoff: 1, on: [lock_timeout] }
    rollback: ALTER TABLE accounts DROP CONSTRAINT IF EXISTS balance_sane;
EOF

# hold_lock — a transaction that read the table, then idles for hold_s seconds.
hold_lock() {
  psql -XAtq -c "BEGIN" -c "SELECT count(*) FROM accounts" -c "SELECT pg_sleep($hold_s)" -c "COMMIT" \
    >/dev/null 2>&1 &
}

# run_ddl MODE — the ALTER by psql or by runbook; prints "yes SECONDS" or "no".
run_ddl() {
  local t0 t1 ok
  t0=$(date +%s%N)
  if [[ $1 == psql ]]; then
    psql -Xq -v ON_ERROR_STOP=1 -c "$ddl" >/dev/null 2>&1 && ok=yes || ok=no
  else
    (cd "$work" && "$bin" run ddl.yaml --out "$work/out.$RANDOM" >/dev/null 2>&1) && ok=yes || ok=no
  fi
  t1=$(date +%s%N)
  echo "$ok $(((t1 - t0) / 1000000))"
}

# one MODE — one measured run; prints "p99_ms over_2s max_ms finished ddl_ms".
one() {
  local mode=$1 log=$work/tx.$1 ddl_result
  rm -f "$log".*
  psql -Xq -c "ALTER TABLE accounts DROP CONSTRAINT IF EXISTS balance_sane" -c "DROP SCHEMA IF EXISTS runbook CASCADE" >/dev/null 2>&1
  pgbench -n -c 4 -j 2 -R "$rate" -T "$load_s" -f "$work/app.sql" --log --log-prefix="$log" >/dev/null 2>&1 &
  local bench=$!
  sleep 4
  hold_lock
  sleep 1
  ddl_result=$(run_ddl "$mode")
  wait "$bench" || true
  wait
  # The third column of pgbench's log is the transaction's latency in µs
  # (with -R it counts from the scheduled start, so queueing shows in full).
  cat "$log".* | awk -v over=2000000 '{ print $3 }' | sort -n | awk -v over=2000000 '
    { a[NR] = $1; if ($1 > over) n++ }
    END { i = int(NR * 0.99); if (i < 1) i = 1; printf "%d %d %d ", a[i] / 1000, n, a[NR] / 1000 }'
  echo "$ddl_result"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -A p99 over max fin dms
for mode in psql runbook; do p99[$mode]=""; over[$mode]=""; max[$mode]=""; fin[$mode]=""; dms[$mode]=""; done
for r in $(seq 1 "$runs"); do
  for mode in psql runbook; do
    read -r a b c d e < <(one "$mode")
    echo "run $r $mode: p99 ${a} ms, ${b} transactions over 2 s, slowest ${c} ms, DDL finished: $d (${e} ms)"
    p99[$mode]+="$a "; over[$mode]+="$b "; max[$mode]+="$c "; fin[$mode]+="$d "; dms[$mode]+="$e "
  done
done

echo
echo "medians of $runs runs ($rate tx/s from pgbench, a lock held ${hold_s} s by another session):"
printf '%-26s %14s %14s\n' "" "psql" "runbook"
for metric in p99 over max dms; do
  declare -n m=$metric
  label=$(case $metric in
    p99) echo "app p99 latency (ms)" ;;
    over) echo "app transactions > 2 s" ;;
    max) echo "app slowest (ms)" ;;
    dms) echo "DDL took (ms)" ;;
  esac)
  printf '%-26s %14s %14s\n' "$label" \
    "$(tr ' ' '\n' <<<"${m[psql]}" | grep . | median)" "$(tr ' ' '\n' <<<"${m[runbook]}" | grep . | median)"
done
printf '%-26s %14s %14s\n' "DDL finished" "${fin[psql]}" "${fin[runbook]}"

#!/usr/bin/env bash
# Benchmark: 300 independent checks (query + expected value) on the recipes
# demo schema. `runbook run` versus `psql -f` running the same queries with
# \gset + \if assertions and ON_ERROR_STOP. Target: runbook no slower.
# Usage: tests/bench/checks_vs_psql_bench.sh [RUNBOOK_BIN] [CHECKS] [RUNS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${1:-$root/build/interpreter/runbook}
checks=${2:-300}
runs=${3:-7}
work=$(mktemp -d)
cleanup() { "$root/tests/support/pg_cluster.sh" stop "$work/pg" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
eval "$("$root/tests/support/pg_cluster.sh" start "$work/pg" 2>/dev/null)"
createdb bench && export PGDATABASE=bench
psql -Xq -v ON_ERROR_STOP=1 -f "$root/examples/recipes/schema.sql" >/dev/null
psql -Xq -v ON_ERROR_STOP=1 -v scale=2000 -f "$root/examples/recipes/data.sql" >/dev/null

tables=(Recipe RecipeItem RecipeSection Ingredient Category Company User Membership
        ProductionPlan ProductionTask InventoryMovement SalesRecord ProductionHistory
        Notification WholesaleOrder)
{
  echo "runbook: bench-checks"
  echo "preflight:"
  for i in $(seq 1 "$checks"); do
    t=${tables[$((i % ${#tables[@]}))]}
    echo "  - id: check-$i"
    echo "    query: SELECT count(*) >= 0 AS ok FROM \"$t\" WHERE id > 'x$i'"
    echo "    expect: { value: true }"
  done
  echo "steps:"
  echo "  - id: done"
  echo "    query: SELECT 1"
  echo "    expect: { rows: 1 }"
} >"$work/checks.yaml"
{
  echo '\set ON_ERROR_STOP on'
  for i in $(seq 1 "$checks"); do
    t=${tables[$((i % ${#tables[@]}))]}
    echo "SELECT count(*) >= 0 AS ok FROM \"$t\" WHERE id > 'x$i' \\gset"
    echo "\\if :ok"
    echo "\\else"
    echo "  \\echo 'check-$i failed'"
    echo "  \\quit 1"
    echo "\\endif"
  done
} >"$work/checks.sql"

# Wall ms of one run of a command.
wall_ms() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

"$bin" run "$work/checks.yaml" --out "$work/out" >/dev/null 2>&1 || { echo "runbook run failed"; exit 1; }
psql -Xq -f "$work/checks.sql" >/dev/null || { echo "psql script failed"; exit 1; }
# Alternate the two, so that a change of load on the machine weighs on both alike.
rb_times=() ps_times=()
for _ in $(seq 1 "$runs"); do
  rb_times+=("$(wall_ms "$bin" run "$work/checks.yaml" --out "$work/out")")
  ps_times+=("$(wall_ms psql -Xq -f "$work/checks.sql")")
done
rb=$(printf '%s\n' "${rb_times[@]}" | median)
ps=$(printf '%s\n' "${ps_times[@]}" | median)
echo "$checks independent checks, median of $runs runs each, alternating (unix socket, local cluster)"
printf '%-40s %8s ms\n' "runbook run (GO report + artifacts)" "$rb" "psql -f with \\gset + \\if" "$ps"

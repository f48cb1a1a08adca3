#!/usr/bin/env bash
# Benchmark: a gate over a 5-million-row result. Two checks:
#   rows: 0 that fails  (decided by the first row: reading stops early)
#   each: that holds    (every row read and checked)
# Measures peak RSS (target under 64 MiB) and time against psql counting the
# same rows (target within 1.2x). Needs GNU time (/usr/bin/time).
# Usage: tests/bench/big_result_bench.sh [RUNBOOK_BIN] [ROWS] [RUNS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${1:-$root/build/interpreter/runbook}
rows=${2:-5000000}
runs=${3:-5}
work=$(mktemp -d)
cleanup() { "$root/tests/support/pg_cluster.sh" stop "$work/pg" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
eval "$("$root/tests/support/pg_cluster.sh" start "$work/pg" 2>/dev/null)"
createdb bench && export PGDATABASE=bench
psql -Xq -v ON_ERROR_STOP=1 -c "CREATE TABLE big AS SELECT g AS id, 'row ' || g AS label FROM generate_series(1, $rows) g" -c "VACUUM ANALYZE big"

query="SELECT id, label FROM big"
cat >"$work/rows0.yaml" <<YAML
runbook: bench-rows0
preflight:
  - id: no-rows
    query: $query
    expect: { rows: 0 }
steps:
  - { id: never, query: SELECT 1, expect: { rows: 1 } }
YAML
cat >"$work/each.yaml" <<YAML
runbook: bench-each
preflight:
  - id: all-positive
    query: $query
    expect: { each: { id: { gt: 0 }, label: { matches: "^row " } } }
steps:
  - { id: done, query: SELECT 1, expect: { rows: 1 } }
YAML

# Median wall ms and max RSS KiB over runs: prints "MS KIB".
measure() {
  local times=() rss=0
  for _ in $(seq 1 "$runs"); do
    local start end kib
    start=$(date +%s%N)
    /usr/bin/time -f '%M' -o "$work/rss" "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    times+=($(((end - start) / 1000000)))
    kib=$(tail -1 "$work/rss")
    [ "$kib" -gt "$rss" ] && rss=$kib
  done
  echo "$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}') $rss"
}

read -r r0_ms r0_rss < <(measure "$bin" run "$work/rows0.yaml" --out "$work/o1")
read -r each_ms each_rss < <(measure "$bin" run "$work/each.yaml" --out "$work/o2")
read -r psql_ms psql_rss < <(measure sh -c "psql -XAt -c \"$query\" | wc -l")
read -r psqlf_ms psqlf_rss < <(measure sh -c "psql -XAt -v FETCH_COUNT=10000 -c \"$query\" | wc -l")
echo "gate over $rows rows, median of $runs runs"
printf '%-46s %8s %12s\n' "" "time" "peak RSS"
printf '%-46s %6s ms %8s MiB\n' \
  "runbook: rows: 0 (fails, reading stops)" "$r0_ms" "$((r0_rss / 1024))" \
  "runbook: each: (holds, every row read)" "$each_ms" "$((each_rss / 1024))" \
  "psql | wc -l (whole result in memory)" "$psql_ms" "$((psql_rss / 1024))" \
  "psql FETCH_COUNT=10000 | wc -l" "$psqlf_ms" "$((psqlf_rss / 1024))"

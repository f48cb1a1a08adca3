#!/usr/bin/env bash
# Benchmark: `runbook validate` and `runbook plan` of a generated 2,000-step
# runbook. Targets: validate under 50 ms, plan under 100 ms (median).
# Usage: tests/bench/validate_plan_bench.sh [RUNBOOK_BIN] [STEPS] [RUNS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../../build/interpreter/runbook}
steps=${2:-2000}
runs=${3:-15}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$here/gen_big_runbook.sh" "$steps" >"$work/big.yaml"
echo "runbook of $steps steps: $(wc -l <"$work/big.yaml") lines, $(wc -c <"$work/big.yaml") bytes"

# Median wall time in ms of `runs` runs of a command.
median_ms() {
  local times=()
  for _ in $(seq 1 "$runs"); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null
    end=$(date +%s%N)
    times+=($(((end - start) / 1000000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

"$bin" validate -q "$work/big.yaml"
validate=$(median_ms "$bin" validate -q "$work/big.yaml")
plan=$(median_ms "$bin" plan "$work/big.yaml")
plan_md=$(median_ms "$bin" plan --format markdown "$work/big.yaml")
printf '%-28s %8s %8s\n' "command" "median" "target"
printf '%-28s %6s ms %6s ms\n' "validate" "$validate" 50
printf '%-28s %6s ms %6s ms\n' "plan (text)" "$plan" 100
printf '%-28s %6s ms %6s ms\n' "plan (markdown)" "$plan_md" 100

# Wall time on a shared machine moves with its load; instructions do not.
# With valgrind installed, also count the instructions of one run of each
# (callgrind; a run takes some 10 s), for comparing two builds. valgrind
# hides the CPU's SHA instructions, so these counts use the portable SHA-256.
if command -v valgrind >/dev/null && [[ "${RUNBOOK_BENCH_INSTRUCTIONS:-1}" != 0 ]]; then
  instructions() {
    valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" "$@" 2>&1 >/dev/null |
      awk '/Collected/ {printf "%.0f", $NF / 1e6}'
  }
  printf '%-28s %8s\n' "command" "instructions"
  printf '%-28s %6s M\n' "validate" "$(instructions "$bin" validate -q "$work/big.yaml")"
  printf '%-28s %6s M\n' "plan (text)" "$(instructions "$bin" plan "$work/big.yaml")"
fi

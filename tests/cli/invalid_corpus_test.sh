#!/usr/bin/env bash
# invalid_corpus_test.sh — `runbook validate` on every tests/invalid/*.yaml.
#
# Each file of the corpus has one concern and starts with comment lines that
# say what validate must report:
#
#   # expect: LINE:COL: MESSAGE            an error in this file
#   # expect: PATH:LINE:COL: MESSAGE       an error in another file (PATH is
#                                          relative to the runbook's folder,
#                                          e.g. templates/add-column.yaml)
#   # note: LINE:COL                       the error above carries
#                                          "note: used at THIS-FILE:LINE:COL"
#
# COL may be `*` where the tool is known to give the line only (see the
# file's comment). MESSAGE is a substring of the error message.
#
# For each file this asserts: exit code 5 (never a crash: >= 128 or a
# sanitizer report), every expected `FILE:LINE:COL: error: ...MESSAGE...` on
# stderr (with its notes), exactly as many errors as expected (no cascades,
# no missing ones), and nothing on stdout.
#
# Runs from the repository root so that paths are relative. RUNBOOK_BIN is the
# binary (ctest sets it). Prints "N passed, N failed"; exits 1 on failure.

set -u
set -o pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root" || exit 1

bin=${RUNBOOK_BIN:-}
if [[ -z "$bin" || ! -x "$bin" ]]; then
  echo "invalid_corpus_test: RUNBOOK_BIN is not set or not executable (build the runbook target)" >&2
  exit 1
fi

corpus=tests/invalid
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rb-invalid.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT

passed=0
failed=0
only=${1:-}   # optional: a file name (or glob) to run alone

run_validate() {  # FILE -> $tmp/out, $tmp/err, $rc
  if command -v timeout >/dev/null 2>&1; then
    timeout -k 5 60 "$bin" validate "$1" </dev/null >"$tmp/out" 2>"$tmp/err"
  else
    "$bin" validate "$1" </dev/null >"$tmp/out" 2>"$tmp/err"
  fi
  rc=$?
}

# find_error PATH LINE COL MESSAGE -> prints the index (in $tmp/err) of the
# first matching diagnostic line, or nothing.
find_error() {
  local path=$1 line=$2 col=$3 msg=$4 n=0 l rest
  while IFS= read -r l; do
    n=$((n + 1))
    [[ "$l" == "$path:$line:"* ]] || continue
    rest=${l#"$path:$line:"}
    if [[ "$col" == "*" ]]; then
      [[ "$rest" =~ ^[0-9]+:\ error:\ (.*)$ ]] || continue
    else
      [[ "$rest" == "$col: error: "* ]] || continue
    fi
    [[ "$rest" == *"$msg"* ]] || continue
    echo "$n"
    return 0
  done <"$tmp/err"
  return 0
}

# has_note INDEX NOTE: the diagnostic starting at line INDEX has the line "  NOTE".
has_note() {
  local start=$1 note=$2 n=0 l
  while IFS= read -r l; do
    n=$((n + 1))
    ((n <= start)) && continue
    [[ "$l" == "  "* ]] || return 1   # the next diagnostic (or the summary) begins
    [[ "$l" == "  $note" ]] && return 0
  done <"$tmp/err"
  return 1
}

check_file() {
  local file=$1 dir problems=() expects=0 last_index="" l spec path line col msg idx
  dir=$(dirname "$file")
  run_validate "$file"
  if ((rc >= 128)) || grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:|internal error' "$tmp/err"; then
    problems+=("CRASH or internal error (exit $rc)")
  elif ((rc != 5)); then
    problems+=("exit code $rc, expected 5")
  fi
  if [[ -s "$tmp/out" ]]; then
    problems+=("stdout is not empty: $(head -c 200 "$tmp/out")")
  fi
  while IFS= read -r l; do
    if [[ "$l" =~ ^#\ expect:\ (.*)$ ]]; then
      spec=${BASH_REMATCH[1]}
      expects=$((expects + 1))
      if [[ "$spec" =~ ^([0-9]+):([0-9]+|\*):\ (.+)$ ]]; then
        path=$file line=${BASH_REMATCH[1]} col=${BASH_REMATCH[2]} msg=${BASH_REMATCH[3]}
      elif [[ "$spec" =~ ^([^:]+):([0-9]+):([0-9]+|\*):\ (.+)$ ]]; then
        path=$dir/${BASH_REMATCH[1]} line=${BASH_REMATCH[2]} col=${BASH_REMATCH[3]} msg=${BASH_REMATCH[4]}
      else
        problems+=("malformed expect line: $l")
        last_index=""
        continue
      fi
      idx=$(find_error "$path" "$line" "$col" "$msg")
      if [[ -z "$idx" ]]; then
        problems+=("missing: $path:$line:$col: error: ...$msg...")
      fi
      last_index=$idx
    elif [[ "$l" =~ ^#\ note:\ ([0-9]+):([0-9]+)$ ]]; then
      local note="note: used at $file:${BASH_REMATCH[1]}:${BASH_REMATCH[2]}"
      if [[ -n "$last_index" ]] && ! has_note "$last_index" "$note"; then
        problems+=("the error above has no \"$note\"")
      fi
    elif [[ "$l" != "#"* ]]; then
      break   # the header ends at the first line that is not a comment
    fi
  done <"$file"
  if ((expects == 0)); then
    problems+=("no '# expect:' line at the top of the file")
  fi
  local errors
  errors=$(grep -cE '^[^ ].*:[0-9]+:[0-9]+: error: ' "$tmp/err")
  if ((expects > 0 && errors != expects)); then
    problems+=("$errors errors reported, $expects expected")
  fi
  if ((${#problems[@]} == 0)); then
    passed=$((passed + 1))
    printf 'ok   %s\n' "$file"
  else
    failed=$((failed + 1))
    printf 'FAIL %s\n' "$file"
    local p
    for p in "${problems[@]}"; do printf '       %s\n' "$p"; done
    printf '       stderr:\n'
    sed -e 's/^/       | /' "$tmp/err" | head -n 40
  fi
}

shopt -s nullglob
files=("$corpus"/*.yaml)
if [[ -n "$only" ]]; then
  files=("$corpus"/$only)
fi
if ((${#files[@]} == 0)); then
  echo "invalid_corpus_test: no files in $corpus" >&2
  exit 1
fi
for f in "${files[@]}"; do
  check_file "$f"
done

printf '\ninvalid corpus: %d passed, %d failed\n' "$passed" "$failed"
((failed == 0))

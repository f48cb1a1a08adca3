#!/usr/bin/env bash
# golden_test.sh — `runbook plan` in text, markdown and JSON, compared byte
# for byte with the expected files in tests/golden/.
#
# Cases: every runbook (a file with a top-level `runbook:` key) among
# examples/**/*.yaml, runbooks/*.yaml, tests/valid/*.yaml and
# tests/golden/cases/*.yaml. For a case NAME (the file name without .yaml):
#
#   tests/golden/NAME.plan.txt   runbook plan FILE
#   tests/golden/NAME.plan.md    runbook plan FILE --format markdown
#   tests/golden/NAME.plan.json  runbook plan FILE --format json
#   tests/golden/NAME.args       optional: extra arguments, one per line
#                                (e.g. --set and schema=app for a required param)
#
# In a git checkout, a runbook git does not know yet (someone is writing it)
# and that has no expected files is skipped with a note, so that work in
# progress does not fail everyone's tests; once committed it must have them.
#
# Runs from the repository root (paths in plans are relative) with an empty
# environment (PATH only), so a plan does not depend on who runs it.
# A mismatch prints a unified diff. RUNBOOK_UPDATE_GOLDEN=1 rewrites the
# expected files (and removes those of cases that no longer exist).
#
# RUNBOOK_BIN is the binary (ctest sets it). Prints "N passed, N failed".

set -u
set -o pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root" || exit 1

bin=${RUNBOOK_BIN:-}
if [[ -z "$bin" || ! -x "$bin" ]]; then
  echo "golden_test: RUNBOOK_BIN is not set or not executable (build the runbook target)" >&2
  exit 1
fi
case "$bin" in
  /*) ;;
  *) bin=$PWD/$bin ;;
esac

golden=tests/golden
update=${RUNBOOK_UPDATE_GOLDEN:-}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rb-golden.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT

passed=0
failed=0

ok() { passed=$((passed + 1)); printf 'ok   %s\n' "$1"; }
bad() {
  failed=$((failed + 1))
  printf 'FAIL %s\n' "$1"
  shift
  local line
  for line in "$@"; do printf '       %s\n' "$line"; done
}

# The cases, sorted, as paths relative to the root.
cases=()
while IFS= read -r f; do
  if grep -qE '^runbook:' "$f"; then
    cases+=("$f")
  fi
done < <(
  {
    [[ -d examples ]] && find examples -name '*.yaml' -type f
    for d in runbooks tests/valid "$golden/cases"; do
      [[ -d "$d" ]] && find "$d" -maxdepth 1 -name '*.yaml' -type f
    done
  } | LC_ALL=C sort
)

if ((${#cases[@]} == 0)); then
  echo "golden_test: no runbooks found" >&2
  exit 1
fi

# Files git knows (all of them when this is not a git checkout).
declare -A tracked=()
in_git=0
if command -v git >/dev/null 2>&1 && git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  in_git=1
  while IFS= read -r f; do tracked[$f]=1; done < <(git ls-files -- '*.yaml')
fi

declare -A seen=()
skipped=0
for f in "${cases[@]}"; do
  name=$(basename "$f" .yaml)
  if ((in_git)) && [[ -z "${tracked[$f]:-}" && -z "$update" && ! -f "$golden/$name.plan.txt" ]]; then
    printf 'note %s: not in git yet and no expected files: skipped\n' "$f"
    skipped=$((skipped + 1))
    seen[$name]=$f
    continue
  fi
  if [[ -n "${seen[$name]:-}" ]]; then
    bad "$f" "another case has the same name: ${seen[$name]} (golden files are named by file name)"
    continue
  fi
  seen[$name]=$f

  args=()
  if [[ -f "$golden/$name.args" ]]; then
    while IFS= read -r a; do
      [[ -z "$a" || "$a" == "#"* ]] && continue
      args+=("$a")
    done <"$golden/$name.args"
  fi

  for format in txt md json; do
    case "$format" in
      txt) flag=text ;;
      md) flag=markdown ;;
      json) flag=json ;;
    esac
    label="$f ($flag)"
    expected=$golden/$name.plan.$format
    actual=$tmp/$name.plan.$format
    env -i PATH="$PATH" "$bin" plan "$f" --format "$flag" ${args[@]+"${args[@]}"} \
      </dev/null >"$actual" 2>"$tmp/err"
    rc=$?
    if ((rc != 0)); then
      bad "$label" "runbook plan exited $rc (add $golden/$name.args for required params?)" \
        "$(head -n 20 "$tmp/err")"
      continue
    fi
    if [[ -s "$tmp/err" ]]; then
      bad "$label" "runbook plan wrote to stderr:" "$(head -n 20 "$tmp/err")"
      continue
    fi
    if [[ -n "$update" ]]; then
      if [[ -f "$expected" ]] && cmp -s "$expected" "$actual"; then
        ok "$label"
      else
        cp "$actual" "$expected"
        ok "$label (updated $expected)"
      fi
      continue
    fi
    if [[ ! -f "$expected" ]]; then
      bad "$label" "no $expected: run with RUNBOOK_UPDATE_GOLDEN=1 to create it, then review it"
      continue
    fi
    if cmp -s "$expected" "$actual"; then
      ok "$label"
    else
      bad "$label" "differs from $expected (RUNBOOK_UPDATE_GOLDEN=1 rewrites it):"
      diff -u --label "$expected" --label "actual" "$expected" "$actual" | head -n 200
    fi
  done
done

# Expected files of cases that no longer exist.
shopt -s nullglob
for g in "$golden"/*.plan.txt "$golden"/*.plan.md "$golden"/*.plan.json "$golden"/*.args; do
  base=$(basename "$g")
  name=${base%.args}
  name=${name%.plan.*}
  if [[ -z "${seen[$name]:-}" ]]; then
    if [[ -n "$update" ]]; then
      rm -f -- "$g"
      printf 'removed %s (no runbook named %s)\n' "$g" "$name"
    else
      bad "$g" "no runbook named $name any more (RUNBOOK_UPDATE_GOLDEN=1 removes it)"
    fi
  fi
done

printf '\ngolden: %d passed, %d failed%s\n' "$passed" "$failed" \
  "$( ((skipped > 0)) && printf ' (%d runbooks not in git yet skipped)' "$skipped")"
((failed == 0))

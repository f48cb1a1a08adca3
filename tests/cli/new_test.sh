#!/usr/bin/env bash
# `runbook new`: every starter scaffolds a runbook that validates and lints
# clean as written, carries the schema modeline, and refuses to overwrite.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../integration/lib.sh"
bin=${RUNBOOK_BIN:?RUNBOOK_BIN is not set}
dir=$TEST_TMP/new
mkdir -p "$dir"

assert_exit 0 "lists the starters" -- "$bin" new --list
starters=$(last_stdout)
for s in blank safe-foreign-key concurrent-index backfill; do
  assert_contains "$starters" "$s" "starter $s is listed"
done
for s in $starters; do
  assert_exit 0 "new from $s" -- "$bin" new "demo-$s" --template "$s" --dir "$dir"
  file=$dir/demo-$s.yaml
  assert_contains "$(head -1 "$file")" 'yaml-language-server: $schema=' "$s has the schema modeline"
  assert_contains "$(cat "$file")" "runbook: demo-$s" "$s has the new id"
  assert_exit 0 "$s validates" -- "$bin" validate "$file"
  assert_exit 0 "$s lints clean" -- "$bin" lint "$file"
  assert_contains "$(last_stdout)" "0 errors, 0 warnings" "$s has no lint finding"
done
assert_exit 5 "refuses to overwrite" -- "$bin" new demo-blank --dir "$dir"
assert_contains "$(last_stderr)" "--force" "says how to overwrite"
assert_exit 5 "unknown starter" -- "$bin" new x --template safe-fk --dir "$dir"
assert_exit 5 "bad id" -- "$bin" new Bad_Id --dir "$dir"

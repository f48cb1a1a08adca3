#!/usr/bin/env bash
# `runbook run` artifacts: report.json (valid against schemas/report.schema.json),
# report.md, events.jsonl and junit.xml (a test case per step), in --out DIR
# or .runbook/runs/RUN_ID, for every outcome.
source "$(dirname "$0")/run_lib.sh"
require_cluster
require_runbook
fresh_db main

rb_file full <<'EOF'
runbook: full
title: Every kind of step
params:
  n: { type: integer, default: 3 }
preflight:
  - id: pre
    query: SELECT 1 AS v
    expect: { value: 1 }
  - id: pre-warn
    query: SELECT 2 AS v
    expect: { value: 1 }
    gate: warn
steps:
  - id: make
    sql: CREATE TABLE made AS SELECT g AS id FROM generate_series(1, {{ params.n }}) g;
    expect: { affected: "{{ params.n }}" }
  - id: ask
    confirm: Go on?
  - id: index
    sql: CREATE INDEX CONCURRENTLY made_idx ON made (id);
  - id: cmd
    command: [echo, hello]
    expect: { stdout_contains: hello }
  - id: skipped
    when: "false"
    sql: CREATE TABLE never (id int);
  - id: gate
    query: SELECT count(*) AS n FROM made
    expect: { value: "{{ params.n }}" }
postflight:
  - id: post
    query: SELECT count(*) AS n FROM made
    expect: { rows: 1, value: { ge: 1 } }
EOF

section "GO with warnings: every artifact"
rb_run 0 "a full run: GO with warnings" full --yes
assert_artifacts
run_id=$(last_run_id)
assert_match "$run_id" '^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$' "report.json: a run id"
assert_eq "pre:done pre-warn:warned make:done ask:done index:done cmd:done skipped:skipped gate:done post:done" \
  "$(report_steps)" "report.json: every step with its status"
assert_eq "full|Every kind of step|full.yaml|go_with_warnings|0" \
  "$(report_value "concat_ws('|', r->>'runbook', r->>'title', r->>'file', r->>'outcome', r->>'exit_code')")" \
  "report.json: runbook, title, file, outcome, exit code"
assert_eq "9 7 1 1 7 1" \
  "$(report_value "concat_ws(' ', r->'counts'->>'steps', r->'counts'->>'done', r->'counts'->>'warned', r->'counts'->>'skipped', r->'counts'->>'checks', r->'counts'->>'checks_failed')")" \
  "report.json: counts (steps done warned skipped checks checks_failed)"
assert_eq "n=3" "$(report_value "(SELECT string_agg((p->>'name') || '=' || (p->>'value'), ' ') FROM jsonb_array_elements(r->'params') p)")" \
  "report.json: params"
assert_eq 3 "$(report_step make rows_affected)" "report.json: rows affected"
assert_eq "hello" "$(report_step cmd output | tr -d '\n')" "report.json: command output"
assert_eq 0 "$(report_step cmd exit_code)" "report.json: exit code of the command"
assert_eq t "$(report_value "(SELECT (s->>'sql_checksum') ~ '^[0-9a-f]{64}\$' FROM jsonb_array_elements(r->'steps') s WHERE s->>'id' = 'make')")" \
  "report.json: the rendered SQL's checksum"
assert_eq "$(psql_value "SELECT sql_checksum FROM runbook.steps WHERE step_id = 'make'")" "$(report_step make sql_checksum)" \
  "report.json and the journal agree on the checksum"
assert_eq "$(journal_run "$run_id" file_checksum)" "$(report_value "r->>'file_checksum'")" \
  "report.json and the journal agree on the file checksum"

section "junit.xml: a test case per step"
junit=$(cat "$RB_OUT/junit.xml")
assert_eq "pre pre-warn make ask index cmd skipped gate post" "$(junit_cases)" "a test case per step, in order"
assert_contains "$junit" '<testsuites name="full" tests="9" failures="0"' "the totals"
assert_contains "$junit" '<testsuite name="full.preflight" tests="2"' "a suite per phase: preflight"
assert_contains "$junit" '<testsuite name="full.steps" tests="6"' "a suite per phase: steps"
assert_contains "$junit" '<testsuite name="full.postflight" tests="1"' "a suite per phase: postflight"
assert_match "$junit" '<testcase classname="full.steps" name="skipped" [^>]*>[[:space:]]*<skipped' "a skipped step is <skipped>"
assert_contains "$junit" "<property name=\"run_id\" value=\"$run_id\"/>" "the run id as a property"

section "events.jsonl"
events=$(cat "$RB_OUT/events.jsonl")
assert_eq 1 "$(grep -c '"event":"run_started"' <<<"$events")" "one run_started"
assert_eq 1 "$(grep -c '"event":"run_finished"' <<<"$events")" "one run_finished"
assert_eq 3 "$(grep -c '"event":"phase_started"' <<<"$events")" "three phases"
assert_eq 8 "$(grep -c '"event":"step_started"' <<<"$events")" "a start for each step that ran"
assert_eq 9 "$(grep -c '"event":"step_finished"' <<<"$events")" "a finish for each step (the skipped one too)"
assert_contains "$(tail -n 1 <<<"$events")" '"outcome":"go_with_warnings"' "the last event is the outcome"
seqs=$(grep -o '"seq":[0-9]*' <<<"$events" | cut -d: -f2 | tr '\n' ' ')
assert_eq "$(seq 1 "$(grep -c . <<<"$events")" | tr '\n' ' ')" "$seqs" "events are numbered 1, 2, 3, …"

section "report.md"
md=$(cat "$RB_OUT/report.md")
assert_contains "$md" "# ⚠️ GO with warnings — Every kind of step" "the outcome first"
assert_contains "$md" "| Run | \`$run_id\` |" "the run id"
assert_contains "$md" '| `n` | `3` |' "the params"
assert_contains "$md" '| steps | `make` | ✅ done |' "a row per step"
assert_contains "$md" '| steps | `skipped` | ⏭️ skipped (when: false is false) |' "a skipped step and why"
assert_contains "$md" '**Check `value`** at `full.yaml:' "the warned check in detail"

section "artifacts of the other outcomes"
rb_file nogo <<'EOF'
runbook: nogo
preflight:
  - id: fails
    query: SELECT 1 AS v
    expect: { value: 2 }
steps:
  - id: a
    sql: CREATE TABLE a (id int);
EOF
rb_run 1 "NO-GO" nogo
assert_artifacts
assert_contains "$(cat "$RB_OUT/junit.xml")" '<failure message="value: expected value = 2, got 1"' \
  "junit.xml: the failed gate is a failure with expected and actual"
rb_run 6 "cannot connect" nogo --db "postgresql:///nowhere?host=$TEST_TMP&port=1"
assert_artifacts
assert_eq "environment" "$(report_value "r->>'outcome'")" "report.json: environment"

section "the default artifacts directory"
assert_exit 0 "no --out: .runbook/runs/RUN_ID under the current directory" -- \
  bash -c 'cd "$1" && exec "$2" run full.yaml --yes' _ "$TEST_TMP" "$RUNBOOK_BIN"
dirs=("$TEST_TMP"/.runbook/runs/*)
assert_eq 1 "${#dirs[@]}" "one run directory"
assert_file_exists "${dirs[0]}/report.json" "report.json in it"
assert_eq "$(basename "${dirs[0]}")" "$(report_value "r->>'run_id'" "${dirs[0]}")" "the directory is named by the run id"
cp "${dirs[0]}/report.json" "$RB_RUNS/default-report.json" 2>/dev/null
mkdir -p "$RB_RUNS/default" && mv "$RB_RUNS/default-report.json" "$RB_RUNS/default/report.json"
assert_contains "$(cat "$LAST_STDERR")" "artifacts: .runbook/runs/" "the terminal says where the artifacts are"

section "an --out that cannot be created"
: >"$TEST_TMP/a-file"
rb_file plain <<'EOF'
runbook: plain
steps:
  - id: a
    sql: CREATE TABLE plain_made (id int);
EOF
_rb_next_out
assert_exit 6 "--out under a regular file: exit 6, nothing ran" -- \
  _rb_in_tmp "$RUNBOOK_BIN" run plain.yaml --out a-file/out
assert_eq f "$(relation_exists plain_made)" "nothing ran"

validate_reports

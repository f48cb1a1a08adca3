#!/usr/bin/env bash
# `runbook run`: consecutive independent checks are sent to the server ahead
# of time (one pipeline) and still judged one by one, each in its own READ
# ONLY transaction: a failing check stops the run at exactly that check, a
# `gate: warn` check lets the run go on, a check that errors or cancels its
# query early does not disturb the checks after it, captures reach `same_as`.
source "$(dirname "$0")/run_lib.sh"
require_cluster
require_runbook
fresh_db main

psql_run "CREATE TABLE item (id int PRIMARY KEY, qty int);
          INSERT INTO item SELECT g, g % 7 FROM generate_series(1, 1000) g;
          CREATE SEQUENCE counter;" >/dev/null

# checks N [FAIL_AT [EXTRA-LINES]] — N checks c1..cN that each hold, except
# c$FAIL_AT, which finds rows where none are expected (EXTRA-LINES, e.g. a
# gate, is added to it).
checks() {
  local n=$1 fail_at=${2:-0} extra=${3:-} i
  for i in $(seq 1 "$n"); do
    if [[ $i == "$fail_at" ]]; then
      printf '  - id: c%s\n    query: SELECT id FROM item WHERE qty = 3 ORDER BY id\n    expect: { rows: 0 }\n' "$i"
      [[ -n $extra ]] && printf '    %s\n' "$extra"
    else
      printf '  - id: c%s\n    query: SELECT count(*) AS n FROM item WHERE id <= %s\n    expect: { value: %s }\n' "$i" "$i" "$i"
    fi
  done
}
# between NAME ID QUERY EXPECT — runbook NAME: checks c1..c3, then ID (gate:
# warn), then d1..d3.
between() {
  { echo "runbook: $1"; echo "preflight:"; checks 3
    printf '  - id: %s\n    query: %s\n    expect: %s\n    gate: warn\n' "$2" "$3" "$4"
    checks 3 | sed 's/id: c/id: d/'; } | rb_file "$1"
}
ids() {  # ids FROM TO STATUS — "cFROM:STATUS ... cTO:STATUS"
  local i out=()
  for i in $(seq "$1" "$2"); do out+=("c$i:$3"); done
  echo "${out[*]}"
}

# ---------------------------------------------------------------------------
section "many checks in a row all hold, each judged on its own result"

{ echo "runbook: all-hold"; echo "preflight:"; checks 40; } | rb_file all-hold
rb_run 0 "40 checks hold: GO" all-hold
assert_eq "$(ids 1 40 done)" "$(report_steps)" "every check done, in order"
assert_eq "value:true" "$(report_checks c27)" "c27 judged its own result (count 27)"

# ---------------------------------------------------------------------------
section "a failing check stops the run at exactly that check"

{ echo "runbook: stops"; echo "preflight:"; checks 30 12; echo "steps:";
  echo "  - { id: never, sql: 'CREATE TABLE never_made (id int);' }"; } | rb_file stops
rb_run 1 "c12 finds rows: NO-GO, exit 1" stops
assert_eq "$(ids 1 11 done) c12:failed" "$(report_steps)" "c1..c11 done, c12 failed, nothing after it"
assert_eq "NO-GO at c12; nothing was written" "$(report_value "r->>'summary'")" "the summary names c12"
assert_contains "$(last_output)" "rows: expected 0 rows, got" "the terminal says why"
assert_not_contains "$(last_output)" " c13 " "no check after c12 is shown"  # spaces: a run id may hold "c13"
assert_eq f "$(relation_exists never_made)" "nothing was written"
assert_eq 0 "$(journal_exists)" "not even the journal"

# ---------------------------------------------------------------------------
section "what was queued after a failing check is cancelled, not waited for"

{ echo "runbook: stops-early"; echo "preflight:"; checks 3 2
  printf '  - id: slow\n    query: SELECT pg_sleep(60) AS z\n    expect: { rows: 1 }\n'; } | rb_file stops-early
started=$SECONDS
rb_run 1 "c2 fails while a slow check is queued behind it" stops-early
assert_num $((SECONDS - started)) -lt 30 "the run did not wait for the slow check (60 s)"
assert_eq "c1:done c2:failed" "$(report_steps)" "stopped at c2"

# ---------------------------------------------------------------------------
section "a failing gate: warn check lets the run go on"

{ echo "runbook: warns"; echo "preflight:"; checks 30 12 "gate: warn"; } | rb_file warns
rb_run 0 "c12 warns: GO with warnings, exit 0" warns
assert_eq "$(ids 1 11 done) c12:warned $(ids 13 30 done)" "$(report_steps)" "every check judged"

# ---------------------------------------------------------------------------
section "a check that errors does not disturb the checks queued after it"

between errs boom "SELECT 1 / 0 AS x" "{ value: 1 }"
rb_run 0 "a check that errors with gate: warn: GO with warnings" errs
assert_eq "$(ids 1 3 done) boom:warned $(ids 1 3 done | tr c d)" "$(report_steps)" \
  "the checks after the error ran, each in a fresh transaction"
assert_eq 22012 "$(report_value "(SELECT s->'error'->>'sqlstate' FROM jsonb_array_elements(r->'steps') s
                                  WHERE s->>'id' = 'boom')")" "the error is the check's own (division by zero)"

# ---------------------------------------------------------------------------
section "a check that stops its query early does not disturb the checks after it"

between cuts huge "SELECT g FROM generate_series(1, 100000000) g" "{ rows: 0 }"
rb_run 0 "rows: 0 on a huge result decides at the first row" cuts
assert_eq "$(ids 1 3 done) huge:warned $(ids 1 3 done | tr c d)" "$(report_steps)" \
  "the checks after the cancelled query ran"
assert_contains "$(report_step huge checks)" "at least" "the huge query was not read to the end"

# ---------------------------------------------------------------------------
section "checks in a row stay read-only, and captures reach same_as"

rb_file ro <<'EOF'
runbook: ro
preflight:
  - id: before
    query: SELECT id, qty FROM item
    capture: items
  - id: writes
    query: SELECT nextval('counter') AS n
    expect: { rows: 1 }
    gate: warn
  - id: same
    query: SELECT id, qty FROM item
    expect: { same_as: items }
  - id: after
    query: SELECT last_value FROM counter
    expect: { value: 1 }
EOF
rb_run 0 "a writing check fails, the others hold" ro
assert_eq "before:done writes:warned same:done after:done" "$(report_steps)" "every check judged"
assert_eq 25006 "$(report_value "(SELECT s->'error'->>'sqlstate' FROM jsonb_array_elements(r->'steps') s
                                  WHERE s->>'id' = 'writes')")" "the write was refused: read-only transaction"
assert_eq f "$(psql_value 'SELECT is_called FROM counter')" "nothing was written: the sequence was never advanced"

validate_reports

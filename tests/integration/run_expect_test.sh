#!/usr/bin/env bash
# `runbook run`: every form of `expect` and every operator, holding and not
# holding, against a live PostgreSQL; what a failed check shows (expected and
# actual, on the terminal and in report.md).
source "$(dirname "$0")/run_lib.sh"
require_cluster
require_runbook
fresh_db main

psql_run "CREATE TABLE fruit (id int PRIMARY KEY, name text, qty int, price numeric(6,2));
          INSERT INTO fruit VALUES (1, 'apple', 10, 1.50), (2, 'banana', 20, 0.25), (3, 'cherry', 30, 12.00);" >/dev/null

# operator steps: ID|EXPECT-VALUE — checked against SELECT 5 AS v
OPS_HOLD=(
  'eq|{ eq: 5 }' 'ne|{ ne: 6 }' 'lt|{ lt: 6 }' 'le|{ le: 5 }' 'gt|{ gt: 4 }' 'ge|{ ge: 5 }'
  'between|{ between: [1, 10] }' 'in|{ in: [4, 5] }' 'matches|{ matches: "^5$" }'
  'within|{ within: { of: 5.2, pct: 5 } }'
)
OPS_FAIL=(
  'eq|{ eq: 6 }' 'ne|{ ne: 5 }' 'lt|{ lt: 5 }' 'le|{ le: 4 }' 'gt|{ gt: 5 }' 'ge|{ ge: 6 }'
  'between|{ between: [6, 10] }' 'in|{ in: [1, 2] }' 'matches|{ matches: "^6" }'
  'within|{ within: { of: 10, pct: 10 } }'
)
op_steps() {  # op_steps PREFIX GATE ENTRY...
  local prefix=$1 gate=$2 entry
  shift 2
  for entry in "$@"; do
    printf '  - id: %s-%s\n    query: SELECT 5 AS v\n    expect: { value: %s }\n%s' \
      "$prefix" "${entry%%|*}" "${entry#*|}" "${gate:+    gate: $gate
}"
  done
}

# ---------------------------------------------------------------------------
section "every form holds"

{
  cat <<'EOF'
runbook: holds
preflight:
  - id: rows
    query: SELECT * FROM fruit
    expect: { rows: 3 }
  - id: rows-op
    query: SELECT * FROM fruit
    expect: { rows: { ge: 2, lt: 4, between: [3, 3] } }
  - id: value
    query: SELECT name FROM fruit WHERE id = 1
    expect: { value: apple }
  - id: value-numeric
    query: SELECT price FROM fruit WHERE id = 3
    expect: { value: 12 }
  - id: value-as-number
    query: SELECT 10 AS v
    expect: { value: { gt: 9 } }
  - id: value-boolean
    query: SELECT true AS v
    expect: { value: t }
  - id: table
    query: SELECT id, name FROM fruit ORDER BY id DESC
    expect:
      table: |
        id |  name
        ----+--------
          1 | apple
          2 | banana
          3 | cherry
        (3 rows)
  - id: table-ordered
    query: SELECT id, name FROM fruit ORDER BY id
    expect:
      ordered: true
      table: |
        id | name
        1 | apple
        2 | banana
        3 | cherry
  - id: contains
    query: SELECT id, name FROM fruit
    expect:
      contains: |
        id | name
        ---+-------
        2  | banana
  - id: each
    query: SELECT id, name, qty FROM fruit
    expect: { each: { qty: { ge: 10 }, name: { matches: "^[a-z]+$" } } }
  - id: none
    query: SELECT id, name, qty FROM fruit
    expect: { none: { name: durian, qty: { gt: 30 } } }
  - id: columns
    query: SELECT id, name, qty FROM fruit
    expect: { columns: [id, name, qty] }
  - id: snapshot
    query: SELECT id, name FROM fruit
    capture: before
  - id: same-as
    query: SELECT id, name FROM fruit ORDER BY name DESC
    expect: { same_as: before }
EOF
  op_steps op "" "${OPS_HOLD[@]}"
  cat <<'EOF'
steps:
  - id: affected
    sql: UPDATE fruit SET qty = qty WHERE id <= 2;
    expect: { affected: 2 }
  - id: affected-op
    sql: UPDATE fruit SET qty = qty;
    expect: { affected: { between: [3, 3], ne: 0 } }
  - id: affected-zero
    sql: UPDATE fruit SET qty = qty WHERE false; UPDATE fruit SET qty = qty WHERE id = 0;
    transaction: false
    expect: { affected: 0 }
  - id: affected-autocommit
    sql: UPDATE fruit SET qty = qty WHERE id = 1; UPDATE fruit SET qty = qty WHERE id > 1;
    transaction: false
    expect: { affected: 3 }
postflight:
  - id: unchanged
    query: SELECT id, name FROM fruit
    expect: { same_as: before }
EOF
} | rb_file holds
rb_run 0 "every expectation holds: GO" holds
for id in rows rows-op value value-numeric value-as-number value-boolean table table-ordered \
          contains each none columns same-as affected affected-op affected-zero affected-autocommit \
          unchanged; do
  checks=$(report_checks "$id")
  assert_match "$checks" '^([a-z_]+:true ?)+$' "$id: every check held ($checks)"
done
assert_eq "rows:true rows:true rows:true" "$(report_checks rows-op)" "rows with three operators: three checks"
for entry in "${OPS_HOLD[@]}"; do
  assert_eq "value:true" "$(report_checks "op-${entry%%|*}")" "operator ${entry%%|*} holds: ${entry#*|}"
done
assert_eq "0 3" "$(report_step affected-zero rows_affected) $(report_step affected-autocommit rows_affected)" \
  "autocommit steps: rows affected summed over statements, 0 when none"
assert_eq 0 "$(report_value "r->'counts'->>'checks_failed'")" "report.json: no check failed"
assert_eq GO "$(report_value "r->>'outcome_text'")" "report.json: GO"

# ---------------------------------------------------------------------------
section "every form fails (gate: warn, so that each is evaluated)"

{
  cat <<'EOF'
runbook: fails
preflight:
  - id: snapshot
    query: SELECT id, name FROM fruit WHERE id < 3
    capture: two
  - id: rows
    query: SELECT * FROM fruit
    gate: warn
    expect: { rows: 2 }
  - id: rows-op
    query: SELECT * FROM fruit
    gate: warn
    expect: { rows: { gt: 3 } }
  - id: value
    query: SELECT name FROM fruit WHERE id = 1
    gate: warn
    expect: { value: banana }
  - id: value-shape
    query: SELECT id, name FROM fruit
    gate: warn
    expect: { value: apple }
  - id: table
    query: SELECT id, name FROM fruit ORDER BY id
    gate: warn
    expect:
      table: |
        id | name
        1  | apple
        2  | banana
        3  | kiwi
  - id: table-ordered
    query: SELECT id, name FROM fruit ORDER BY id DESC
    gate: warn
    expect:
      ordered: true
      table: |
        id | name
        1  | apple
        2  | banana
        3  | cherry
  - id: contains
    query: SELECT id, name FROM fruit
    gate: warn
    expect:
      contains: |
        id | name
        4  | durian
  - id: each
    query: SELECT id, name, qty FROM fruit ORDER BY id
    gate: warn
    expect: { each: { qty: { ge: 20 } } }
  - id: none
    query: SELECT id, name, qty FROM fruit ORDER BY id
    gate: warn
    expect: { none: { name: banana } }
  - id: columns
    query: SELECT id, name, qty FROM fruit
    gate: warn
    expect: { columns: [id, qty, name] }
  - id: same-as
    query: SELECT id, name FROM fruit
    gate: warn
    expect: { same_as: two }
EOF
  op_steps op warn "${OPS_FAIL[@]}"
  cat <<'EOF'
steps:
  - id: affected
    sql: UPDATE fruit SET qty = qty WHERE id = 1;
    gate: warn
    expect: { affected: 2 }
  - id: affected-op
    sql: UPDATE fruit SET qty = qty;
    gate: warn
    expect: { affected: { lt: 3 } }
EOF
} | rb_file fails
rb_run 0 "every expectation fails with gate: warn: GO with warnings, exit 0" fails
for id in rows rows-op value value-shape table table-ordered contains each none columns same-as \
          affected affected-op; do
  checks=$(report_checks "$id")
  assert_match "$checks" '^[a-z_]+:false$' "$id: the check did not hold ($checks)"
  assert_eq warned "$(report_step "$id" status)" "$id: warned"
done
for entry in "${OPS_FAIL[@]}"; do
  assert_eq "value:false" "$(report_checks "op-${entry%%|*}")" "operator ${entry%%|*} fails: ${entry#*|}"
done
assert_eq "GO with warnings" "$(report_value "r->>'outcome_text'")" "report.json: GO with warnings"
assert_eq 0 "$(report_value "r->>'exit_code'")" "report.json: exit code 0"
assert_eq 23 "$(report_value "r->'counts'->>'checks_failed'")" "report.json: 23 checks failed"
assert_eq 10 "$(psql_value 'SELECT qty FROM fruit WHERE id = 1')" "the warned steps committed (no change of value, but no error either)"
assert_eq "affected:done affected-op:done" "$(journal_steps fails)" "journal: warned transactional steps are done"

# What the terminal shows for each failure: expected and actual.
out=$(last_output)
for line in \
  "rows: expected 2 rows, got 3 rows" \
  "rows: expected rows > 3, got 3 rows" \
  "value: expected value = banana, got apple" \
  "value: expected value = apple, got 2 columns: id, name" \
  "columns: expected columns: id, qty, name, got columns: id, name, qty" \
  "same_as: expected same result as captures.two (2 rows, columns: id, name), got 3 rows, columns: id, name" \
  "value: expected value = 6, got 5" \
  "value: expected value != 5, got 5" \
  "value: expected value between 6 and 10, got 5" \
  "affected: expected 2 rows affected, got 1 row affected"; do
  assert_contains "$out" "$line" "terminal: $line"
done
# Multi-line checks: expected beside actual, the actual result as a psql table.
assert_match "$out" "table, in any order: +│ row 3 is not in the table: id = 3, name = cherry" \
  "terminal: table (unordered), expected beside actual, the row that differs"
assert_match "$out" "table, in this order: +│ row 1 differs: id = 3, name = cherry" \
  "terminal: table (ordered), the first row out of order"
assert_match "$out" "contains these rows: +│ 1 of 1 row not found:" "terminal: contains, the missing row"
assert_match "$out" "every row has qty >= 20 +│ row 1 fails qty >= 20: id = 1, name = apple, qty = 10" \
  "terminal: each, the first row that fails"
assert_match "$out" "no row has name = banana +│ row 2 matches: id = 2, name = banana, qty = 20" \
  "terminal: none, the row that matches"
assert_match "$out" "3 [|] kiwi +│ +3 [|] cherry" "terminal: the expected table beside the actual one"

md=$(cat "$RB_OUT/report.md")
assert_contains "$md" '**Check `value`** at `fails.yaml:' "report.md: the failed check and where it is"
assert_contains "$md" $'```text\nvalue = banana\n```' "report.md: expected value"
assert_contains "$md" $'```text\napple\n```' "report.md: actual value"
assert_contains "$md" $'  3 | kiwi' "report.md: the expected table"
assert_contains "$md" $'row 3 is not in the table: id = 3, name = cherry' "report.md: what differs"
assert_contains "$md" '<tr><th>expected</th><th>actual</th></tr>' "report.md: expected and actual side by side"

# ---------------------------------------------------------------------------
section "a failed check without gate: warn stops the run"

rb_file stop <<'EOF'
runbook: stop
preflight:
  - id: cherry-price
    query: SELECT price FROM fruit WHERE name = 'cherry'
    expect: { value: { within: { of: 10, pct: 10 } } }
steps:
  - id: never
    sql: CREATE TABLE never_made (id int);
EOF
rb_run 1 "a failing preflight check: NO-GO, exit 1" stop
assert_contains "$(last_output)" "value: expected value within 10% of 10, got 12.00" "terminal: expected and actual"
assert_eq f "$(relation_exists never_made)" "the step did not run"

validate_reports

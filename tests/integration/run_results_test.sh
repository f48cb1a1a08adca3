#!/usr/bin/env bash
# `runbook run`: what a check found is in the artifacts. A failing `rows: 0`
# shows the offending rows (the first ones, psql-aligned) on the terminal and
# in report.md; report.json carries each query step's result (columns and
# first rows, bounded) and every capture, with secret values masked.
source "$(dirname "$0")/run_lib.sh"
require_cluster
require_runbook
fresh_db main

psql_run "CREATE TABLE ingredient (id int PRIMARY KEY, name text, price numeric(6,2));
          INSERT INTO ingredient SELECT g, 'item ' || g, CASE WHEN g % 10 = 0 THEN -1 ELSE g END
          FROM generate_series(1, 200) g;" >/dev/null

rb_file found <<'EOF'
runbook: found
params:
  token: { type: string, secret: true, default: "tok-Zq9" }
preflight:
  - id: counted
    query: SELECT count(*) AS n FROM ingredient
    capture: before
  - id: secret-echo
    query: SELECT {{ params.token }} AS token, 'x' AS other
    capture: echoed
  - id: no-negative-prices
    query: SELECT id, name, price FROM ingredient WHERE price < 0 ORDER BY id
    expect: { rows: 0 }
EOF

# ---------------------------------------------------------------------------
section "a failing rows: 0 shows the rows it found"

rb_run 1 "negative prices: NO-GO" found
out=$(last_output)
assert_contains "$out" "rows: expected 0 rows, got" "the one-line reason"
assert_contains "$out" " id  |   name   | price " "the found rows' header, psql-aligned"
assert_contains "$out" "  10 | item 10  | -1.00" "the first offending row"
assert_contains "$out" " 100 | item 100 | -1.00" "the tenth offending row"
assert_not_contains "$out" "item 110" "no more than ten rows on the terminal"
md=$(cat "$RB_OUT/report.md")
assert_contains "$md" "Rows found:" "report.md has the rows"
assert_contains "$md" "  10 | item 10  | -1.00" "report.md: the first offending row"

# ---------------------------------------------------------------------------
section "report.json: each query's result and the captures, secrets masked"

assert_eq '["id", "name", "price"]' "$(report_value "(SELECT s->'result'->'columns' FROM jsonb_array_elements(r->'steps') s
                                                     WHERE s->>'id' = 'no-negative-prices')")" "the failed check's columns"
assert_eq '["10", "item 10", "-1.00"]' "$(report_value "(SELECT s->'result'->'rows'->0 FROM jsonb_array_elements(r->'steps') s
                                                       WHERE s->>'id' = 'no-negative-prices')")" "its first row as psql prints it"
assert_eq 20 "$(report_value "(SELECT jsonb_array_length(s->'result'->'rows') FROM jsonb_array_elements(r->'steps') s
                                WHERE s->>'id' = 'no-negative-prices')")" "at most 20 rows kept"
assert_eq '[["200"]]' "$(report_value "(SELECT c->'result'->'rows' FROM jsonb_array_elements(r->'captures') c
                                       WHERE c->>'name' = 'before')")" "capture before: its value"
assert_eq counted "$(report_value "(SELECT c->>'step' FROM jsonb_array_elements(r->'captures') c
                                    WHERE c->>'name' = 'before')")" "capture before: the step that made it"
assert_eq '[["********", "x"]]' "$(report_value "(SELECT c->'result'->'rows' FROM jsonb_array_elements(r->'captures') c
                                                WHERE c->>'name' = 'echoed')")" "a secret in a capture is masked"
for f in report.json report.md events.jsonl junit.xml; do
  assert_not_contains "$(cat "$RB_OUT/$f")" "tok-Zq9" "no secret in $f"
done
assert_not_contains "$out" "tok-Zq9" "no secret on the terminal"

validate_reports

#!/usr/bin/env bash
# `runbook run`: values given with --set (and --params) reach the SQL quoted
# by their declared type — hostile identifiers, strings with quotes and
# injection attempts stay one name or one literal.
source "$(dirname "$0")/run_lib.sh"
require_cluster
require_runbook
fresh_db main

psql_run "CREATE TABLE victims (id int, name text); INSERT INTO victims VALUES (1, 'o''brien');" >/dev/null

rb_file quote <<'EOF'
runbook: quote
params:
  table: { type: identifier }
  note: { type: string }
  evil: { type: string }
  target: { type: qualified_name, default: public.victims }
  cols: { type: list, elements: identifier, default: [a, b] }
  names: { type: list, elements: string, default: [x] }
  n: { type: integer, default: 1 }
preflight:
  - id: victim-count
    query: SELECT count(*) AS n FROM {{ params.target }} WHERE name IN ({{ params.names }})
    expect: { value: "{{ params.n }}" }
steps:
  - id: make
    sql: |
      CREATE TABLE {{ params.table }} ({{ params.cols | join(' text, ') }} text, note text, evil text);
      INSERT INTO {{ params.table }} (note, evil) VALUES ({{ params.note }}, {{ params.evil }});
  - id: args
    command: [sh, -c, 'printf "<%s>" "$@"', sh, "{{ params.evil }}", "{{ params.note }}"]
EOF

TABLE='we"ird name'
NOTE="it's"
EVIL="x'); DROP TABLE victims; --"
rb_run 0 "hostile values through --set: GO" quote --set "table=$TABLE" --set "note=$NOTE" \
  --set "evil=$EVIL" --set "names=o'brien,nobody" --set 'cols=a,b c,d"e'
assert_eq 1 "$(psql_value "SELECT count(*) FROM pg_class WHERE relname = 'we\"ird name' AND relkind = 'r'")" \
  "a table named exactly we\"ird name was created"
assert_eq 1 "$(psql_value "SELECT count(*) FROM pg_class WHERE relname = 'victims'")" "victims still exists"
assert_eq "$NOTE|$EVIL" "$(psql_value 'SELECT note || '"'|'"' || evil FROM "we""ird name"')" \
  "the string with a quote and the injection attempt are stored as one literal each"
assert_eq 'a,b c,d"e,note,evil' \
  "$(psql_value "SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid = '\"we\"\"ird name\"'::regclass AND attnum > 0")" \
  "a list of identifiers: each element quoted"
assert_eq "<$EVIL><$NOTE>" "$(report_step args output)" "in a command, each value stays one argument"
assert_eq "done" "$(report_step victim-count status)" "a list of strings with a quote matched o'brien"
assert_eq "$TABLE" "$(psql_value "SELECT params->>'table' FROM runbook.runs")" "journal: the params as given"
assert_eq "$EVIL" "$(report_value "(SELECT p->>'value' FROM jsonb_array_elements(r->'params') p WHERE p->>'name' = 'evil')")" \
  "report.json: the params as given"

rb_file quote2 <<'EOF'
runbook: quote2
params:
  table: { type: identifier }
  target: { type: qualified_name }
steps:
  - id: make
    sql: CREATE TABLE {{ params.table }} (id int);
  - id: count
    query: SELECT count(*) AS n FROM {{ params.target }}
    expect: { value: 1 }
EOF
rb_run 0 "an identifier that tries to close its quotes: GO" quote2 \
  --set 'table=x" (id int); DROP TABLE victims; --' --set target=public.victims
assert_eq 1 "$(psql_value "SELECT count(*) FROM pg_class WHERE relname = 'x\" (id int); DROP TABLE victims; --'")" \
  "the whole value is one table name"
assert_eq 1 "$(psql_value "SELECT count(*) FROM pg_class WHERE relname = 'victims'")" "victims still exists"

sed 's/^runbook: quote2$/runbook: quote2b/' "$TEST_TMP/quote2.yaml" >"$TEST_TMP/quote2b.yaml"
rb_run 2 "a qualified_name is a name, not SQL: a hostile one names no table (exit 2)" quote2b \
  --set table=other --set 'target=public.victims; DROP TABLE victims'
assert_contains "$(last_stderr)" 'relation "public.victims; DROP TABLE victims" does not exist' \
  "the server looked for one relation with that name"
assert_eq 1 "$(psql_value "SELECT count(*) FROM pg_class WHERE relname = 'victims'")" "victims still exists"

rb_file quote3 <<'EOF'
runbook: quote3
params:
  n: { type: integer }
  flag: { type: boolean, default: true }
steps:
  - id: make
    sql: CREATE TABLE numbers AS SELECT {{ params.n }} AS n, {{ params.flag }} AS flag;
EOF
rb_run 5 "an integer param with SQL in it: exit 5" quote3 --set 'n=1; DROP TABLE victims'
rb_run 5 "a boolean param with SQL in it: exit 5" quote3 --set n=1 --set 'flag=true; DROP TABLE victims'
assert_eq "f 1" "$(relation_exists numbers) $(psql_value "SELECT count(*) FROM pg_class WHERE relname = 'victims'")" \
  "nothing ran; victims still exists"

cat >"$TEST_TMP/params.yaml" <<'EOF'
table: "from file"
note: "it's from a file"
evil: "'); DELETE FROM victims; --"
EOF
rb_file quote4 <<'EOF'
runbook: quote4
params:
  table: { type: identifier }
  note: { type: string }
  evil: { type: string }
steps:
  - id: make
    sql: CREATE TABLE {{ params.table }} AS SELECT {{ params.note }}::text AS note, {{ params.evil }}::text AS evil;
EOF
rb_run 0 "hostile values from --params FILE: GO" quote4 --params params.yaml
assert_eq "it's from a file|'); DELETE FROM victims; --" "$(psql_value 'SELECT note || '"'|'"' || evil FROM "from file"')" \
  "the values from the file are literals"
assert_eq 1 "$(psql_value 'SELECT count(*) FROM victims')" "victims still has its row"

validate_reports

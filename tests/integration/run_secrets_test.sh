#!/usr/bin/env bash
# `runbook run`: no password and no `secret: true` param ever appears in
# stdout, stderr, any artifact or the journal — not in error messages, check
# results, command output, nor the connection description — while the
# password still reaches the run's commands (PGPASSWORD), never on their
# command line.
source "$(dirname "$0")/run_lib.sh"
require_cluster
require_runbook
fresh_db main

PASSWORD='S3cr3tPa55wd'
TOKEN='TopSecretToken42'
ROLE=rbt_secret_user
psql_run "SET client_min_messages = warning; DROP ROLE IF EXISTS $ROLE;
          CREATE ROLE $ROLE LOGIN SUPERUSER PASSWORD '$PASSWORD';" >/dev/null
# The role's objects go to the test's own user (kept for inspection if a check failed).
at_exit "psql -XAtq -c 'REASSIGN OWNED BY $ROLE TO CURRENT_USER' -c 'DROP ROLE IF EXISTS $ROLE' >/dev/null 2>&1"
URL="postgresql://$ROLE:$PASSWORD@/$FRESH_DB?host=$PGHOST&port=$PGPORT"

rb_file secret <<'EOF'
runbook: secret
params:
  token: { type: string, secret: true }
  label: { type: string, default: visible-label }
preflight:
  - id: token-shown
    query: SELECT {{ params.token }} AS t
    expect: { value: not-the-token }
    gate: warn
  - id: token-table
    query: SELECT 1 AS n, {{ params.token }} AS t
    expect:
      table: |
        n | t
        2 | x
    gate: warn
steps:
  - id: store
    sql: CREATE TABLE tokens AS SELECT {{ params.token }}::text AS t, {{ params.label }}::text AS label;
    verify:
      query: SELECT t FROM tokens
      expect: { value: wrong }
    gate: warn
  - id: notice
    sql: DO $$ BEGIN RAISE NOTICE 'token is %', (SELECT t FROM tokens); END $$;
  - id: env
    command: [sh, -c, 'echo "password=$PGPASSWORD user=$PGUSER"; tr "\0" " " </proc/$$/cmdline; echo; [ "$PGPASSWORD" = "$EXPECTED" ] && echo PASSWORD-REACHED-THE-COMMAND']
    expect: { stdout_contains: never-there }
    gate: warn
  - id: connect
    command: [psql, -XAtc, "SELECT 'as ' || current_user"]
  - id: echo
    command: [sh, -c, 'echo "$1"; exit 3', sh, "{{ params.token }}"]
    gate: warn
    expect: { exit_code: 0 }
  - id: fail
    sql: SELECT {{ params.token }}::int;
EOF

check_everywhere() {  # the secrets appear nowhere in this run's output, artifacts or journal
  assert_no_secret "$PASSWORD" "$TOKEN"
  local journal
  journal=$(psql_value "SELECT concat_ws(' ', (SELECT string_agg(r::text, ' ') FROM runbook.runs r),
                                             (SELECT string_agg(s::text, ' ') FROM runbook.steps s))" 2>/dev/null)
  assert_not_contains "$journal" "$TOKEN" "the journal does not hold the secret param"
  assert_not_contains "$journal" "$PASSWORD" "the journal does not hold the password"
}

_rb_next_out
assert_exit 2 "a run through a URL with a password, with a secret param: exit 2 at the last step" -- \
  env EXPECTED="$PASSWORD" bash -c 'cd "$1" && shift && exec "$@"' _ "$TEST_TMP" \
  "$RUNBOOK_BIN" run secret.yaml --db "$URL" --set "token=$TOKEN" --out "$RB_OUT"
check_everywhere
assert_contains "$(report_step env output)" "PASSWORD-REACHED-THE-COMMAND" "the password reached the command in PGPASSWORD"
assert_contains "$(report_step env output)" "password=********" "and is masked in its output"
assert_contains "$(report_step env output)" "user=$ROLE" "PGUSER is the URL's user"
assert_not_contains "$(report_step env output)" "postgresql://" "no URL on the command's command line"
assert_contains "$(report_step connect output)" "as $ROLE" "psql in a command connected as the URL's user"
assert_eq "t|visible-label" "$(psql_value "SELECT (t = '$TOKEN')::text::char || '|' || label FROM tokens")" \
  "the secret reached the database as a value"
assert_eq "********" "$(psql_value "SELECT params->>'token' FROM runbook.runs")" "journal: the secret param is masked"
assert_eq "visible-label" "$(psql_value "SELECT params->>'label' FROM runbook.runs")" "journal: other params are kept"
assert_contains "$(last_stderr)" "got ********" "the terminal masks the secret in a check's actual value"
assert_contains "$(last_stderr)" 'invalid input syntax for type integer: "********"' \
  "the terminal masks the secret in a server error"
assert_contains "$(report_value "r->>'database'")" "user=$ROLE" "report.json: the connection described, without its password"
grep_journal=$(psql_value "SELECT error_message FROM runbook.steps WHERE step_id = 'fail'")
assert_eq 'invalid input syntax for type integer: "********"' "$grep_journal" "journal: the error message is masked"

_rb_next_out
assert_exit 2 "the same run with --format json (report.json on stdout): exit 2" -- \
  bash -c 'cd "$1" && shift && exec "$@"' _ "$TEST_TMP" \
  "$RUNBOOK_BIN" run secret.yaml --db "$URL" --set "token=$TOKEN" --out "$RB_OUT" --format json
check_everywhere
assert_contains "$(last_stdout)" '"format": "runbook-report/1"' "--format json: report.json on stdout"
assert_eq "$(cat "$RB_OUT/report.json")" "$(last_stdout)" "--format json: stdout is the report.json artifact"

section "a conninfo string with a password"
rb_file plain <<'EOF'
runbook: plain
steps:
  - id: who
    command: [sh, -c, 'echo "pw=$PGPASSWORD"']
  - id: fail
    sql: SELECT 1 / 0;
EOF
rb_run 2 "key=value conninfo with password: exit 2" plain \
  --db "host=$PGHOST port=$PGPORT dbname=$FRESH_DB user=$ROLE password=$PASSWORD"
assert_no_secret "$PASSWORD"
assert_eq "pw=********" "$(report_step who output)" "the command got the password, masked in its output"

section "a percent-encoded password"
ENCODED='p%40ss%2Fw0rd-Xq'
DECODED='p@ss/w0rd-Xq'
psql_run "ALTER ROLE $ROLE PASSWORD '$DECODED'" >/dev/null
rb_run 2 "URL with a percent-encoded password: exit 2" plain \
  --db "postgresql://$ROLE:$ENCODED@/$FRESH_DB?host=$PGHOST&port=$PGPORT"
assert_no_secret "$ENCODED" "$DECODED"
rb_run 6 "the same URL, wrong database: exit 6" plain \
  --db "postgresql://$ROLE:$ENCODED@/no_such_db?host=$PGHOST&port=$PGPORT"
assert_no_secret "$ENCODED" "$DECODED"

rb_run 6 "a URL whose password is not valid percent-encoding: exit 6" plain \
  --db "postgresql://$ROLE:Bad%zzPa55-Xq@/$FRESH_DB?host=$PGHOST&port=$PGPORT"
assert_contains "$(last_stderr)" 'invalid percent-encoded token: "********"' "libpq's reason, the password masked"
assert_no_secret "Bad%zzPa55-Xq" "Pa55-Xq"

section "a password from PGPASSWORD"
psql_run "ALTER ROLE $ROLE PASSWORD 'FromTheEnv-7Qz'" >/dev/null
sed 's/^runbook: plain$/runbook: plain-env/' "$TEST_TMP/plain.yaml" >"$TEST_TMP/plain-env.yaml"
_rb_next_out
assert_exit 2 "PGPASSWORD in the environment, no password in --db: exit 2" -- \
  env PGPASSWORD=FromTheEnv-7Qz bash -c 'cd "$1" && shift && exec "$@"' _ "$TEST_TMP" \
  "$RUNBOOK_BIN" run plain-env.yaml --db "postgresql://$ROLE@/$FRESH_DB?host=$PGHOST&port=$PGPORT" --out "$RB_OUT"
assert_no_secret "FromTheEnv-7Qz"
assert_eq "pw=********" "$(report_step who output)" "the command's output masks it"

validate_reports

#include "plan/planner.h"

#include "plan/transaction_mode.h"
#include "plan_fixture.h"

#include <doctest/doctest.h>

using namespace runbook;
using namespace runbook::testing;

TEST_SUITE("plan::planner") {
  TEST_CASE("SQL is rendered with typed quoting and its transaction mode decided") {
    auto p = plan_of(R"(runbook: x
params:
  table: { type: identifier, default: "My Table" }
steps:
  - id: a
    sql: ALTER TABLE {{ params.table }} ADD COLUMN c int;
    rollback: ALTER TABLE {{ params.table }} DROP COLUMN c;
  - id: idx
    sql: CREATE INDEX CONCURRENTLY i ON {{ params.table }} (c);
    rollback: DROP INDEX CONCURRENTLY i;
)");
    REQUIRE_MESSAGE(p.plan.has_value(), first_error(p.diags));
    CHECK(p.plan->steps[0].sql.text == "ALTER TABLE \"My Table\" ADD COLUMN c int;");
    CHECK(p.plan->steps[0].tx == plan::TxMode::transaction);
    CHECK(p.plan->steps[1].tx == plan::TxMode::autocommit);
    CHECK(p.plan->steps[1].rollback_tx == plan::TxMode::autocommit);
  }

  TEST_CASE("a command rollback is rendered in the step's scope, checksummed over its argv") {
    auto p = plan_of(R"(runbook: x
params:
  target: { type: string, default: "a b.yaml" }
steps:
  - id: deploy
    command: [runbook, run, "{{ params.target }}"]
    rollback:
      command: [runbook, rollback, "{{ params.target }}"]
      environment: { DATABASE_URL: "postgresql:///{{ params.target }}" }
)");
    REQUIRE_MESSAGE(p.plan.has_value(), first_error(p.diags));
    const plan::PlannedStep& s = p.plan->steps[0];
    REQUIRE(s.rollback_command.has_value());
    CHECK(s.has_rollback());
    CHECK_FALSE(s.rollback.has_value());
    CHECK(s.rollback_command->argv == std::vector<std::string>{"runbook", "rollback", "a b.yaml"});
    CHECK(s.rollback_command->environment[0].second == "postgresql:///a b.yaml");
    CHECK(s.rollback_command->checksum == plan::command_checksum(s.rollback_command->argv));
    CHECK(s.rollback_command->checksum != plan::command_checksum(s.argv));
  }

  TEST_CASE("BEGIN inside a step and transaction: true with CONCURRENTLY are errors") {
    auto p = plan_of(
        "runbook: x\nsteps:\n  - id: a\n    sql: |\n      BEGIN;\n      SELECT 1;\n"
        "    rollback: { irreversible: none }\n");
    CHECK(first_error(p.diags) == "rb/main.yaml:5:7: `BEGIN` inside a step");
    auto q = plan_of(
        "runbook: x\nsteps:\n  - id: a\n    transaction: true\n"
        "    sql: CREATE INDEX CONCURRENTLY i ON t (c)\n    rollback: DROP INDEX i\n");
    CHECK(first_error(q.diags) ==
          "rb/main.yaml:5:10: `CREATE INDEX` cannot run inside a transaction block");
  }

  TEST_CASE("a check must be a plain read") {
    auto p = plan_of(
        "runbook: x\npreflight:\n  - id: a\n    query: DELETE FROM t\n"
        "    expect: { rows: 0 }\n");
    CHECK(first_error(p.diags) ==
          "rb/main.yaml:4:12: a query step must be a plain read, not `DELETE`");
  }

  TEST_CASE("foreach expands with [i] ids and item in scope") {
    auto p = plan_of(R"(runbook: x
params:
  tables: { type: list, elements: identifier, default: [A, b] }
steps:
  - id: count
    foreach: params.tables
    query: SELECT count(*) FROM {{ item }}
    expect: { rows: 1 }
)");
    REQUIRE_MESSAGE(p.plan.has_value(), first_error(p.diags));
    REQUIRE(p.plan->steps.size() == 2);
    CHECK(p.plan->steps[1].id == "count[1]");
    CHECK(p.plan->steps[1].sql.text == "SELECT count(*) FROM \"b\"");
  }

  TEST_CASE("use: expands a template with prefixed ids; errors name both places") {
    MemoryFiles files;
    files.files["rb/templates/drop-col.yaml"] = R"(template: drop-col
params:
  table: identifier
  column: identifier
steps:
  - id: drop
    sql: ALTER TABLE {{ params.table }} DROP COLUMN {{ params.colum }};
    rollback: { irreversible: data is gone }
)";
    auto p = plan_of(R"(runbook: x
steps:
  - id: tidy
    use: drop-col
    with: { table: t, column: c }
)",
                     files);
    CHECK_FALSE(p.plan.has_value());
    auto sorted = p.diags.sorted();
    REQUIRE_FALSE(sorted.empty());
    CHECK(sorted[0].where.file == "rb/templates/drop-col.yaml");
    CHECK(sorted[0].where.line == 7);
    REQUIRE_FALSE(sorted[0].also.empty());
    CHECK(sorted[0].also.back().str() == "rb/main.yaml:4:10");
  }

  TEST_CASE("a template found in a search directory, with ids prefixed") {
    MemoryFiles files;
    files.files["installed/noop.yaml"] =
        "template: noop\nsteps:\n  - id: check\n    query: SELECT 1\n    expect: { rows: 1 }\n";
    auto p = plan_of("runbook: x\npreflight:\n  - id: std\n    use: noop\n", files);
    REQUIRE_MESSAGE(p.plan.has_value(), first_error(p.diags));
    CHECK(p.plan->steps[0].id == "std.check");
  }

  TEST_CASE("captures render as placeholders while planning") {
    auto p = plan_of(R"(runbook: x
steps:
  - id: base
    query: SELECT count(*) AS n FROM t
    capture: before
  - id: use
    sql: INSERT INTO log VALUES ({{ captures.before.value }})
    rollback: DELETE FROM log
)");
    REQUIRE_MESSAGE(p.plan.has_value(), first_error(p.diags));
    CHECK(p.plan->steps[1].sql.deferred);
    CHECK(p.plan->steps[1].sql.text.find("<captures.before.value>") != std::string::npos);
  }

  TEST_CASE("a template may name only the captures of earlier steps") {
    auto p = plan_of(R"(runbook: x
steps:
  - id: early
    sql: INSERT INTO log VALUES ({{ captures.after.n }})
    rollback: DELETE FROM log
  - id: base
    query: SELECT count(*) AS n FROM t
    capture: before
  - id: use
    sql: INSERT INTO log VALUES ({{ captures.before.n }}, {{ captures.befor.n }})
    rollback: DELETE FROM log
  - id: late
    query: SELECT 1 AS n
    capture: after
)");
    CHECK_FALSE(p.plan.has_value());
    REQUIRE(p.diags.all().size() == 2);
    CHECK(p.diags.all()[0].where.line == 4);
    CHECK(p.diags.all()[0].message == "\"captures.after\" is not captured by an earlier step");
    CHECK(p.diags.all()[1].where.line == 10);
    CHECK(p.diags.all()[1].hint == "did you mean \"captures.before\"?");
  }

  TEST_CASE("a place the server points at is found in the runbook, characters not bytes") {
    auto p = plan_of(R"(runbook: x
params:
  table: { type: identifier, default: orders }
steps:
  - id: s
    sql: |
      UPDATE {{ params.table }} SET note = 'déjà vu';
      UPDATE {{ params.table }} SET nope = 1;
    rollback: { irreversible: test }
)");
    REQUIRE_MESSAGE(p.plan.has_value(), first_error(p.diags));
    const plan::RenderedSql& sql = p.plan->steps[0].sql;
    REQUIRE(sql.statements.size() == 2);
    // `UPDATE "orders" SET nope = 1`: PostgreSQL points at character 21,
    // "nope", which the file has on line 8 at column 37 (after the {{ }}).
    REQUIRE(sql.statements[1].text == "UPDATE \"orders\" SET nope = 1");
    Location at = plan::locate_server_position(sql, sql.statements[1], 21);
    CHECK(at.line == 8);
    CHECK(at.column == 37);
    // Character 34 of the first statement, "vu", comes after the two-byte é
    // and à: byte column 52 of line 7.
    Location vu = plan::locate_server_position(sql, sql.statements[0], 34);
    CHECK(vu.line == 7);
    CHECK(vu.column == 52);
    // Position 1 is the statement's first character.
    CHECK(plan::locate_server_position(sql, sql.statements[1], 1).column == 7);
  }

  TEST_CASE("secrets are collected for masking, and a writing step without rollback warns") {
    auto p = plan_of(R"(runbook: x
params:
  pw: { type: string, secret: true }
steps:
  - id: role
    sql: CREATE ROLE app PASSWORD {{ params.pw }}
)",
                     {}, {"pw=s3cr3t-value"});
    REQUIRE_MESSAGE(p.plan.has_value(), first_error(p.diags));
    CHECK(p.plan->secrets == std::vector<std::string>{"s3cr3t-value"});
    CHECK(plan::redact(p.plan->steps[0].sql.text, p.plan->secrets) ==
          "CREATE ROLE app PASSWORD '********'");
    CHECK(p.plan->warnings.all().size() == 1);
  }
}

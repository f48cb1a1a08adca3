#include "lint/lint_kit.h"

using namespace lint_kit;

TEST_SUITE("lint::linter") {
  TEST_CASE("findings come in file order, statement by statement") {
    auto findings = lint_steps({"DROP TABLE b;", "CREATE INDEX i ON t (a);\nDROP INDEX j;"});
    REQUIRE(findings.size() == 3);
    CHECK(findings[0].rule == "drop-table");
    CHECK(findings[0].where.line == 8);
    CHECK(findings[1].rule == "require-concurrent-index");
    CHECK(findings[2].rule == "require-concurrent-index-drop");
    CHECK(findings[2].where.str() == "rb/main.yaml:13:7");
  }

  TEST_CASE("a template's finding points into the template and at the use: line") {
    MemoryFiles files;
    files.files["rb/templates/index.yaml"] = R"(template: index
params:
  table: identifier
steps:
  - id: build
    sql: CREATE INDEX {{ (params.table ~ '_idx') | ident }} ON {{ params.table }} (id);
    rollback: DROP INDEX CONCURRENTLY {{ (params.table ~ '_idx') | ident }};
)";
    auto findings = lint_yaml(R"(runbook: t
session: { lock_timeout: 2s, statement_timeout: 1min }
steps:
  - id: a
    use: index
    with: { table: orders }
  - id: b
    use: index
    with: { table: items }
)",
                              files);
    auto of = with_rule(findings, "require-concurrent-index");
    REQUIRE(of.size() == 2);
    CHECK(of[0].where.str() == "rb/templates/index.yaml:6:10");
    REQUIRE(of[0].used_at.size() == 1);
    CHECK(of[0].used_at[0].line == 5);
    CHECK(of[0].step == "a.build");
    CHECK(of[1].used_at[0].line == 8);
  }

  TEST_CASE("foreach repeats a step: the same finding at the same place is reported once") {
    auto findings = lint_yaml(R"(runbook: t
session: { lock_timeout: 2s, statement_timeout: 1min }
steps:
  - id: drop
    foreach: [a, b]
    sql: DROP TABLE old;
    rollback: { irreversible: test }
)");
    CHECK(with_rule(findings, "drop-table").size() == 1);
  }

  TEST_CASE("a step whose when: is false with these params is not linted") {
    std::string yaml = R"(runbook: t
params:
  archive: { type: boolean, default: false }
session: { lock_timeout: 2s, statement_timeout: 1min }
steps:
  - id: drop
    when: params.archive
    sql: DROP TABLE old;
    rollback: { irreversible: test }
  - id: maybe
    when: { query: "SELECT true" }
    sql: DROP TABLE older;
    rollback: { irreversible: test }
)";
    auto findings = with_rule(lint_yaml(yaml), "drop-table");
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].step == "maybe");  // decided at run time: linted
  }

  TEST_CASE("secret params never show in messages") {
    auto findings = lint_yaml(R"(runbook: t
params:
  token: { type: string, secret: true, default: s3cr3t-token }
steps:
  - id: s
    sql: UPDATE accounts SET token = {{ params.token }};
    rollback: { irreversible: test }
)");
    Finding f = only(findings, "dml-without-where");
    CHECK(f.message.find("s3cr3t") == std::string::npos);
  }

  TEST_CASE("checks and commands are not linted as statements") {
    auto findings = lint_yaml(R"(runbook: t
preflight:
  - id: q
    query: SELECT count(*) FROM t
    expect: { rows: 1 }
steps:
  - id: c
    command: [psql, -c, "DROP TABLE t"]
)");
    CHECK(findings.empty());
  }

  TEST_CASE("a clean runbook has no findings") {
    auto findings = lint_yaml(R"(runbook: t
session: { lock_timeout: 2s, statement_timeout: 5min }
steps:
  - id: add
    sql: ALTER TABLE c ADD CONSTRAINT c_p_fk FOREIGN KEY (p_id) REFERENCES p (id) NOT VALID;
    rollback: ALTER TABLE c DROP CONSTRAINT IF EXISTS c_p_fk;
  - id: validate
    sql: ALTER TABLE c VALIDATE CONSTRAINT c_p_fk;
    rollback: { irreversible: validating changes nothing }
  - id: index
    sql: CREATE INDEX CONCURRENTLY c_p_idx ON c (p_id);
    rollback: DROP INDEX CONCURRENTLY IF EXISTS c_p_idx;
)");
    CHECK(findings.empty());
  }
}

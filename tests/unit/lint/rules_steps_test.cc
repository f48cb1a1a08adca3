#include "lint/lint_kit.h"

using namespace lint_kit;

namespace {

std::vector<Finding> step_with_rollback(const std::string& sql, const std::string& rollback) {
  return lint_yaml(
      "runbook: t\nsession: { lock_timeout: 2s, statement_timeout: 1min }\n"
      "steps:\n  - id: s\n    sql: |\n" +
      runbook::indent(sql, 6) + "\n    rollback: |\n" + runbook::indent(rollback, 6) + "\n");
}

}  // namespace

TEST_SUITE("lint::rules_steps") {
  TEST_CASE("missing-rollback") {
    Finding f = only(lint_yaml("runbook: t\nsteps:\n  - id: add\n"
                               "    sql: ALTER TABLE t ADD COLUMN c int;\n"),
                     "missing-rollback");
    CHECK(f.message == "step \"add\" writes and declares no rollback");
    CHECK(f.where.str() == "rb/main.yaml:3:5");
    CHECK_FALSE(fired(lint_sql("ALTER TABLE t ADD COLUMN c int;"), "missing-rollback"));
    CHECK_FALSE(fired(lint_yaml("runbook: t\nsteps:\n  - id: look\n    sql: SELECT 1;\n"),
                      "missing-rollback"));
    CHECK_FALSE(fired(lint_yaml("runbook: t\nsteps:\n  - id: c\n    command: [true]\n"),
                      "missing-rollback"));
  }

  TEST_CASE("rollback-mismatch: an index dropped under another name") {
    Finding f = only(step_with_rollback("CREATE INDEX CONCURRENTLY orders_placed_idx ON orders "
                                        "(placed_at);",
                                        "DROP INDEX CONCURRENTLY IF EXISTS orders_paid_idx;"),
                     "rollback-mismatch");
    CHECK(f.message ==
          "the step creates index orders_placed_idx but its rollback does not drop it");
    CHECK(f.where.str() == "rb/main.yaml:7:15");  // the rollback
    CHECK_FALSE(fired(step_with_rollback("CREATE INDEX CONCURRENTLY i ON s.orders (placed_at);",
                                         "DROP INDEX CONCURRENTLY IF EXISTS s.i;"),
                      "rollback-mismatch"));
  }

  TEST_CASE("rollback-mismatch: constraints on the wrong table or with another name") {
    std::string add =
        "ALTER TABLE c ADD CONSTRAINT c_p_fk FOREIGN KEY (p_id) REFERENCES p (id) "
        "NOT VALID;";
    CHECK(
        only(step_with_rollback(add, "ALTER TABLE p DROP CONSTRAINT c_p_fk;"), "rollback-mismatch")
            .message ==
        "the step adds constraint c_p_fk to c but its rollback does not drop it (it drops c_p_fk "
        "of p)");
    CHECK(fired(step_with_rollback(add, "ALTER TABLE c DROP CONSTRAINT c_q_fk;"),
                "rollback-mismatch"));
    CHECK_FALSE(fired(step_with_rollback(add, "ALTER TABLE c DROP CONSTRAINT IF EXISTS c_p_fk;"),
                      "rollback-mismatch"));
  }

  TEST_CASE("rollback-mismatch: tables, columns and renames") {
    CHECK(fired(step_with_rollback("CREATE TABLE audit (id bigint);", "DROP TABLE audit_old;"),
                "rollback-mismatch"));
    CHECK_FALSE(fired(step_with_rollback("CREATE TABLE audit (id bigint);\n"
                                         "CREATE INDEX audit_id ON audit (id);",
                                         "DROP TABLE audit;"),
                      "rollback-mismatch"));
    CHECK(
        fired(step_with_rollback("ALTER TABLE t ADD COLUMN c int;", "ALTER TABLE t DROP COLUMN d;"),
              "rollback-mismatch"));
    CHECK_FALSE(
        fired(step_with_rollback("ALTER TABLE t ADD COLUMN c int;", "ALTER TABLE t DROP COLUMN c;"),
              "rollback-mismatch"));
    CHECK(fired(step_with_rollback("ALTER TABLE t RENAME COLUMN a TO b;",
                                   "ALTER TABLE t RENAME COLUMN a TO b;"),
                "rollback-mismatch"));
    CHECK_FALSE(fired(step_with_rollback("ALTER TABLE t RENAME COLUMN a TO b;",
                                         "ALTER TABLE t RENAME COLUMN b TO a;"),
                      "rollback-mismatch"));
    CHECK_FALSE(
        fired(step_with_rollback("ALTER TABLE t RENAME TO u;", "ALTER TABLE u RENAME TO t;"),
              "rollback-mismatch"));
  }

  TEST_CASE("rollback-mismatch: a rollback that only reads") {
    CHECK(only(step_with_rollback("DELETE FROM t WHERE id = 1;", "SELECT 1;"), "rollback-mismatch")
              .message == "the step writes but its rollback only reads: it undoes nothing");
    CHECK_FALSE(fired(step_with_rollback("DELETE FROM t WHERE id = 1;",
                                         "INSERT INTO t SELECT * FROM t_backup WHERE id = 1;"),
                      "rollback-mismatch"));
  }

  TEST_CASE("rollback-mismatch: an empty rollback (an optional undo left out) is not compared") {
    auto findings = lint_yaml(R"(runbook: t
params:
  undo: { type: sql, default: "" }
session: { lock_timeout: 2s, statement_timeout: 1min }
steps:
  - id: s
    when: params.undo
    sql: UPDATE t SET a = 1 WHERE id = 2;
    rollback: "{{ params.undo }}"
)");
    CHECK_FALSE(fired(findings, "rollback-mismatch"));
  }

  TEST_CASE("deferred-sql") {
    std::string yaml = R"(runbook: t
preflight:
  - id: n
    query: SELECT 1 AS n
    capture: n
steps:
  - id: s
    sql: UPDATE t SET n = {{ captures.n.value }} WHERE id = 1;
    rollback: { irreversible: test }
)";
    CHECK(only(lint_yaml(yaml), "deferred-sql").severity == runbook::lint::Severity::info);
    CHECK_FALSE(fired(lint_sql("UPDATE t SET n = 1 WHERE id = 1;"), "deferred-sql"));
  }
}

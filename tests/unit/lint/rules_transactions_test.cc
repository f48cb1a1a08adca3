#include "lint/lint_kit.h"

using namespace lint_kit;

namespace {

const std::string kNoSession;

std::vector<Finding> lint_bare(const std::string& sql, const std::string& options = "") {
  return lint_steps({sql}, options, kNoSession);
}

}  // namespace

TEST_SUITE("lint::rules_transactions") {
  TEST_CASE("missing-lock-timeout: a blocking lock with no timeout anywhere") {
    Finding f = only(lint_bare("ALTER TABLE t ADD COLUMN c int;"), "missing-lock-timeout");
    CHECK(f.message ==
          "`ALTER TABLE t ADD COLUMN c int`: takes ACCESS EXCLUSIVE on t (blocks reads and "
          "writes) with no lock_timeout: while it waits for the lock, every later query on the "
          "table queues behind it");
    CHECK(f.where.str() == "rb/main.yaml:5:7");
    // Once per step, at the first statement that needs it.
    CHECK(with_rule(lint_bare("ALTER TABLE t ADD COLUMN c int;\nALTER TABLE u ADD COLUMN d int;"),
                    "missing-lock-timeout")
              .size() == 1);
  }

  TEST_CASE("missing-lock-timeout: session, step or an earlier SET") {
    CHECK_FALSE(fired(lint_sql("ALTER TABLE t ADD COLUMN c int;"), "missing-lock-timeout"));
    CHECK_FALSE(fired(lint_bare("ALTER TABLE t ADD COLUMN c int;", "    lock_timeout: 2s\n"),
                      "missing-lock-timeout"));
    CHECK_FALSE(fired(lint_bare("SET lock_timeout = '2s';\nALTER TABLE t ADD COLUMN c int;"),
                      "missing-lock-timeout"));
    CHECK_FALSE(fired(lint_bare("SET LOCAL lock_timeout = '2s';\nALTER TABLE t ADD COLUMN c int;"),
                      "missing-lock-timeout"));
    // Zero is no timeout; SET LOCAL outside a transaction does nothing.
    CHECK(fired(lint_bare("SET lock_timeout = 0;\nALTER TABLE t ADD COLUMN c int;"),
                "missing-lock-timeout"));
    CHECK(
        fired(lint_bare("SET LOCAL lock_timeout = '2s';\nVACUUM FULL t;"), "missing-lock-timeout"));
    CHECK(
        fired(lint_steps({"ALTER TABLE t ADD COLUMN c int;"}, "", "session:\n  lock_timeout: 0\n"),
              "missing-lock-timeout"));
  }

  TEST_CASE("missing-lock-timeout: locks that block no one, and new tables") {
    CHECK_FALSE(fired(lint_bare("UPDATE t SET a = 1 WHERE id = 2;"), "missing-lock-timeout"));
    CHECK_FALSE(fired(lint_bare("CREATE INDEX CONCURRENTLY i ON t (a);"), "missing-lock-timeout"));
    CHECK_FALSE(fired(lint_bare("ALTER TABLE t VALIDATE CONSTRAINT c;"), "missing-lock-timeout"));
    CHECK_FALSE(fired(lint_bare("CREATE TABLE n (a int);\nALTER TABLE n ADD COLUMN b int;"),
                      "missing-lock-timeout"));
    // ... but a new table's foreign key locks the referenced one.
    CHECK(fired(lint_bare("CREATE TABLE n (p_id int REFERENCES p (id));"), "missing-lock-timeout"));
  }

  TEST_CASE("missing-lock-timeout: a step's timeout does not cover its rollback") {
    std::string yaml =
        "runbook: t\nsteps:\n  - id: s\n    sql: CREATE INDEX CONCURRENTLY i ON t (a);\n"
        "    lock_timeout: 2s\n    rollback: DROP INDEX i;\n";
    Finding f = only(lint_yaml(yaml), "missing-lock-timeout");
    CHECK(f.in_rollback);
    CHECK(f.message.starts_with("rollback `DROP INDEX i`: takes ACCESS EXCLUSIVE"));
  }

  TEST_CASE("missing-statement-timeout") {
    CHECK(
        only(lint_steps({"ALTER TABLE t ADD COLUMN c int;"}, "", "session:\n  lock_timeout: 2s\n"),
             "missing-statement-timeout")
            .severity == runbook::lint::Severity::info);
    CHECK_FALSE(fired(lint_sql("ALTER TABLE t ADD COLUMN c int;"), "missing-statement-timeout"));
    CHECK_FALSE(fired(lint_steps({"ALTER TABLE t ADD COLUMN c int;"},
                                 "    statement_timeout: 10s\n", "session:\n  lock_timeout: 2s\n"),
                      "missing-statement-timeout"));
  }

  TEST_CASE("statements-after-access-exclusive") {
    Finding f = only(lint_sql("ALTER TABLE t ADD COLUMN flag bool;\n"
                              "UPDATE t SET flag = false WHERE flag IS NULL;"),
                     "statements-after-access-exclusive");
    CHECK(f.where.line == 9);
    CHECK(fired(lint_sql("ALTER TABLE t ADD COLUMN c int;\nCREATE INDEX i ON u (c);"),
                "statements-after-access-exclusive"));
    // Instant statements after it, or a separate transaction, are fine.
    CHECK_FALSE(fired(lint_sql("ALTER TABLE t ADD COLUMN c int;\nCOMMENT ON COLUMN t.c IS 'x';"),
                      "statements-after-access-exclusive"));
    CHECK_FALSE(fired(lint_steps({"ALTER TABLE t ADD COLUMN flag bool;",
                                  "UPDATE t SET flag = false WHERE flag IS NULL;"}),
                      "statements-after-access-exclusive"));
  }

  TEST_CASE("multiple-alters-same-table") {
    CHECK(with_rule(lint_sql("ALTER TABLE t ADD COLUMN a int;\nALTER TABLE t ADD COLUMN b int;\n"
                             "ALTER TABLE t ADD COLUMN c int;"),
                    "multiple-alters-same-table")
              .size() == 1);
    CHECK_FALSE(fired(lint_sql("ALTER TABLE t ADD COLUMN a int, ADD COLUMN b int;"),
                      "multiple-alters-same-table"));
    CHECK_FALSE(fired(lint_sql("ALTER TABLE t ADD COLUMN a int;\nALTER TABLE u ADD COLUMN b int;"),
                      "multiple-alters-same-table"));
    CHECK_FALSE(fired(lint_sql("ALTER TABLE t ADD COLUMN a int;\nALTER TABLE t VALIDATE "
                               "CONSTRAINT c;"),
                      "multiple-alters-same-table"));
  }

  TEST_CASE("opaque-code") {
    CHECK(fired(lint_sql("DO $$ BEGIN EXECUTE 'ALTER TABLE t ADD COLUMN c int'; END $$;"),
                "opaque-code"));
    CHECK(fired(lint_sql("CALL archive_orders(30);"), "opaque-code"));
    CHECK(
        only(lint_sql("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';"), "opaque-code")
            .message.find("the body runs when called") != std::string::npos);
    CHECK_FALSE(fired(lint_sql("SELECT f();"), "opaque-code"));
  }
}

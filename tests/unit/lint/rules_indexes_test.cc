#include "lint/lint_kit.h"

using namespace lint_kit;

TEST_SUITE("lint::rules_indexes") {
  TEST_CASE("require-concurrent-index: CREATE INDEX on an existing table") {
    Finding f = only(lint_sql("CREATE INDEX i ON t (a);"), "require-concurrent-index");
    CHECK(f.severity == runbook::lint::Severity::error);
    CHECK(f.message ==
          "`CREATE INDEX i ON t (a)`: builds the index under SHARE on t: writes to it wait for "
          "the whole build");
    CHECK(f.where.str() == "rb/main.yaml:8:7");
    CHECK(f.step == "s1");
    CHECK(f.hint.find("CONCURRENTLY") != std::string::npos);
  }

  TEST_CASE("require-concurrent-index: not with CONCURRENTLY, ON ONLY, or on a new table") {
    CHECK_FALSE(
        fired(lint_sql("CREATE INDEX CONCURRENTLY i ON t (a);"), "require-concurrent-index"));
    CHECK_FALSE(fired(lint_sql("CREATE INDEX i ON ONLY t (a);"), "require-concurrent-index"));
    CHECK_FALSE(fired(lint_sql("CREATE TABLE t (a int);\nCREATE INDEX i ON t (a);"),
                      "require-concurrent-index"));
    CHECK_FALSE(fired(lint_steps({"CREATE TABLE s.t (a int);", "CREATE INDEX i ON t (a);"}),
                      "require-concurrent-index"));
    CHECK(fired(lint_steps({"CREATE TABLE a.t (a int);", "CREATE INDEX i ON b.t (a);"}),
                "require-concurrent-index"));
  }

  TEST_CASE("require-concurrent-index-drop") {
    CHECK(only(lint_sql("DROP INDEX i;"), "require-concurrent-index-drop").message ==
          "`DROP INDEX i`: takes ACCESS EXCLUSIVE on the table of index i: reads and writes "
          "wait, and queue behind it while it waits");
    CHECK_FALSE(
        fired(lint_sql("DROP INDEX CONCURRENTLY IF EXISTS i;"), "require-concurrent-index-drop"));
    // An index the runbook built on a table it created.
    CHECK_FALSE(
        fired(lint_steps({"CREATE TABLE t (a int);\nCREATE INDEX i ON t (a);", "DROP INDEX i;"}),
              "require-concurrent-index-drop"));
    // ... but on an existing table the drop locks it.
    CHECK(fired(lint_steps({"CREATE INDEX CONCURRENTLY i ON t (a);", "DROP INDEX i;"}),
                "require-concurrent-index-drop"));
  }

  TEST_CASE("require-concurrent-reindex") {
    CHECK(fired(lint_sql("REINDEX INDEX i;"), "require-concurrent-reindex"));
    CHECK(fired(lint_sql("REINDEX TABLE t;"), "require-concurrent-reindex"));
    CHECK_FALSE(fired(lint_sql("REINDEX INDEX CONCURRENTLY i;"), "require-concurrent-reindex"));
    CHECK_FALSE(fired(lint_sql("REINDEX (CONCURRENTLY) TABLE t;"), "require-concurrent-reindex"));
  }

  TEST_CASE("concurrent-index-if-not-exists") {
    CHECK(only(lint_sql("CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);"),
               "concurrent-index-if-not-exists")
              .severity == runbook::lint::Severity::warning);
    CHECK_FALSE(
        fired(lint_sql("CREATE INDEX CONCURRENTLY i ON t (a);"), "concurrent-index-if-not-exists"));
  }

  TEST_CASE("concurrent-index-if-not-exists: not when a leftover is dropped first or verified") {
    CHECK_FALSE(fired(lint_steps({"DROP INDEX CONCURRENTLY IF EXISTS s.i;",
                                  "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON s.t (a);"}),
                      "concurrent-index-if-not-exists"));
    std::string verify =
        "    verify:\n      query: SELECT x.indisvalid FROM pg_index x JOIN pg_class c ON "
        "c.oid = x.indexrelid WHERE c.relname = 'i'\n      expect: { value: t }\n";
    CHECK_FALSE(fired(lint_sql("CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);", verify),
                      "concurrent-index-if-not-exists"));
    CHECK(fired(lint_steps({"DROP INDEX CONCURRENTLY IF EXISTS other;",
                            "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);"}),
                "concurrent-index-if-not-exists"));
  }

  TEST_CASE("require-concurrent-detach") {
    CHECK(fired(lint_sql("ALTER TABLE p DETACH PARTITION p1;"), "require-concurrent-detach"));
    CHECK_FALSE(fired(lint_sql("ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY;"),
                      "require-concurrent-detach"));
  }

  TEST_CASE("refresh-materialized-view") {
    CHECK(fired(lint_sql("REFRESH MATERIALIZED VIEW mv;"), "refresh-materialized-view"));
    CHECK_FALSE(
        fired(lint_sql("REFRESH MATERIALIZED VIEW CONCURRENTLY mv;"), "refresh-materialized-view"));
    CHECK_FALSE(fired(lint_sql("CREATE MATERIALIZED VIEW mv AS SELECT 1 AS x;\n"
                               "REFRESH MATERIALIZED VIEW mv;"),
                      "refresh-materialized-view"));
  }
}

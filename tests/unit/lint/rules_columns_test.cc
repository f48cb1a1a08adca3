#include "lint/lint_kit.h"

using namespace lint_kit;
using runbook::lint::Severity;

TEST_SUITE("lint::rules_columns") {
  TEST_CASE("set-not-null-without-check") {
    Finding f =
        only(lint_sql("ALTER TABLE t ALTER COLUMN n SET NOT NULL;"), "set-not-null-without-check");
    CHECK(f.message.find("reads every row of t under ACCESS EXCLUSIVE") != std::string::npos);
    CHECK(f.message.find("only the catalog knows") != std::string::npos);
  }

  TEST_CASE("set-not-null-without-check: the CHECK NOT VALID, VALIDATE recipe passes") {
    CHECK_FALSE(fired(lint_steps({"ALTER TABLE t ADD CONSTRAINT n_nn CHECK (n IS NOT NULL) NOT "
                                  "VALID;",
                                  "ALTER TABLE t VALIDATE CONSTRAINT n_nn;",
                                  "ALTER TABLE t ALTER COLUMN n SET NOT NULL;"}),
                      "set-not-null-without-check"));
    // Not validated yet: SET NOT NULL still scans.
    CHECK(fired(lint_steps({"ALTER TABLE t ADD CONSTRAINT n_nn CHECK (n IS NOT NULL) NOT VALID;",
                            "ALTER TABLE t ALTER COLUMN n SET NOT NULL;"}),
                "set-not-null-without-check"));
    // A check of another column proves nothing about this one.
    CHECK(fired(lint_steps({"ALTER TABLE t ADD CONSTRAINT m_nn CHECK (m IS NOT NULL) NOT VALID;",
                            "ALTER TABLE t VALIDATE CONSTRAINT m_nn;",
                            "ALTER TABLE t ALTER COLUMN n SET NOT NULL;"}),
                "set-not-null-without-check"));
    CHECK_FALSE(
        fired(lint_sql("CREATE TABLE t (n int);\nALTER TABLE t ALTER COLUMN n SET NOT NULL;"),
              "set-not-null-without-check"));
  }

  TEST_CASE("column-type-change: certain, likely and possibly free rewrites") {
    CHECK(only(lint_sql("ALTER TABLE t ALTER COLUMN n TYPE bigint;"), "column-type-change")
              .severity == Severity::error);
    Finding using_expr = only(lint_sql("ALTER TABLE t ALTER COLUMN n TYPE bigint USING n + 1;"),
                              "column-type-change");
    CHECK(using_expr.message.find("USING computes a new value for every row") != std::string::npos);
    Finding widen =
        only(lint_sql("ALTER TABLE t ALTER COLUMN s TYPE varchar(100);"), "column-type-change");
    CHECK(widen.severity == Severity::info);
    CHECK(widen.message.find("depends on the current type") != std::string::npos);
    CHECK(
        only(lint_sql("ALTER TABLE t ALTER COLUMN s TYPE text;"), "column-type-change").severity ==
        Severity::info);
    CHECK_FALSE(
        fired(lint_sql("CREATE TABLE t (n int);\nALTER TABLE t ALTER COLUMN n TYPE bigint;"),
              "column-type-change"));
    CHECK_FALSE(
        fired(lint_sql("ALTER TABLE t ALTER COLUMN n SET DEFAULT 0;"), "column-type-change"));
  }

  TEST_CASE("volatile-default") {
    Finding f = only(lint_sql("ALTER TABLE t ADD COLUMN u uuid DEFAULT gen_random_uuid();"),
                     "volatile-default");
    CHECK(f.severity == Severity::error);
    CHECK(f.message.find("gen_random_uuid() is volatile") != std::string::npos);
    CHECK(only(lint_sql("ALTER TABLE t ADD COLUMN x int DEFAULT my_func();"), "volatile-default")
              .severity == Severity::warning);
    CHECK_FALSE(fired(lint_sql("ALTER TABLE t ADD COLUMN x int DEFAULT 0;"), "volatile-default"));
    CHECK_FALSE(fired(lint_sql("ALTER TABLE t ADD COLUMN at timestamptz DEFAULT now();"),
                      "volatile-default"));
  }

  TEST_CASE("rewrite-column") {
    CHECK(fired(lint_sql("ALTER TABLE t ADD COLUMN id bigserial;"), "rewrite-column"));
    CHECK(fired(lint_sql("ALTER TABLE t ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;"),
                "rewrite-column"));
    CHECK(fired(lint_sql("ALTER TABLE t ADD COLUMN g int GENERATED ALWAYS AS (a + 1) STORED;"),
                "rewrite-column"));
    CHECK_FALSE(fired(lint_sql("ALTER TABLE t ADD COLUMN id bigint;"), "rewrite-column"));
    CHECK_FALSE(fired(lint_sql("CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN id bigserial;"),
                      "rewrite-column"));
  }

  TEST_CASE("required-column-without-default") {
    CHECK(fired(lint_sql("ALTER TABLE t ADD COLUMN n int NOT NULL;"),
                "required-column-without-default"));
    CHECK_FALSE(fired(lint_sql("ALTER TABLE t ADD COLUMN n int NOT NULL DEFAULT 0;"),
                      "required-column-without-default"));
    CHECK_FALSE(
        fired(lint_sql("ALTER TABLE t ADD COLUMN n int;"), "required-column-without-default"));
    CHECK_FALSE(fired(lint_sql("ALTER TABLE t ADD COLUMN id bigint NOT NULL GENERATED ALWAYS AS "
                               "IDENTITY;"),
                      "required-column-without-default"));
  }

  TEST_CASE("drop-column") {
    CHECK(only(lint_sql("ALTER TABLE t DROP COLUMN legacy;"), "drop-column").message ==
          "`ALTER TABLE t DROP COLUMN legacy`: drops column legacy of t: code still reading it "
          "breaks, and if it carries a foreign key the referenced table is locked ACCESS "
          "EXCLUSIVE too");
    // The runbook added it: dropping it (a rollback, say) breaks no one.
    CHECK_FALSE(
        fired(lint_steps({"ALTER TABLE t ADD COLUMN x int;", "ALTER TABLE t DROP COLUMN x;"}),
              "drop-column"));
  }

  TEST_CASE("rename-column") {
    CHECK(fired(lint_sql("ALTER TABLE t RENAME COLUMN a TO b;"), "rename-column"));
    CHECK_FALSE(fired(lint_sql("ALTER TABLE t RENAME TO u;"), "rename-column"));
    CHECK_FALSE(fired(
        lint_steps({"ALTER TABLE t ADD COLUMN a int;", "ALTER TABLE t RENAME COLUMN a TO b;"}),
        "rename-column"));
  }
}

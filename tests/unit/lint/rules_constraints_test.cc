#include "lint/lint_kit.h"

using namespace lint_kit;
using runbook::lint::Severity;

TEST_SUITE("lint::rules_constraints") {
  TEST_CASE("foreign-key-not-valid: ADD CONSTRAINT ... FOREIGN KEY") {
    Finding f = only(lint_sql("ALTER TABLE c ADD CONSTRAINT c_p_fk FOREIGN KEY (p_id) "
                              "REFERENCES p (id);"),
                     "foreign-key-not-valid");
    CHECK(f.message.find("checks every row of c against p under SHARE ROW EXCLUSIVE on both") !=
          std::string::npos);
    CHECK_FALSE(fired(lint_sql("ALTER TABLE c ADD CONSTRAINT c_p_fk FOREIGN KEY (p_id) "
                               "REFERENCES p (id) NOT VALID;"),
                      "foreign-key-not-valid"));
    CHECK_FALSE(fired(lint_sql("CREATE TABLE c (id int, p_id int);\n"
                               "ALTER TABLE c ADD FOREIGN KEY (p_id) REFERENCES p (id);"),
                      "foreign-key-not-valid"));
  }

  TEST_CASE("foreign-key-not-valid: ADD COLUMN ... REFERENCES") {
    Finding plain = only(lint_sql("ALTER TABLE c ADD COLUMN p_id int REFERENCES p (id);"),
                         "foreign-key-not-valid");
    CHECK(plain.severity == Severity::warning);  // all NULL: nothing to check
    Finding with_default =
        only(lint_sql("ALTER TABLE c ADD COLUMN p_id int DEFAULT 1 REFERENCES p (id);"),
             "foreign-key-not-valid");
    CHECK(with_default.severity == Severity::error);
    CHECK(with_default.message.find("every row is checked") != std::string::npos);
    CHECK_FALSE(fired(lint_sql("ALTER TABLE c ADD COLUMN p_id int;"), "foreign-key-not-valid"));
  }

  TEST_CASE("check-not-valid") {
    CHECK(fired(lint_sql("ALTER TABLE t ADD CONSTRAINT pos CHECK (n > 0);"), "check-not-valid"));
    CHECK(fired(lint_sql("ALTER TABLE t ADD COLUMN n int CHECK (n > 0);"), "check-not-valid"));
    CHECK_FALSE(fired(lint_sql("ALTER TABLE t ADD CONSTRAINT pos CHECK (n > 0) NOT VALID;"),
                      "check-not-valid"));
    CHECK_FALSE(fired(lint_sql("ALTER TABLE t VALIDATE CONSTRAINT pos;"), "check-not-valid"));
  }

  TEST_CASE("validate-in-same-transaction") {
    Finding f = only(lint_sql("ALTER TABLE t ADD CONSTRAINT pos CHECK (n > 0) NOT VALID;\n"
                              "ALTER TABLE t VALIDATE CONSTRAINT pos;"),
                     "validate-in-same-transaction");
    CHECK(f.where.line == 9);
    CHECK(f.message.find("in the transaction that added it NOT VALID") != std::string::npos);
    CHECK(fired(lint_sql("ALTER TABLE t ADD CONSTRAINT pos CHECK (n > 0) NOT VALID, "
                         "VALIDATE CONSTRAINT pos;"),
                "validate-in-same-transaction"));
    // A strong lock on the table earlier in the transaction also holds the scan back.
    CHECK(fired(lint_sql("ALTER TABLE t ADD COLUMN x int;\nALTER TABLE t VALIDATE CONSTRAINT pos;"),
                "validate-in-same-transaction"));
  }

  TEST_CASE("validate-in-same-transaction: not in separate steps or in autocommit") {
    CHECK_FALSE(fired(lint_steps({"ALTER TABLE t ADD CONSTRAINT pos CHECK (n > 0) NOT VALID;",
                                  "ALTER TABLE t VALIDATE CONSTRAINT pos;"}),
                      "validate-in-same-transaction"));
    CHECK_FALSE(fired(lint_sql("ALTER TABLE t ADD CONSTRAINT pos CHECK (n > 0) NOT VALID;\n"
                               "ALTER TABLE t VALIDATE CONSTRAINT pos;",
                               "    transaction: false\n"),
                      "validate-in-same-transaction"));
    CHECK_FALSE(fired(lint_sql("ALTER TABLE u ADD CONSTRAINT pos CHECK (n > 0) NOT VALID;\n"
                               "ALTER TABLE t VALIDATE CONSTRAINT pos;"),
                      "validate-in-same-transaction"));
  }

  TEST_CASE("unique-without-index") {
    CHECK(fired(lint_sql("ALTER TABLE t ADD CONSTRAINT u UNIQUE (a);"), "unique-without-index"));
    CHECK(fired(lint_sql("ALTER TABLE t ADD COLUMN a int UNIQUE;"), "unique-without-index"));
    CHECK_FALSE(fired(lint_sql("ALTER TABLE t ADD CONSTRAINT u UNIQUE USING INDEX u_idx;"),
                      "unique-without-index"));
    CHECK_FALSE(fired(lint_sql("CREATE TABLE t (a int);\nALTER TABLE t ADD UNIQUE (a);"),
                      "unique-without-index"));
  }

  TEST_CASE("primary-key-without-index") {
    CHECK(fired(lint_sql("ALTER TABLE t ADD PRIMARY KEY (id);"), "primary-key-without-index"));
    CHECK(fired(lint_sql("ALTER TABLE t ADD COLUMN id bigint PRIMARY KEY;"),
                "primary-key-without-index"));
    CHECK_FALSE(fired(lint_sql("ALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY USING INDEX i;"),
                      "primary-key-without-index"));
  }

  TEST_CASE("exclusion-constraint") {
    CHECK(fired(lint_sql("ALTER TABLE r ADD CONSTRAINT no_overlap EXCLUDE USING gist "
                         "(room WITH =, during WITH &&);"),
                "exclusion-constraint"));
    CHECK_FALSE(fired(lint_sql("ALTER TABLE r ADD CONSTRAINT u UNIQUE USING INDEX i;"),
                      "exclusion-constraint"));
  }

  TEST_CASE("mixed-lock-alter") {
    Finding f = only(lint_sql("ALTER TABLE t VALIDATE CONSTRAINT c, ALTER COLUMN n SET NOT NULL;"),
                     "mixed-lock-alter");
    CHECK(f.message.find("VALIDATE CONSTRAINT c reads every row under ACCESS EXCLUSIVE on t") !=
          std::string::npos);
    CHECK_FALSE(fired(lint_sql("ALTER TABLE t VALIDATE CONSTRAINT c;"), "mixed-lock-alter"));
    CHECK_FALSE(fired(lint_sql("ALTER TABLE t VALIDATE CONSTRAINT c, ALTER COLUMN n SET "
                               "STATISTICS 100;"),
                      "mixed-lock-alter"));
  }

  TEST_CASE("domain-constraint") {
    CHECK(
        only(lint_sql("ALTER DOMAIN d ADD CONSTRAINT pos CHECK (VALUE > 0);"), "domain-constraint")
            .severity == Severity::warning);
    CHECK(
        only(lint_sql("CREATE DOMAIN d AS int CHECK (VALUE > 0);"), "domain-constraint").severity ==
        Severity::info);
    CHECK_FALSE(fired(lint_sql("ALTER DOMAIN d ADD CONSTRAINT pos CHECK (VALUE > 0) NOT VALID;"),
                      "domain-constraint"));
    CHECK_FALSE(fired(lint_sql("CREATE DOMAIN d AS int;"), "domain-constraint"));
  }
}

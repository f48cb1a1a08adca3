#include "lint/lint_kit.h"

using namespace lint_kit;

TEST_SUITE("lint::rules_types") {
  TEST_CASE("prefer-jsonb: new tables, added columns and type changes") {
    CHECK(fired(lint_sql("CREATE TABLE e (id bigint, body json);"), "prefer-jsonb"));
    CHECK(fired(lint_sql("ALTER TABLE e ADD COLUMN body json;"), "prefer-jsonb"));
    CHECK(only(lint_sql("ALTER TABLE e ALTER COLUMN body TYPE json;"), "prefer-jsonb").message ==
          "`ALTER TABLE e ALTER COLUMN body TYPE json`: column body of type json: json has no "
          "equality operator (DISTINCT, GROUP BY and UNION fail on it) and is parsed again on "
          "every access");
    CHECK_FALSE(fired(lint_sql("ALTER TABLE e ADD COLUMN body jsonb;"), "prefer-jsonb"));
  }

  TEST_CASE("prefer-bigint-primary-key") {
    CHECK(fired(lint_sql("CREATE TABLE a (id int PRIMARY KEY);"), "prefer-bigint-primary-key"));
    CHECK(fired(lint_sql("CREATE TABLE a (id serial, PRIMARY KEY (id));"),
                "prefer-bigint-primary-key"));
    CHECK(fired(lint_sql("CREATE TABLE a (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY);"),
                "prefer-bigint-primary-key"));
    CHECK_FALSE(fired(lint_sql("CREATE TABLE a (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY "
                               "KEY, n int);"),
                      "prefer-bigint-primary-key"));
    CHECK_FALSE(fired(lint_sql("CREATE TABLE a (id bigserial PRIMARY KEY, n int);"),
                      "prefer-bigint-primary-key"));
  }

  TEST_CASE("prefer-timestamptz") {
    CHECK(fired(lint_sql("ALTER TABLE a ADD COLUMN at timestamp;"), "prefer-timestamptz"));
    CHECK(
        fired(lint_sql("CREATE TABLE a (at timestamp without time zone);"), "prefer-timestamptz"));
    CHECK_FALSE(fired(lint_sql("ALTER TABLE a ADD COLUMN at timestamptz;"), "prefer-timestamptz"));
    CHECK_FALSE(fired(lint_sql("ALTER TABLE a ADD COLUMN at timestamp with time zone;"),
                      "prefer-timestamptz"));
  }

  TEST_CASE("prefer-text") {
    CHECK(only(lint_sql("ALTER TABLE a ADD COLUMN name varchar(50);"), "prefer-text").severity ==
          runbook::lint::Severity::info);
    CHECK_FALSE(fired(lint_sql("ALTER TABLE a ADD COLUMN name text;"), "prefer-text"));
    CHECK_FALSE(fired(lint_sql("ALTER TABLE a ADD COLUMN name varchar;"), "prefer-text"));
  }

  TEST_CASE("enum-value-used-in-transaction") {
    Finding f = only(lint_sql("ALTER TYPE status ADD VALUE 'archived';\n"
                              "UPDATE orders SET status = 'archived' WHERE id = 1;"),
                     "enum-value-used-in-transaction");
    CHECK(f.where.line == 9);
    CHECK(fired(lint_sql("ALTER TYPE status ADD VALUE 'archived';\n"
                         "INSERT INTO orders (status) VALUES ('archived'::status);"),
                "enum-value-used-in-transaction"));
  }

  TEST_CASE("enum-value-used-in-transaction: other types, later steps and autocommit pass") {
    CHECK_FALSE(fired(lint_sql("ALTER TYPE status ADD VALUE 'archived';\n"
                               "SELECT 'archived'::other_type;"),
                      "enum-value-used-in-transaction"));
    CHECK_FALSE(fired(lint_steps({"ALTER TYPE status ADD VALUE 'archived';",
                                  "UPDATE orders SET status = 'archived' WHERE id = 1;"}),
                      "enum-value-used-in-transaction"));
    CHECK_FALSE(fired(lint_sql("ALTER TYPE status ADD VALUE 'archived';\n"
                               "UPDATE orders SET status = 'archived' WHERE id = 1;",
                               "    transaction: false\n"),
                      "enum-value-used-in-transaction"));
  }
}

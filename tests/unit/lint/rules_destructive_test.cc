#include "lint/lint_kit.h"

using namespace lint_kit;

TEST_SUITE("lint::rules_destructive") {
  TEST_CASE("drop-table: tables, schemas and databases others use") {
    CHECK(only(lint_sql("DROP TABLE old_orders;"), "drop-table").message ==
          "`DROP TABLE old_orders`: drops table old_orders: its data is gone for good (a rollback "
          "cannot bring it back), and the tables it references by foreign key are locked ACCESS "
          "EXCLUSIVE while it goes");
    CHECK(fired(lint_sql("DROP SCHEMA staging CASCADE;"), "drop-table"));
    CHECK(fired(lint_sql("DROP DATABASE scratch;", "    transaction: false\n"), "drop-table"));
  }

  TEST_CASE("drop-table: not for what the runbook created, nor for indexes") {
    CHECK_FALSE(fired(lint_steps({"CREATE TABLE tmp (a int);", "DROP TABLE tmp;"}), "drop-table"));
    CHECK_FALSE(fired(lint_sql("DROP INDEX CONCURRENTLY i;"), "drop-table"));
  }

  TEST_CASE("rename-table") {
    CHECK(fired(lint_sql("ALTER TABLE orders RENAME TO orders_old;"), "rename-table"));
    CHECK(fired(lint_sql("ALTER VIEW v RENAME TO w;"), "rename-table"));
    CHECK_FALSE(fired(lint_sql("ALTER INDEX i RENAME TO j;"), "rename-table"));
    CHECK_FALSE(fired(lint_steps({"CREATE TABLE n (a int);", "ALTER TABLE n RENAME TO m;"}),
                      "rename-table"));
  }

  TEST_CASE("truncate-cascade") {
    CHECK(fired(lint_sql("TRUNCATE customers CASCADE;"), "truncate-cascade"));
    CHECK_FALSE(fired(lint_sql("TRUNCATE customers, orders;"), "truncate-cascade"));
  }

  TEST_CASE("vacuum-full-or-cluster") {
    CHECK(fired(lint_sql("VACUUM FULL orders;"), "vacuum-full-or-cluster"));
    CHECK(fired(lint_sql("VACUUM (FULL, ANALYZE) orders;"), "vacuum-full-or-cluster"));
    CHECK(fired(lint_sql("CLUSTER orders USING orders_pkey;"), "vacuum-full-or-cluster"));
    CHECK_FALSE(fired(lint_sql("VACUUM (ANALYZE) orders;"), "vacuum-full-or-cluster"));
    CHECK_FALSE(fired(lint_sql("VACUUM (FULL false) orders;"), "vacuum-full-or-cluster"));
  }

  TEST_CASE("dml-without-where") {
    CHECK(fired(lint_sql("UPDATE t SET flag = false;"), "dml-without-where"));
    CHECK(only(lint_sql("DELETE FROM t;"), "dml-without-where")
              .message.starts_with("`DELETE FROM t`: deletes every row of t"));
    CHECK_FALSE(fired(lint_sql("UPDATE t SET flag = false WHERE id < 100;"), "dml-without-where"));
    CHECK_FALSE(fired(lint_sql("UPDATE t SET flag = false;", "    batch: { size: 100 }\n"),
                      "dml-without-where"));
    CHECK_FALSE(fired(lint_sql("CREATE TABLE t (flag bool);\nUPDATE t SET flag = false;"),
                      "dml-without-where"));
  }
}

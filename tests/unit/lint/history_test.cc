#include "lint/history.h"

#include <doctest/doctest.h>

using namespace runbook;
using namespace runbook::lint;
using sql::RelationName;

namespace {

// Records every statement of `sql` into `h`.
void record_all(History& h, const std::string& sql) {
  sql::SplitResult parsed = sql::parse_statements(sql);
  REQUIRE_FALSE(parsed.error.has_value());
  for (const sql::Statement& s : parsed.statements) {
    h.record(analyse(s));
  }
}

}  // namespace

TEST_SUITE("lint::History") {
  TEST_CASE("created relations match qualified or not, and follow renames") {
    History h;
    record_all(h,
               "CREATE TABLE app.orders (id int); CREATE INDEX orders_id ON app.orders (id);"
               "ALTER TABLE app.orders RENAME TO purchases");
    CHECK(h.created(RelationName{"app", "orders"}));
    CHECK(h.created(RelationName{"", "orders"}));
    CHECK_FALSE(h.created(RelationName{"other", "orders"}));
    CHECK(h.created(RelationName{"", "purchases"}));
    CHECK(h.created(RelationName{"app", "orders_id"}));
    CHECK(h.table_of_index(RelationName{"", "orders_id"}).sql() == "app.orders");
    CHECK_FALSE(h.created(RelationName{"", "customers"}));
  }

  TEST_CASE("the NOT NULL recipe: CHECK NOT VALID, then VALIDATE proves the column") {
    History h;
    record_all(h, "ALTER TABLE t ADD CONSTRAINT t_a_nn CHECK (a IS NOT NULL) NOT VALID");
    CHECK_FALSE(h.not_null_proven(RelationName{"", "t"}, "a"));
    record_all(h, "ALTER TABLE t VALIDATE CONSTRAINT t_a_nn");
    CHECK(h.not_null_proven(RelationName{"", "t"}, "a"));
    CHECK_FALSE(h.not_null_proven(RelationName{"", "t"}, "b"));
  }

  TEST_CASE("a layer sees its base and leaves it as it was") {
    History base;
    record_all(base,
               "CREATE TABLE t (a int); ALTER TABLE u ADD COLUMN c int;"
               "ALTER TABLE u ADD CONSTRAINT u_c_nn CHECK (c IS NOT NULL) NOT VALID");
    History layer(&base);
    record_all(layer,
               "CREATE TABLE v (b int); DROP INDEX old_idx;"
               "ALTER TABLE u VALIDATE CONSTRAINT u_c_nn");
    CHECK(layer.created(RelationName{"", "t"}));
    CHECK(layer.created(RelationName{"", "v"}));
    CHECK(layer.column_added(RelationName{"", "u"}, "c"));
    CHECK(layer.index_dropped(RelationName{"", "old_idx"}));
    CHECK(layer.not_null_proven(RelationName{"", "u"}, "c"));

    CHECK_FALSE(base.created(RelationName{"", "v"}));
    CHECK_FALSE(base.index_dropped(RelationName{"", "old_idx"}));
    CHECK_FALSE(base.not_null_proven(RelationName{"", "u"}, "c"));
  }
}

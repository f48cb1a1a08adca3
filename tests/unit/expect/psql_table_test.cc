#include "expect/psql_table.h"

#include <doctest/doctest.h>

using runbook::PsqlTable;
using runbook::ResultSet;
using runbook::expect::parse_psql_table;
using runbook::expect::render_psql_table;
using runbook::expect::TableParseError;

namespace {

PsqlTable parse_ok(std::string_view text) {
  TableParseError error;
  std::optional<PsqlTable> table = parse_psql_table(text, &error);
  INFO("parse error at line ", error.line, ": ", error.message);
  REQUIRE(table.has_value());
  return *table;
}

TableParseError parse_error(std::string_view text) {
  TableParseError error;
  CHECK_FALSE(parse_psql_table(text, &error).has_value());
  return error;
}

using Rows = std::vector<std::vector<std::string>>;

}  // namespace

TEST_SUITE("expect::psql_table") {
  TEST_CASE("parses the seed's constraint table") {
    // seeds/001, Migration 1 "Expected Output".
    PsqlTable t = parse_ok(
        "conname                              | contype | convalidated\n"
        "-------------------------------------+---------+-------------\n"
        "RecipeItem_recipeId_ingredientId_key | u       | t\n"
        "RecipeSection_recipeId_order_key     | u       | t\n");
    CHECK(t.columns == std::vector<std::string>{"conname", "contype", "convalidated"});
    CHECK(t.rows == Rows{{"RecipeItem_recipeId_ingredientId_key", "u", "t"},
                         {"RecipeSection_recipeId_order_key", "u", "t"}});
    CHECK_FALSE(t.footer_rows.has_value());
  }

  TEST_CASE("parses the seed's misaligned check-constraint table") {
    // seeds/001, Migration 3: the second row is not aligned with the header.
    PsqlTable t = parse_ok(
        "conname                          | contype | convalidated\n"
        "---------------------------------+---------+-------------\n"
        "ingredient_pack_price_positive   | c       | t\n"
        "recipe_item_quantity_positive   | c       | t\n"
        "recipe_selling_price_positive    | c       | t\n"
        "recipe_yield_quantity_positive   | c       | t\n");
    REQUIRE(t.rows.size() == 4);
    CHECK(t.rows[1] == std::vector<std::string>{"recipe_item_quantity_positive", "c", "t"});
  }

  TEST_CASE("parses the seed's foreign key table and the backfill counts") {
    PsqlTable fk = parse_ok(
        "constraint_name                    | table_name        | status\n"
        "-----------------------------------+-------------------+--------\n"
        "Company_ownerId_fkey               | Company           | VALID\n"
        "InventoryMovement_createdBy_fkey   | InventoryMovement | VALID\n"
        "ProductionPlan_createdBy_fkey      | ProductionPlan    | VALID\n"
        "ProductionTask_assignedTo_fkey     | ProductionTask    | VALID\n");
    CHECK(fk.rows.size() == 4);
    CHECK(fk.rows[3] ==
          std::vector<std::string>{"ProductionTask_assignedTo_fkey", "ProductionTask", "VALID"});
    PsqlTable counts = parse_ok(
        "mapped | unmapped\n"
        "-------+----------\n"
        "   X   |    0\n");
    CHECK(counts.rows == Rows{{"X", "0"}});
  }

  TEST_CASE("footer, blank lines around, no separator") {
    PsqlTable t = parse_ok("\n\n a | b \n---+---\n 1 | x\n 2 | \n(2 rows)\n\n");
    CHECK(t.columns == std::vector<std::string>{"a", "b"});
    CHECK(t.rows == Rows{{"1", "x"}, {"2", ""}});
    CHECK(t.footer_rows == 2);
    PsqlTable bare = parse_ok("a|b\n1|2");
    CHECK(bare.rows == Rows{{"1", "2"}});
    PsqlTable one = parse_ok(" n \n---\n 1\n(1 row)");
    CHECK(one.footer_rows == 1);
    PsqlTable none = parse_ok(" n \n----\n(0 rows)");
    CHECK(none.rows.empty());
    CHECK(none.footer_rows == 0);
  }

  TEST_CASE("one column: no bars, and a blank line is an empty cell") {
    PsqlTable t = parse_ok("name\n----\nalpha\n\nbeta\n(3 rows)");
    CHECK(t.columns == std::vector<std::string>{"name"});
    CHECK(t.rows == Rows{{"alpha"}, {""}, {"beta"}});
  }

  TEST_CASE("blank lines inside a table of several columns are skipped") {
    PsqlTable t = parse_ok("a | b\n--+--\n1 | 2\n\n3 | 4\n");
    CHECK(t.rows == Rows{{"1", "2"}, {"3", "4"}});
  }

  TEST_CASE("a separator with other + groups is accepted") {
    PsqlTable t = parse_ok("a | b | c\n-----------+---\n1 | 2 | 3");
    CHECK(t.rows == Rows{{"1", "2", "3"}});
  }

  TEST_CASE("border 2 frames") {
    PsqlTable t = parse_ok(
        "+---+-----+\n"
        "| a |  b  |\n"
        "+---+-----+\n"
        "| 1 | xyz |\n"
        "+---+-----+\n"
        "(1 row)\n");
    CHECK(t.columns == std::vector<std::string>{"a", "b"});
    CHECK(t.rows == Rows{{"1", "xyz"}});
  }

  TEST_CASE("CRLF line ends") {
    PsqlTable t = parse_ok("a | b\r\n--+--\r\n1 | 2\r\n");
    CHECK(t.rows == Rows{{"1", "2"}});
  }

  TEST_CASE("errors say what and where") {
    TableParseError empty = parse_error("\n  \n");
    CHECK(empty.message == "the table has no header line");
    CHECK(empty.line == 1);

    TableParseError headless = parse_error("\n---+---\n 1 | 2");
    CHECK(headless.line == 2);
    CHECK(headless.message ==
          "the table has no header line (it starts with \"---+---\"); paste the column names too");

    TableParseError cells = parse_error("a | b | c\n--+---+--\n1 | 2 | 3\n1 | 2\n");
    CHECK(cells.line == 4);
    CHECK(cells.message == "this row has 2 cells but the header has 3 columns");

    TableParseError more = parse_error("a\n-\n1 | 2\n");
    CHECK(more.line == 3);
    CHECK(more.message == "this row has 2 cells but the header has 1 columns");

    TableParseError footer = parse_error("\na | b\n--+--\n1 | 2\n(3 rows)\n");
    CHECK(footer.line == 5);
    CHECK(footer.message == "the footer says (3 rows) but the table has 1 row");

    CHECK_FALSE(parse_psql_table("(1 row)", nullptr).has_value());  // a null error is allowed
  }

  TEST_CASE("renders like psql: text and booleans") {
    // Output of psql 15 for the seed's constraint query.
    ResultSet r;
    r.columns = {"conname", "contype", "convalidated"};
    r.rows = {{"RecipeItem_recipeId_ingredientId_key", "u", "t"},
              {"RecipeSection_recipeId_order_key", "u", "t"}};
    r.row_count = 2;
    CHECK(render_psql_table(r) ==
          "               conname                | contype | convalidated \n"
          "--------------------------------------+---------+--------------\n"
          " RecipeItem_recipeId_ingredientId_key | u       | t\n"
          " RecipeSection_recipeId_order_key     | u       | t\n"
          "(2 rows)");
  }

  TEST_CASE("renders like psql: numbers right-aligned, NULL and empty cells") {
    ResultSet r;
    r.columns = {"constraint_name", "table_name", "status", "n", "amount"};
    r.rows = {{"Company_ownerId_fkey", "Company", "VALID", "12", "1.5"},
              {"x", std::nullopt, "", std::nullopt, "-100.25"}};
    r.row_count = 2;
    CHECK(render_psql_table(r) ==
          "   constraint_name    | table_name | status | n  | amount  \n"
          "----------------------+------------+--------+----+---------\n"
          " Company_ownerId_fkey | Company    | VALID  | 12 |     1.5\n"
          " x                    |            |        |    | -100.25\n"
          "(2 rows)");

    ResultSet counts;
    counts.columns = {"mapped", "unmapped"};
    counts.rows = {{"5", "0"}};
    counts.row_count = 1;
    CHECK(render_psql_table(counts) ==
          " mapped | unmapped \n"
          "--------+----------\n"
          "      5 |        0\n"
          "(1 row)");
  }

  TEST_CASE("renders like psql: a right-aligned last column pads NULL") {
    ResultSet r;
    r.columns = {"n"};
    r.rows = {{"12"}, {std::nullopt}, {"3"}};
    r.row_count = 3;
    CHECK(render_psql_table(r) == " n  \n----\n 12\n   \n  3\n(3 rows)");
  }

  TEST_CASE("renders like psql: no rows") {
    ResultSet r;
    r.columns = {"?column?"};
    CHECK(render_psql_table(r) == " ?column? \n----------\n(0 rows)");
  }

  TEST_CASE("renders like psql: multi-line cells") {
    ResultSet r;
    r.columns = {"a", "b", "c"};
    r.rows = {{"x\nyy", "1", "p\nq"}};
    r.row_count = 1;
    CHECK(render_psql_table(r) ==
          " a  | b | c \n"
          "----+---+---\n"
          " x +| 1 | p+\n"
          " yy |   | q\n"
          "(1 row)");

    ResultSet last;
    last.columns = {"b", "c"};
    last.rows = {{"1", "p\nqqq"}};
    last.row_count = 1;
    CHECK(render_psql_table(last) == " b |  c  \n---+-----\n 1 | p  +\n   | qqq\n(1 row)");

    ResultSet first;
    first.columns = {"c", "b"};
    first.rows = {{"p\nqqq", "1"}};
    first.row_count = 1;
    CHECK(render_psql_table(first) == "  c  | b \n-----+---\n p  +| 1\n qqq | \n(1 row)");

    ResultSet trailing;
    trailing.columns = {"c", "b"};
    trailing.rows = {{"a\n", "1"}};
    trailing.row_count = 1;
    CHECK(render_psql_table(trailing) == " c | b \n---+---\n a+| 1\n   | \n(1 row)");
  }

  TEST_CASE("renders like psql: header centring, tabs, controls, wide characters") {
    ResultSet r;
    r.columns = {"longheader", "x"};
    r.rows = {{"h", "1.5"}};
    r.row_count = 1;
    CHECK(render_psql_table(r) ==
          " longheader |  x  \n------------+-----\n h          | 1.5\n(1 row)");

    ResultSet odd;
    odd.columns = {"t", "ctl", "u", "cr"};
    odd.rows = {{"a\tb",
                 "c\x01"
                 "d",
                 "\xC3\xA9\xE6\x97\xA5\xE6\x9C\xAC", "r\rr"}};
    odd.row_count = 1;
    CHECK(render_psql_table(odd) ==
          "     t     |  ctl   |   u   |  cr  \n"
          "-----------+--------+-------+------\n"
          " a       b | c\\x01d | \xC3\xA9\xE6\x97\xA5\xE6\x9C\xAC | r\\rr\n"
          "(1 row)");

    ResultSet header;
    header.columns = {"x\ny", "b"};
    header.rows = {{"a", "1"}};
    header.row_count = 1;
    CHECK(render_psql_table(header) == " x+| b \n y |   \n---+---\n a | 1\n(1 row)");
  }

  TEST_CASE("cut results say how many rows were shown") {
    ResultSet r;
    r.columns = {"i", "v"};
    for (int i = 1; i <= 3; ++i) {
      r.rows.push_back({std::to_string(i), "v"});
    }
    r.row_count = 3;
    CHECK(render_psql_table(r) == " i | v \n---+---\n 1 | v\n 2 | v\n 3 | v\n(3 rows)");
    CHECK(render_psql_table(r, 2) == " i | v \n---+---\n 1 | v\n 2 | v\n(showing 2 of 3 rows)");
    r.row_count = 5000000;
    CHECK(render_psql_table(r, 2) ==
          " i | v \n---+---\n 1 | v\n 2 | v\n(showing 2 of 5000000 rows)");
    r.row_count = 21;
    r.complete = false;
    CHECK(render_psql_table(r) ==
          " i | v \n---+---\n 1 | v\n 2 | v\n 3 | v\n(showing 3 of at least 21 rows)");
  }

  TEST_CASE("renders a parsed table, and parsing the rendering gives it back") {
    PsqlTable t;
    t.columns = {"conname", "n"};
    t.rows = {{"a_key", "10"}, {"b", ""}};
    std::string text = render_psql_table(t);
    CHECK(text ==
          " conname | n  \n"
          "---------+----\n"
          " a_key   | 10\n"
          " b       |   \n"
          "(2 rows)");
    PsqlTable again = parse_ok(text);
    CHECK(again.columns == t.columns);
    CHECK(again.rows == t.rows);
    CHECK(again.footer_rows == 2);
  }
}

// table, contains, each, none — through the CheckSession that runs them.

#include "expect/check_session.h"
#include "expect/psql_table.h"

#include <doctest/doctest.h>

using runbook::Check;
using runbook::CheckKind;
using runbook::ColumnCondition;
using runbook::CompareOp;
using runbook::Expectation;
using runbook::PsqlTable;
using runbook::Row;
using runbook::expect::CheckOutcome;
using runbook::expect::CheckSession;
using runbook::expect::parse_psql_table;
using runbook::expect::Verdict;

namespace {

PsqlTable table(std::string_view text) {
  std::optional<PsqlTable> t = parse_psql_table(text, nullptr);
  REQUIRE(t.has_value());
  return *t;
}

Check table_check(CheckKind kind, std::string_view text, bool ordered = false) {
  Check c;
  c.kind = kind;
  c.table = table(text);
  c.ordered = ordered;
  return c;
}

ColumnCondition condition(std::string column, CompareOp op, std::vector<std::string> operands) {
  ColumnCondition c;
  c.column = std::move(column);
  c.comparison.op = op;
  c.comparison.operands = std::move(operands);
  return c;
}

Check condition_check(CheckKind kind, std::vector<ColumnCondition> conditions) {
  Check c;
  c.kind = kind;
  c.conditions = std::move(conditions);
  return c;
}

struct Run {
  std::size_t sample_rows = 20;
  std::size_t fed = 0;

  Verdict operator()(const Check& c, const std::vector<std::string>& columns,
                     const std::vector<Row>& rows) {
    Expectation e;
    e.checks.push_back(c);
    CheckSession session(e, nullptr, sample_rows);
    session.begin(columns);
    for (fed = 0; fed < rows.size() && session.wants_more(); ++fed) {
      session.row(rows[fed]);
    }
    if (fed == rows.size()) {
      session.end_of_result();
    }
    return session.finish();
  }
};

const CheckOutcome& only(const Verdict& v) {
  REQUIRE(v.outcomes.size() == 1);
  return v.outcomes.front();
}

// seeds/001, Migration 2.
constexpr std::string_view kForeignKeys =
    "constraint_name                    | table_name        | status\n"
    "-----------------------------------+-------------------+--------\n"
    "Company_ownerId_fkey               | Company           | VALID\n"
    "InventoryMovement_createdBy_fkey   | InventoryMovement | VALID\n"
    "ProductionPlan_createdBy_fkey      | ProductionPlan    | VALID\n"
    "ProductionTask_assignedTo_fkey     | ProductionTask    | VALID\n";

const std::vector<std::string> kForeignKeyColumns = {"constraint_name", "table_name", "status"};

std::vector<Row> foreign_keys() {
  return {{"Company_ownerId_fkey", "Company", "VALID"},
          {"InventoryMovement_createdBy_fkey", "InventoryMovement", "VALID"},
          {"ProductionPlan_createdBy_fkey", "ProductionPlan", "VALID"},
          {"ProductionTask_assignedTo_fkey", "ProductionTask", "VALID"}};
}

// seeds/001, Migration 1 and 3 (misaligned as pasted).
constexpr std::string_view kChecks =
    "conname                          | contype | convalidated\n"
    "---------------------------------+---------+-------------\n"
    "ingredient_pack_price_positive   | c       | t\n"
    "recipe_item_quantity_positive   | c       | t\n"
    "recipe_selling_price_positive    | c       | t\n"
    "recipe_yield_quantity_positive   | c       | t\n";

}  // namespace

TEST_SUITE("expect::row_checks") {
  TEST_CASE("table: the seed's rows, in the order the server returns them") {
    Run run;
    std::vector<Row> rows = foreign_keys();
    Verdict v = run(table_check(CheckKind::table, kForeignKeys), kForeignKeyColumns, rows);
    CHECK(v.held);
    CHECK(only(v).actual == "4 rows, as in the table");
    std::swap(rows[0], rows[3]);
    CHECK(run(table_check(CheckKind::table, kForeignKeys), kForeignKeyColumns, rows).held);
    CHECK_FALSE(
        run(table_check(CheckKind::table, kForeignKeys, true), kForeignKeyColumns, rows).held);
  }

  TEST_CASE("table: misaligned seed table, booleans as psql prints them") {
    Run run;
    Verdict v = run(table_check(CheckKind::table, kChecks), {"conname", "contype", "convalidated"},
                    {{"recipe_selling_price_positive", "c", "t"},
                     {"ingredient_pack_price_positive", "c", "t"},
                     {"recipe_yield_quantity_positive", "c", "t"},
                     {"recipe_item_quantity_positive", "c", "t"}});
    CHECK(v.held);
  }

  TEST_CASE("table: numbers and empty cells compare as psql prints them") {
    Run run;
    Check c = table_check(CheckKind::table, " n   | note\n-----+-----\n 1.0 | \n 10  | x\n");
    CHECK(run(c, {"n", "note"}, {{"10", "x"}, {"1", std::nullopt}}).held);
    CHECK(run(c, {"n", "note"}, {{"10", "x"}, {"1", ""}}).held);
    CHECK_FALSE(run(c, {"n", "note"}, {{"10", "x"}, {"1", "y"}}).held);
  }

  TEST_CASE("table: an unexpected row fails at once with the row named") {
    Run run;
    run.sample_rows = 0;
    std::vector<Row> rows = foreign_keys();
    rows[1][2] = "NOT VALID";
    Verdict v = run(table_check(CheckKind::table, kForeignKeys), kForeignKeyColumns, rows);
    CHECK_FALSE(v.held);
    CHECK(run.fed == 2);
    CHECK(only(v).actual ==
          "row 2 is not in the table: constraint_name = InventoryMovement_createdBy_fkey, "
          "table_name = InventoryMovement, status = NOT VALID\n"
          " constraint_name | table_name | status \n"
          "-----------------+------------+--------\n"
          "(showing 0 of at least 2 rows)");
  }

  TEST_CASE("table: the report shows the expected table and the actual one") {
    Run run;
    Check c = table_check(CheckKind::table, " a | b\n---+---\n 1 | x\n 2 | y\n");
    Verdict v = run(c, {"a", "b"}, {{"1", "x"}, {"3", "z"}});
    CHECK_FALSE(v.held);
    CHECK(only(v).expected ==
          "table, in any order:\n"
          " a | b \n"
          "---+---\n"
          " 1 | x\n"
          " 2 | y\n"
          "(2 rows)");
    CHECK(only(v).actual ==
          "row 2 is not in the table: a = 3, b = z\n"
          " a | b \n"
          "---+---\n"
          " 1 | x\n"
          " 3 | z\n"
          "(2 rows)");
  }

  TEST_CASE("table: a duplicate row is one too many") {
    Run run;
    Check c = table_check(CheckKind::table, "a\n-\n1\n2\n");
    Verdict v = run(c, {"a"}, {{"1"}, {"1"}});
    CHECK_FALSE(v.held);
    CHECK(only(v).actual.find("row 2 appears more often than in the table: a = 1\n") == 0);
  }

  TEST_CASE("table: more rows than the table fails at the first one too many") {
    Run run;
    run.sample_rows = 0;
    std::vector<Row> rows = foreign_keys();
    rows.push_back({"extra_fkey", "Extra", "VALID"});
    rows.push_back({"more_fkey", "More", "VALID"});
    Verdict v = run(table_check(CheckKind::table, kForeignKeys), kForeignKeyColumns, rows);
    CHECK_FALSE(v.held);
    CHECK(run.fed == 5);
    CHECK(only(v).actual.find("more rows than the table's 4 rows\n") == 0);
  }

  TEST_CASE("table: fewer rows say which are missing") {
    Run run;
    Check c = table_check(CheckKind::table, " a | b\n---+---\n 1 | x\n 2 | y\n 3 | z\n");
    Verdict v = run(c, {"a", "b"}, {{"2", "y"}});
    CHECK_FALSE(v.held);
    CHECK(only(v).actual ==
          "1 row where the table has 3 rows; missing:\n"
          " a | b \n"
          "---+---\n"
          " 1 | x\n"
          " 3 | z\n"
          "(2 rows)\n"
          " a | b \n"
          "---+---\n"
          " 2 | y\n"
          "(1 row)");
  }

  TEST_CASE("table: columns must be the header's, in order, case-sensitive") {
    Run run;
    Check c = table_check(CheckKind::table, " a | b\n---+---\n 1 | x\n");
    Verdict swapped = run(c, {"b", "a"}, {{"x", "1"}});
    CHECK_FALSE(swapped.held);
    CHECK(only(swapped).actual == "the columns differ: b, a\n b | a \n---+---\n x | 1\n(1 row)");
    CHECK_FALSE(run(c, {"A", "b"}, {{"1", "x"}}).held);
    CHECK(run(c, {" a", "b "}, {{"1", "x"}}).held);  // trimmed
  }

  TEST_CASE("table: an empty table expects no rows") {
    Run run;
    Check c = table_check(CheckKind::table, " a \n---\n(0 rows)\n");
    CHECK(run(c, {"a"}, {}).held);
    CHECK_FALSE(run(c, {"a"}, {{"1"}}).held);
  }

  TEST_CASE("table: matching moves earlier rows when a later one needs their place") {
    // `true` matches t and true; `t` matches only t. First-fit would give the
    // t row to `true` and leave nothing for the true row.
    Run run;
    Check c = table_check(CheckKind::table, "v\n-\ntrue\nt\n");
    CHECK(run(c, {"v"}, {{"t"}, {"true"}}).held);
    CHECK(run(c, {"v"}, {{"true"}, {"t"}}).held);
    CHECK_FALSE(run(c, {"v"}, {{"true"}, {"true"}}).held);
  }

  TEST_CASE("table, ordered: a row out of place fails at that row") {
    Run run;
    Check c = table_check(CheckKind::table, "i\n-\n1\n2\n3\n", true);
    CHECK(run(c, {"i"}, {{"1"}, {"2"}, {"3"}}).held);
    Verdict v = run(c, {"i"}, {{"1"}, {"3"}, {"2"}});
    CHECK_FALSE(v.held);
    CHECK(only(v).expected.find("table, in this order:\n") == 0);
    CHECK(only(v).actual.find("row 2 differs: i = 3\n") == 0);
    Verdict fewer = run(c, {"i"}, {{"1"}, {"2"}});
    CHECK_FALSE(fewer.held);
    CHECK(only(fewer).actual.find("2 rows where the table has 3 rows\n") == 0);
  }

  TEST_CASE("contains: every expected row somewhere, holding as soon as all are found") {
    Run run;
    run.sample_rows = 0;
    Check c = table_check(CheckKind::contains,
                          "status | constraint_name\n"
                          "-------+----------------\n"
                          "VALID  | ProductionPlan_createdBy_fkey\n"
                          "VALID  | Company_ownerId_fkey\n");
    std::vector<Row> rows = foreign_keys();
    Verdict v = run(c, kForeignKeyColumns, rows);
    CHECK(v.held);
    CHECK(run.fed == 3);  // found both by the third row
    CHECK(only(v).actual == "all 2 rows found");
    CHECK(only(v).expected ==
          "contains these rows:\n"
          " status |        constraint_name        \n"
          "--------+-------------------------------\n"
          " VALID  | ProductionPlan_createdBy_fkey\n"
          " VALID  | Company_ownerId_fkey\n"
          "(2 rows)");
  }

  TEST_CASE("contains: missing rows are listed") {
    Run run;
    Check c = table_check(CheckKind::contains, "a | b\n--+--\n1 | x\n9 | z\n");
    Verdict v = run(c, {"a", "b"}, {{"1", "x"}, {"2", "y"}});
    CHECK_FALSE(v.held);
    CHECK(only(v).actual ==
          "1 of 2 rows not found:\n"
          " a | b \n"
          "---+---\n"
          " 9 | z\n"
          "(1 row)\n"
          "in the result:\n"
          " a | b \n"
          "---+---\n"
          " 1 | x\n"
          " 2 | y\n"
          "(2 rows)");
  }

  TEST_CASE("contains: a column the result lacks") {
    Run run;
    Check c = table_check(CheckKind::contains, "name\n----\nx\n");
    Verdict v = run(c, {"nam", "n"}, {{"x", "1"}});
    CHECK_FALSE(v.held);
    CHECK(only(v).actual.find("no column \"name\" in the result; its columns are: nam, n "
                              "(did you mean \"nam\"?)\n") == 0);
  }

  TEST_CASE("each: every row satisfies every condition") {
    Run run;
    Check c = condition_check(CheckKind::each, {condition("status", CompareOp::eq, {"VALID"})});
    Verdict v = run(c, kForeignKeyColumns, foreign_keys());
    CHECK(v.held);
    CHECK(only(v).expected == "every row has status = VALID");
    CHECK(only(v).actual == "4 rows, all match");
    CHECK(run(c, kForeignKeyColumns, {}).held);
  }

  TEST_CASE("each: fails at the first row that does not, naming it") {
    Run run;
    run.sample_rows = 0;
    Check c = condition_check(CheckKind::each, {condition("n", CompareOp::ge, {"0"}),
                                                condition("status", CompareOp::eq, {"VALID"})});
    std::vector<Row> rows;
    for (int i = 0; i < 1000; ++i) {
      rows.push_back({i == 3 ? "INVALID" : "VALID", std::to_string(i)});
    }
    Verdict v = run(c, {"status", "n"}, rows);
    CHECK_FALSE(v.held);
    CHECK(run.fed == 4);
    CHECK(only(v).expected == "every row has n >= 0 and status = VALID");
    CHECK(only(v).actual ==
          "row 4 fails status = VALID: status = INVALID, n = 3\n"
          " status | n \n"
          "--------+---\n"
          "(showing 0 of at least 4 rows)");
  }

  TEST_CASE("each: NULL fails a comparison other than = ''") {
    Run run;
    Check c = condition_check(CheckKind::each, {condition("n", CompareOp::gt, {"0"})});
    Verdict v = run(c, {"n"}, {{"1"}, {std::nullopt}});
    CHECK_FALSE(v.held);
    CHECK(only(v).actual.find("row 2 fails n > 0: n = NULL\n") == 0);
  }

  TEST_CASE("each: a column that does not exist names the ones that do") {
    Run run;
    run.sample_rows = 0;
    Check c = condition_check(CheckKind::each, {condition("statuz", CompareOp::eq, {"VALID"})});
    Verdict v = run(c, {"indexname", "status"}, {{"a", "VALID"}});
    CHECK_FALSE(v.held);
    CHECK(run.fed == 0);
    CHECK(only(v).actual.find("no column \"statuz\" in the result; its columns are: indexname, "
                              "status (did you mean \"status\"?)") == 0);
  }

  TEST_CASE("none: no row satisfies all the conditions") {
    Run run;
    Check c = condition_check(CheckKind::none, {condition("status", CompareOp::eq, {"INVALID"})});
    Verdict v = run(c, kForeignKeyColumns, foreign_keys());
    CHECK(v.held);
    CHECK(only(v).expected == "no row has status = INVALID");
    CHECK(only(v).actual == "4 rows, none matches");

    run.sample_rows = 1;
    std::vector<Row> rows = foreign_keys();
    rows[2][2] = "INVALID";
    Verdict failed = run(c, kForeignKeyColumns, rows);
    CHECK_FALSE(failed.held);
    CHECK(run.fed == 3);
    CHECK(only(failed).actual ==
          "row 3 matches: constraint_name = ProductionPlan_createdBy_fkey, "
          "table_name = ProductionPlan, status = INVALID\n"
          "   constraint_name    | table_name | status \n"
          "----------------------+------------+--------\n"
          " Company_ownerId_fkey | Company    | VALID\n"
          "(showing 1 of at least 3 rows)");
  }

  TEST_CASE("none: a row must satisfy every condition to count") {
    Run run;
    Check c = condition_check(CheckKind::none, {condition("a", CompareOp::eq, {"1"}),
                                                condition("b", CompareOp::matches, {"^x"})});
    CHECK(run(c, {"a", "b"}, {{"1", "y"}, {"2", "xx"}}).held);
    CHECK_FALSE(run(c, {"a", "b"}, {{"1", "y"}, {"1.0", "xx"}}).held);
  }
}

#include "expect/check_session.h"

#include "expect/psql_table.h"

#include <doctest/doctest.h>

using runbook::Check;
using runbook::CheckKind;
using runbook::ColumnCondition;
using runbook::CompareOp;
using runbook::Expectation;
using runbook::Row;
using runbook::expect::CaptureBuilder;
using runbook::expect::CapturedResult;
using runbook::expect::CheckSession;
using runbook::expect::describe;
using runbook::expect::parse_psql_table;
using runbook::expect::validate;
using runbook::expect::Verdict;

namespace {

Check count_check(CheckKind kind, CompareOp op, std::vector<std::string> operands) {
  Check c;
  c.kind = kind;
  c.comparison.op = op;
  c.comparison.operands = std::move(operands);
  return c;
}

Check each_check(std::string column, CompareOp op, std::vector<std::string> operands) {
  Check c;
  c.kind = CheckKind::each;
  ColumnCondition cond;
  cond.column = std::move(column);
  cond.comparison.op = op;
  cond.comparison.operands = std::move(operands);
  c.conditions.push_back(cond);
  return c;
}

Row numbered_row(int i) {
  return {std::to_string(i), "x"};
}

}  // namespace

TEST_SUITE("expect::check_session") {
  TEST_CASE("wants_more turns false once every check is decided and the sample is full") {
    Expectation e;
    e.checks.push_back(count_check(CheckKind::rows, CompareOp::ge, {"2"}));
    e.checks.push_back(count_check(CheckKind::rows, CompareOp::le, {"4"}));
    CheckSession s(e, nullptr, 1);
    s.begin({"i", "v"});
    CHECK(s.wants_more());
    s.row(numbered_row(1));
    CHECK(s.wants_more());  // ge 2 not reached yet
    s.row(numbered_row(2));
    CHECK(s.wants_more());  // le 4 can still fail
    s.row(numbered_row(3));
    s.row(numbered_row(4));
    CHECK(s.wants_more());
    s.row(numbered_row(5));
    CHECK_FALSE(s.wants_more());  // le 4 failed
    Verdict v = s.finish();
    CHECK_FALSE(v.held);
    REQUIRE(v.outcomes.size() == 2);
    CHECK(v.outcomes[0].held);
    CHECK_FALSE(v.outcomes[1].held);
    CHECK(v.outcomes[1].actual == "at least 5 rows");
    CHECK(v.sample.rows.size() == 1);
    CHECK(v.sample.row_count == 5);
    CHECK_FALSE(v.sample.complete);
  }

  TEST_CASE("the sample keeps only the first rows, the count keeps counting") {
    Expectation e;
    e.checks.push_back(each_check("v", CompareOp::eq, {"x"}));
    CheckSession s(e, nullptr, 3);
    s.begin({"i", "v"});
    for (int i = 1; i <= 1000; ++i) {
      REQUIRE(s.wants_more());
      s.row(numbered_row(i));
    }
    s.end_of_result();
    Verdict v = s.finish();
    CHECK(v.held);
    CHECK(v.sample.columns == std::vector<std::string>{"i", "v"});
    CHECK(v.sample.rows == std::vector<Row>{numbered_row(1), numbered_row(2), numbered_row(3)});
    CHECK(v.sample.row_count == 1000);
    CHECK(v.sample.complete);
    CHECK(v.outcomes[0].actual == "1000 rows, all match");
  }

  TEST_CASE("no checks: the session wants only the sample") {
    CheckSession s(Expectation{}, nullptr, 2);
    s.begin({"i", "v"});
    s.row(numbered_row(1));
    CHECK(s.wants_more());
    s.row(numbered_row(2));
    CHECK_FALSE(s.wants_more());
    s.end_of_result();
    Verdict v = s.finish(7);
    CHECK(v.held);
    CHECK(v.outcomes.empty());
    CHECK(v.sample.complete);
    CHECK(v.sample.affected == 7);
  }

  TEST_CASE("rows given after wants_more turned false are still counted") {
    Expectation e;
    e.checks.push_back(count_check(CheckKind::rows, CompareOp::gt, {"0"}));
    CheckSession s(e, nullptr, 0);
    s.begin({"i", "v"});
    s.row(numbered_row(1));
    CHECK_FALSE(s.wants_more());
    s.row(numbered_row(2));
    s.row(numbered_row(3));
    s.end_of_result();
    Verdict v = s.finish();
    CHECK(v.held);
    CHECK(v.outcomes[0].actual == "3 rows");
    CHECK(v.sample.row_count == 3);
  }

  TEST_CASE("outcomes carry the check's location and kind, in order") {
    Expectation e;
    Check rows = count_check(CheckKind::rows, CompareOp::eq, {"1"});
    rows.where = {"runbook.yaml", 12, 7};
    Check value = count_check(CheckKind::value, CompareOp::eq, {"x"});
    value.where = {"runbook.yaml", 13, 7};
    e.checks = {rows, value};
    CheckSession s(e, nullptr);
    s.begin({"v"});
    s.row({"x"});
    s.end_of_result();
    Verdict v = s.finish();
    CHECK(v.held);
    REQUIRE(v.outcomes.size() == 2);
    CHECK(v.outcomes[0].kind == CheckKind::rows);
    CHECK(v.outcomes[0].where.line == 12);
    CHECK(v.outcomes[1].kind == CheckKind::value);
    CHECK(v.outcomes[1].where.str() == "runbook.yaml:13:7");
  }

  TEST_CASE("a bounded table check keeps reading only as far as it must") {
    Expectation e;
    Check c;
    c.kind = CheckKind::table;
    c.table = *parse_psql_table("i | v\n--+--\n1 | x\n2 | x\n", nullptr);
    e.checks.push_back(c);
    CheckSession s(e, nullptr, 0);
    s.begin({"i", "v"});
    int fed = 0;
    while (s.wants_more() && fed < 5000000) {
      s.row(numbered_row(++fed));
    }
    CHECK(fed == 3);
    CHECK_FALSE(s.finish().held);
  }

  TEST_CASE("CaptureBuilder keeps the first rows and a digest of all") {
    CaptureBuilder b(2);
    b.begin({"i", "v"});
    for (int i = 1; i <= 5; ++i) {
      b.row(numbered_row(i));
    }
    CapturedResult c = b.finish();
    CHECK(c.columns == std::vector<std::string>{"i", "v"});
    CHECK(c.rows == std::vector<Row>{numbered_row(1), numbered_row(2)});
    CHECK(c.row_count == 5);
    CHECK(c.digest.size() == 32);

    CaptureBuilder reversed(2);
    reversed.begin({"i", "v"});
    for (int i = 5; i >= 1; --i) {
      reversed.row(numbered_row(i));
    }
    CHECK(reversed.finish().digest == c.digest);

    CaptureBuilder other(2);
    other.begin({"i", "v"});
    for (int i = 1; i <= 5; ++i) {
      other.row(i == 4 ? Row{"4", std::nullopt} : numbered_row(i));
    }
    CHECK(other.finish().digest != c.digest);
  }

  TEST_CASE("describe: one entry per check, tables as tables") {
    Expectation e;
    e.checks.push_back(count_check(CheckKind::rows, CompareOp::eq, {"0"}));
    e.checks.push_back(count_check(CheckKind::rows, CompareOp::eq, {"1"}));
    e.checks.push_back(count_check(CheckKind::rows, CompareOp::between, {"1", "5"}));
    e.checks.push_back(count_check(CheckKind::value, CompareOp::ge, {"140000"}));
    Check table;
    table.kind = CheckKind::table;
    table.table = *parse_psql_table("conname | contype\n--------+--------\nx_key | u\n", nullptr);
    e.checks.push_back(table);
    Check each = each_check("status", CompareOp::eq, {"VALID"});
    ColumnCondition n;
    n.column = "n";
    n.comparison.op = CompareOp::within;
    n.comparison.operands = {"100"};
    n.comparison.pct = 5;
    each.conditions.push_back(n);
    e.checks.push_back(each);
    Check none = each_check("status", CompareOp::in, {"INVALID", ""});
    none.kind = CheckKind::none;
    e.checks.push_back(none);
    Check columns;
    columns.kind = CheckKind::columns;
    columns.names = {"a", "b"};
    e.checks.push_back(columns);
    Check same;
    same.kind = CheckKind::same_as;
    same.text = "before";
    e.checks.push_back(same);
    e.checks.push_back(count_check(CheckKind::affected, CompareOp::eq, {"1"}));
    e.checks.push_back(count_check(CheckKind::affected, CompareOp::gt, {"0"}));
    e.checks.push_back(count_check(CheckKind::exit_code, CompareOp::eq, {"0"}));
    Check out;
    out.kind = CheckKind::stdout_contains;
    out.text = "done";
    e.checks.push_back(out);

    CHECK(describe(e) == std::vector<std::string>{
                             "0 rows",
                             "1 row",
                             "rows between 1 and 5",
                             "value >= 140000",
                             "table, in any order:\n"
                             " conname | contype \n"
                             "---------+---------\n"
                             " x_key   | u\n"
                             "(1 row)",
                             "every row has status = VALID and n within 5% of 100",
                             "no row has status in (INVALID, '')",
                             "columns: a, b",
                             "same result as captures.before",
                             "1 row affected",
                             "rows affected > 0",
                             "exit code = 0",
                             "stdout contains \"done\"",
                         });
  }

  TEST_CASE("validate: what the loader reports") {
    CHECK_FALSE(validate(count_check(CheckKind::rows, CompareOp::eq, {"0"})).has_value());
    CHECK(validate(count_check(CheckKind::rows, CompareOp::eq, {"none"})) ==
          "rows compares a count, but \"none\" is not a number");
    CHECK_FALSE(
        validate(count_check(CheckKind::rows, CompareOp::eq, {"{{ params.n }}"})).has_value());
    CHECK(validate(count_check(CheckKind::exit_code, CompareOp::between, {"0"})) ==
          "between takes two values [low, high], got 1");
    CHECK_FALSE(validate(count_check(CheckKind::value, CompareOp::eq, {"VALID"})).has_value());
    CHECK(validate(each_check("name", CompareOp::matches, {"(x"}))
              .value()
              .find("name: invalid regular expression /(x/: ") == 0);
    Check contains;
    contains.kind = CheckKind::contains;
    contains.table = *parse_psql_table("a | a\n--+--\n1 | 2\n", nullptr);
    CHECK(validate(contains) == "column \"a\" is listed twice");
    contains.kind = CheckKind::table;
    CHECK_FALSE(validate(contains).has_value());
    Check same;
    same.kind = CheckKind::same_as;
    CHECK(validate(same) == "same_as needs the name of a capture");
  }
}

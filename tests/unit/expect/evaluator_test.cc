#include "expect/evaluator.h"

#include <doctest/doctest.h>

using runbook::ResultSet;
using runbook::expect::count_words;
using runbook::expect::find_column;
using runbook::expect::missing_column;
using runbook::expect::row_words;
using runbook::expect::shown_result;
using runbook::expect::value_words;

TEST_SUITE("expect::evaluator") {
  TEST_CASE("values and rows in words") {
    CHECK(value_words(std::nullopt) == "NULL");
    CHECK(value_words(std::string()) == "''");
    CHECK(value_words(std::string("VALID")) == "VALID");
    CHECK(row_words({"a", "b"}, {"1", std::nullopt}) == "a = 1, b = NULL");
    CHECK(row_words({"a"}, {"1", "2"}) == "a = 1, column 2 = 2");
  }

  TEST_CASE("counts say when reading stopped early") {
    ResultSet r;
    r.row_count = 3;
    CHECK(count_words(r) == "3 rows");
    r.row_count = 1;
    CHECK(count_words(r) == "1 row");
    r.row_count = 21;
    r.complete = false;
    CHECK(count_words(r) == "at least 21 rows");
  }

  TEST_CASE("the shown result is cut to a few rows") {
    ResultSet r;
    CHECK(shown_result(r) == "(no result)");
    r.columns = {"i"};
    for (int i = 0; i < 30; ++i) {
      r.rows.push_back({std::to_string(i)});
    }
    r.row_count = 30;
    std::string shown = shown_result(r);
    CHECK(shown.find(" 9\n(showing 10 of 30 rows)") != std::string::npos);
    CHECK(shown.find("10\n") == std::string::npos);
  }

  TEST_CASE("columns are found by trimmed name, and missing ones explained") {
    CHECK(find_column({"a", " b "}, "b") == 1);
    CHECK(find_column({"a", "b"}, " a") == 0);
    CHECK_FALSE(find_column({"a", "b"}, "A").has_value());
    CHECK(missing_column({"indexname", "status"}, "statuz") ==
          "no column \"statuz\" in the result; its columns are: indexname, status "
          "(did you mean \"status\"?)");
    CHECK(missing_column({"x"}, "completely_else") ==
          "no column \"completely_else\" in the result; its columns are: x");
    CHECK(missing_column({}, "x") == "no column \"x\": the statement returned no columns");
  }
}

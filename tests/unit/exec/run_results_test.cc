#include "exec/run_context.h"

#include <doctest/doctest.h>

using namespace runbook;

TEST_SUITE("exec::run_results") {
  TEST_CASE("a reported result keeps the columns, the count and at most 20 rows") {
    ResultSet sample;
    sample.columns = {"id"};
    for (int i = 0; i < 25; ++i) {
      sample.rows.push_back({std::to_string(i)});
    }
    sample.rows.push_back({std::nullopt});
    sample.row_count = 1000;
    sample.complete = false;
    ResultSet r = exec::reported_result(sample);
    CHECK(r.columns == sample.columns);
    CHECK(r.rows.size() == 20);
    CHECK(r.rows[19][0] == "19");
    CHECK(r.row_count == 1000);
    CHECK_FALSE(r.complete);
  }

  TEST_CASE("a long cell is cut to 1 KiB without splitting a character") {
    ResultSet sample;
    sample.columns = {"t"};
    sample.rows = {{std::string(1023, 'x') + "é and more"}, {std::nullopt}};
    sample.row_count = 2;
    ResultSet r = exec::reported_result(sample);
    CHECK(*r.rows[0][0] == std::string(1023, 'x') + "…");  // é would straddle the cut
    CHECK_FALSE(r.rows[1][0].has_value());
  }
}

#include "adapters/term/side_by_side.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using runbook::adapters::display_width;
using runbook::adapters::side_by_side;
using Lines = std::vector<std::string>;

TEST_SUITE("term::side_by_side") {
  TEST_CASE("display width counts code points") {
    CHECK(display_width("abc") == 3);
    CHECK(display_width("✓ ok") == 4);
    CHECK(display_width("") == 0);
  }

  TEST_CASE("two columns, the left padded to its widest line") {
    CHECK(side_by_side("expected", "0 rows", "actual", "3 rows\n", 80) ==
          Lines{"expected │ actual", "0 rows   │ 3 rows"});
    CHECK(side_by_side("expected", "a\nb\nc", "actual", "x", 80) ==
          Lines{"expected │ actual", "a        │ x", "b        │", "c        │"});
  }

  TEST_CASE("stacked when the columns would not fit") {
    CHECK(side_by_side("expected", std::string(50, 'e'), "actual", std::string(50, 'a'), 80) ==
          Lines{"expected:", "  " + std::string(50, 'e'), "actual:", "  " + std::string(50, 'a')});
  }

  TEST_CASE("UTF-8 cells keep the bar aligned") {
    CHECK(side_by_side("é", "ñandú\nx", "b", "", 80) == Lines{"é     │ b", "ñandú │", "x     │"});
  }
}

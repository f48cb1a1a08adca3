#include "expect/decimal.h"

#include <doctest/doctest.h>

#include <cmath>

using runbook::expect::compare_decimals;
using runbook::expect::decimal_to_double;
using runbook::expect::is_number;
using runbook::expect::parse_decimal;

namespace {

int cmp(std::string_view a, std::string_view b) {
  auto da = parse_decimal(a);
  auto db = parse_decimal(b);
  REQUIRE(da.has_value());
  REQUIRE(db.has_value());
  return compare_decimals(a, *da, b, *db);
}

}  // namespace

TEST_SUITE("expect::decimal") {
  TEST_CASE("what is a number") {
    for (std::string_view s : {"0", "1", "-1", "+1", "1.5", "-1.50", ".5", "5.", "1e5", "1E+20",
                               "1.5e-3", "00012", "140000", "-0"}) {
      CAPTURE(s);
      CHECK(is_number(s));
    }
    for (std::string_view s : {"", "-", "+", ".", "e5", "1e", "1e+", "1,000", " 1", "1 ", "0x10",
                               "NaN", "Infinity", "-Infinity", "1.2.3", "t", "1-2", "--1"}) {
      CAPTURE(s);
      CHECK_FALSE(is_number(s));
    }
  }

  TEST_CASE("equal values written differently") {
    CHECK(cmp("1", "1.0") == 0);
    CHECK(cmp("1.000", "1") == 0);
    CHECK(cmp("0", "-0.00") == 0);
    CHECK(cmp("100", "1e2") == 0);
    CHECK(cmp("0.015", "1.5e-2") == 0);
    CHECK(cmp("+7", "007") == 0);
    CHECK(cmp(".5", "0.50") == 0);
  }

  TEST_CASE("order") {
    CHECK(cmp("9", "10") < 0);
    CHECK(cmp("10", "9") > 0);
    CHECK(cmp("-10", "-9") < 0);
    CHECK(cmp("-1", "0") < 0);
    CHECK(cmp("0", "0.0001") < 0);
    CHECK(cmp("1.25", "1.3") < 0);
    CHECK(cmp("1.3", "1.25") > 0);
    CHECK(cmp("1e3", "999.999") > 0);
    CHECK(cmp("140000", "90600") > 0);
    CHECK(cmp("1.5", "1.50001") < 0);
  }

  TEST_CASE("exact beyond double precision") {
    CHECK(cmp("9007199254740993", "9007199254740992") > 0);
    CHECK(cmp("123456789012345678901234567890", "123456789012345678901234567891") < 0);
    CHECK(cmp("0.1000000000000000000001", "0.1") > 0);
  }

  TEST_CASE("to double") {
    CHECK(decimal_to_double("1.5") == 1.5);
    CHECK(decimal_to_double("+2") == 2.0);
    CHECK(decimal_to_double("-1e3") == -1000.0);
    CHECK(decimal_to_double(".25") == 0.25);
    CHECK(std::isinf(decimal_to_double("1e400")));
    CHECK(decimal_to_double("1e-400") == 0.0);
  }
}

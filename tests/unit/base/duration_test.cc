#include "base/duration.h"

#include <doctest/doctest.h>

using runbook::format_duration;
using runbook::Millis;
using runbook::parse_duration;

TEST_SUITE("base::duration") {
  TEST_CASE("units as authors write them") {
    CHECK(parse_duration("2s") == Millis(2000));
    CHECK(parse_duration("5min") == Millis(300000));
    CHECK(parse_duration("100ms") == Millis(100));
    CHECK(parse_duration("1h") == Millis(3600000));
    CHECK(parse_duration(" 10 s ") == Millis(10000));
    CHECK(parse_duration("250") == Millis(250));
  }
  TEST_CASE("rejects what is not a duration") {
    CHECK_FALSE(parse_duration("").has_value());
    CHECK_FALSE(parse_duration("fast").has_value());
    CHECK_FALSE(parse_duration("-1s").has_value());
    CHECK_FALSE(parse_duration("2 weeks").has_value());
    CHECK_FALSE(parse_duration("99999999999999999999d").has_value());
  }
  TEST_CASE("formats to the shortest exact unit") {
    CHECK(format_duration(Millis(2000)) == "2s");
    CHECK(format_duration(Millis(300000)) == "5min");
    CHECK(format_duration(Millis(150)) == "150ms");
    CHECK(format_duration(Millis(7200000)) == "2h");
  }
}

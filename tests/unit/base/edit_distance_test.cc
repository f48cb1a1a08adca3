#include "base/edit_distance.h"

#include <doctest/doctest.h>

using runbook::closest_match;

TEST_SUITE("base::edit_distance") {
  TEST_CASE("suggests the key an author most likely meant") {
    std::vector<std::string> keys = {"runbook", "title", "steps", "preflight", "postflight"};
    CHECK(closest_match("stpes", keys) == "steps");
    CHECK(closest_match("prefligth", keys) == "preflight");
    CHECK(closest_match("Title", keys) == "title");
    CHECK_FALSE(closest_match("completely-different", keys).has_value());
  }
  TEST_CASE("distance is bounded") {
    CHECK(runbook::edit_distance("kitten", "sitting", 5) == 3);
    CHECK(runbook::edit_distance("a", "abcdefgh", 2) == 3);
  }
}

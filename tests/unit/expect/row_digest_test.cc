#include "expect/row_digest.h"

#include <doctest/doctest.h>

using runbook::Row;
using runbook::expect::row_hash;
using runbook::expect::RowDigest;

namespace {

std::string digest_of(const std::vector<Row>& rows) {
  RowDigest d;
  for (const Row& r : rows) {
    d.add(r);
  }
  return d.hex();
}

}  // namespace

TEST_SUITE("expect::row_digest") {
  TEST_CASE("the same rows in any order give the same digest") {
    std::vector<Row> a = {{"1", "x"}, {"2", "y"}, {"3", std::nullopt}};
    std::vector<Row> b = {{"3", std::nullopt}, {"1", "x"}, {"2", "y"}};
    CHECK(digest_of(a) == digest_of(b));
    CHECK(digest_of(a).size() == 32);
    CHECK(digest_of({}) == std::string(32, '0'));
  }

  TEST_CASE("a changed, missing or repeated row changes it") {
    std::vector<Row> base = {{"1", "x"}, {"2", "y"}};
    CHECK(digest_of(base) != digest_of({{"1", "x"}, {"2", "z"}}));
    CHECK(digest_of(base) != digest_of({{"1", "x"}}));
    CHECK(digest_of(base) != digest_of({{"1", "x"}, {"2", "y"}, {"2", "y"}}));
    // xor alone would cancel a pair of equal rows; the sum does not.
    CHECK(digest_of({{"a"}}) != digest_of({{"a"}, {"b"}, {"b"}}));
  }

  TEST_CASE("the encoding keeps NULL, empty and cell boundaries apart") {
    CHECK(row_hash({std::nullopt}) != row_hash({""}));
    CHECK(row_hash({"ab", "c"}) != row_hash({"a", "bc"}));
    CHECK(row_hash({"a"}) != row_hash({"a", ""}));
    CHECK(row_hash({"12345678"}) != row_hash({"12345678", std::nullopt}));
    CHECK(row_hash({"123456789"}) != row_hash({"12345678", "9"}));
    CHECK(row_hash({}) != row_hash({std::nullopt}));
    CHECK(row_hash({"same"}) == row_hash({"same"}));
  }
}

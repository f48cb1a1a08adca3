#pragma once
// An order-independent digest of a result's rows, for `same_as`.
//
// Each row is hashed (64 bits) from a canonical encoding of its cells in
// which NULL differs from the empty string and cell boundaries count
// ("ab","c" differs from "a","bc"). The digest of a result is the sum and the
// xor of its row hashes: the same rows in any order give the same digest, and
// a row counted twice changes it. It is not cryptographic: it tells whether a
// result changed, it does not protect against someone crafting a collision.
// Hashes depend on the machine's byte order; compare digests made by the
// same build only.

#include "model/result_set.h"

#include <cstdint>
#include <string>

namespace runbook::expect {

std::uint64_t row_hash(const Row& row);

class RowDigest {
 public:
  void add(const Row& row) {
    std::uint64_t h = row_hash(row);
    sum_ += h;
    xor_ ^= h;
  }
  // 32 lower-case hex digits.
  std::string hex() const;

 private:
  std::uint64_t sum_ = 0, xor_ = 0;
};

}  // namespace runbook::expect

#include "expect/row_digest.h"

#include <fmt/format.h>

#include <cstring>

namespace runbook::expect {
namespace {

constexpr std::uint64_t kMultiplier = 0x9E3779B97F4A7C15ULL;
constexpr std::uint64_t kNullTag = 0x4E554C4C4E554C4CULL;

// Folds one word in; the shift brings high bits back down so that later
// multiplications spread every input bit.
std::uint64_t mix(std::uint64_t h, std::uint64_t word) {
  h = (h ^ word) * kMultiplier;
  return h ^ (h >> 29);
}

// A final avalanche so that close rows get unrelated hashes (sums of
// hashes must not cancel out in patterns).
std::uint64_t finish(std::uint64_t h) {
  h ^= h >> 30;
  h *= 0xBF58476D1CE4E5B9ULL;
  h ^= h >> 27;
  h *= 0x94D049BB133111EBULL;
  return h ^ (h >> 31);
}

std::uint64_t mix_bytes(std::uint64_t h, const std::string& s) {
  // The length first (odd, so that "" differs from the NULL tag's encoding).
  h = mix(h, (static_cast<std::uint64_t>(s.size()) << 1) | 1);
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, s.data() + i, 8);
    h = mix(h, word);
  }
  if (i < s.size()) {
    std::uint64_t word = 0;
    std::memcpy(&word, s.data() + i, s.size() - i);
    h = mix(h, word);
  }
  return h;
}

}  // namespace

std::uint64_t row_hash(const Row& row) {
  std::uint64_t h = mix(0, row.size());
  for (const Cell& cell : row) {
    h = cell ? mix_bytes(h, *cell) : mix(h, kNullTag);
  }
  return finish(h);
}

std::string RowDigest::hex() const {
  return fmt::format("{:016x}{:016x}", sum_, xor_);
}

}  // namespace runbook::expect

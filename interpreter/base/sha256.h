#pragma once
// SHA-256, for checksums of runbook files and rendered SQL in the journal.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace runbook {

// Lower-case hex digest of `data`.
std::string sha256_hex(std::string_view data);

// The two ways of compressing whole 64-byte blocks into the state `h`, open
// for the tests that hold one to the other.
namespace detail {
void sha256_blocks_portable(std::array<std::uint32_t, 8>& h, const unsigned char* data,
                            std::size_t blocks);
// With the CPU's SHA instructions; false (and `h` untouched) where it has none.
bool sha256_blocks_accelerated(std::array<std::uint32_t, 8>& h, const unsigned char* data,
                               std::size_t blocks);
}  // namespace detail

}  // namespace runbook

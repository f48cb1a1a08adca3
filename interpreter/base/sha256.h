#pragma once
// SHA-256, for checksums of runbook files and rendered SQL in the journal.

#include <string>
#include <string_view>

namespace runbook {

// Lower-case hex digest of `data`.
std::string sha256_hex(std::string_view data);

}  // namespace runbook

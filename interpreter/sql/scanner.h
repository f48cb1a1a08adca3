#pragma once
// Where the code of a statement starts and ends, by PostgreSQL's scanner
// (internal to sql/).

#include <cstddef>
#include <optional>
#include <string>

namespace runbook::sql {

struct ByteRange {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// From the first byte of the first token that is not a comment to the end of
// the last such token. nullopt when `sql` holds only comments and whitespace
// or does not scan.
std::optional<ByteRange> code_range(const std::string& sql);

}  // namespace runbook::sql

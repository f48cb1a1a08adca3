#pragma once
// Rows as psql prints them: every cell is text, NULL is an absent cell.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace runbook {

using Cell = std::optional<std::string>;  // nullopt is SQL NULL
using Row = std::vector<Cell>;

// A bounded sample of a result: the first rows, and how many there were.
struct ResultSet {
  std::vector<std::string> columns;
  std::vector<Row> rows;                 // at most the sample limit
  std::int64_t row_count = 0;            // rows read (all of them unless `complete` is false)
  bool complete = true;                  // false when reading stopped early
  std::optional<std::int64_t> affected;  // for INSERT/UPDATE/DELETE/...
};

}  // namespace runbook

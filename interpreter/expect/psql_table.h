#pragma once
// psql's aligned table format, both ways.
//
// Parsing accepts what a user pastes from psql: a header line, an optional
// `---+---` separator, data lines, and an optional `(N rows)` footer. Cells
// are split on `|` and trimmed, so alignment does not matter. Rendering
// produces the same layout psql prints (column widths, `-+-` separator,
// right-aligned numbers, `(N rows)` footer).

#include <optional>
#include <string>
#include <string_view>

#include "model/expectation.h"
#include "model/result_set.h"

namespace runbook::expect {

struct TableParseError {
  std::string message;
  int line = 0;  // 1-based line within the table text
};

// Returns nullopt and fills `error` on malformed input (no header, a row with
// the wrong number of cells, a footer that disagrees with the rows, ...).
std::optional<PsqlTable> parse_psql_table(std::string_view text, TableParseError* error);

// Renders `rows` like psql. When `result.complete` is false or more rows
// exist than shown, the footer says how many were shown of how many read.
std::string render_psql_table(const ResultSet& result, std::size_t max_rows = 20);
std::string render_psql_table(const PsqlTable& table);

}  // namespace runbook::expect

#pragma once
// psql's aligned table format, both ways.
//
// Parsing accepts what a user pastes from psql: a header line, an optional
// `---+---` separator, data lines, and an optional `(N rows)` footer. Cells
// are split on `|` and trimmed, so alignment does not matter. A table of one
// column has no `|`. Blank lines before and after the table are ignored; in a
// one-column table a blank line between the header and the last row is a row
// whose cell is empty (NULL or ''), elsewhere blank lines are skipped. The
// `+---+---+` frames and `| a | b |` lines of `\pset border 2` are accepted
// too. A cell that itself contains `|` or a newline cannot be written.
//
// Rendering produces the layout psql prints with the default `\pset border 1`:
//
//      name      | n
//   -------------+----
//    longer text | 12
//    x           |  3
//   (2 rows)
//
// Each column is as wide as its widest cell or header line (see
// display_text.h); headers are centred (the extra space on the right); cells
// are left-aligned, except in a column whose every non-empty cell is a
// number, which is right-aligned as psql does for numeric types (psql decides
// by type, which a text result does not carry); the last column of a row is
// not padded when left-aligned. Multi-line cells continue on following lines
// with psql's `+` markers. NULL shows as an empty cell. The footer is
// `(1 row)` / `(N rows)`, or `(showing K of N rows)` when fewer rows are shown
// than there are, and `(showing K of at least N rows)` when reading stopped
// before the end of the result.

#include "model/expectation.h"
#include "model/result_set.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace runbook::expect {

struct TableParseError {
  std::string message;
  int line = 0;  // 1-based line within the table text
};

// Returns nullopt and fills `error` (when not null) on malformed input: no
// header, a row with another number of cells than the header, a footer that
// disagrees with the rows. A separator line's `+` groups are not checked.
std::optional<PsqlTable> parse_psql_table(std::string_view text, TableParseError* error);

// Renders the first `max_rows` rows of `result` like psql. When `result.complete`
// is false or more rows exist than shown, the footer says how many were shown
// of how many read. Has no trailing newline.
std::string render_psql_table(const ResultSet& result, std::size_t max_rows = 20);
// Renders all rows; an empty cell shows empty. Has no trailing newline.
std::string render_psql_table(const PsqlTable& table);

// "1 row" or "N rows".
std::string rows_words(std::int64_t rows);
// "(1 row)" or "(N rows)".
std::string rows_footer(std::int64_t rows);

}  // namespace runbook::expect

#pragma once
// One value as psql's aligned format shows it (psql's pg_wcsformat).
//
// The value is split into lines at '\n'; a tab becomes spaces up to the next
// multiple of 8 columns; '\r' is shown as `\r`; other control characters as
// `\xHH` (upper-case hex), or `\uHHHH` for the C1 controls U+0080..U+009F. The
// display width of a line counts a wide East Asian character as 2 and a
// combining mark as 0. Bytes that are not valid UTF-8 count 1 each.

#include <string>
#include <string_view>
#include <vector>

namespace runbook::expect {

struct DisplayText {
  std::vector<std::string> lines;  // at least one (an empty value is one empty line)
  std::vector<int> widths;         // display width of each line
  int width = 0;                   // of the widest line
};

DisplayText display_text(std::string_view value);

// Columns a code point takes on a terminal: 0, 1 or 2; -1 for a control.
int code_point_width(char32_t c);

}  // namespace runbook::expect

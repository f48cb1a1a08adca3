#pragma once
// Two texts in two columns, the way a failed check shows expected beside
// actual: psql tables stay aligned line for line.

#include <string>
#include <string_view>
#include <vector>

namespace runbook::adapters {

// Display width of UTF-8 text, one column per code point (box drawing and
// the status symbols are narrow; wide CJK is not worth a table here).
std::size_t display_width(std::string_view text);

// The lines of `left` and `right` under their titles, the left column padded
// to its widest line and the two joined by " │ ". When the two would not fit
// in `max_width` columns the texts are stacked instead ("title:" then the
// text indented by two). Lines carry no trailing newline.
std::vector<std::string> side_by_side(std::string_view left_title, std::string_view left,
                                      std::string_view right_title, std::string_view right,
                                      std::size_t max_width);

}  // namespace runbook::adapters

#pragma once
// Small string helpers shared across the interpreter.

#include <string>
#include <string_view>
#include <vector>

namespace runbook {

std::string_view trim(std::string_view s);
std::vector<std::string_view> split(std::string_view s, char sep);
std::vector<std::string_view> split_lines(std::string_view s);
std::string join(const std::vector<std::string>& parts, std::string_view sep);
std::string to_lower(std::string_view s);
std::string to_upper(std::string_view s);
bool is_valid_id(std::string_view id);  // [a-z0-9][a-z0-9._-]*
// Double-quoted, with backslash escapes for quotes and control characters, for
// messages that quote user input.
std::string quoted(std::string_view s);
// The text indented by `n` spaces on every non-empty line.
std::string indent(std::string_view text, int n);
// A number as psql prints it: integers without a fraction, others shortest-roundtrip.
std::string format_number(double v);

}  // namespace runbook

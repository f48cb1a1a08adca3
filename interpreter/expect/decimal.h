#pragma once
// Numbers as psql prints them, compared exactly.
//
// A cell is a number when the whole text is: an optional sign, digits with an
// optional decimal point (at least one digit), and an optional exponent
// (`e` or `E`, optional sign, digits). So `1`, `-1.50`, `.5`, `1e+20` are
// numbers; `1,000`, ` 1`, `NaN` and `Infinity` are text.
//
// Comparison is exact on the decimal digits (no rounding through double), so
// bigint and numeric values compare correctly at any size: `1.0` = `1`,
// `10` > `9`, `9007199254740993` > `9007199254740992`.

#include <cstdint>
#include <optional>
#include <string_view>

namespace runbook::expect {

// Where the significant digits of a number are inside its text. It holds
// offsets, not pointers, so it stays valid when the text is moved; every use
// must pass the same text it was parsed from.
struct DecimalShape {
  bool negative = false;
  bool zero = true;
  std::int64_t point = 0;                      // value = 0.d1d2d3... * 10^point
  std::uint32_t int_begin = 0, int_len = 0;    // digits before the decimal point
  std::uint32_t frac_begin = 0, frac_len = 0;  // digits after it
  std::uint32_t skip = 0;                      // leading zeros of int+frac digits
  std::uint32_t significant = 0;               // digits after `skip`, trailing zeros dropped
};

// The shape of `text`, or nullopt when it is not a number (see above).
std::optional<DecimalShape> parse_decimal(std::string_view text);
bool is_number(std::string_view text);

// <0, 0, >0 as the value of `a` is less than, equal to, greater than `b`.
int compare_decimals(std::string_view a_text, const DecimalShape& a, std::string_view b_text,
                     const DecimalShape& b);

// The value as a double (for `within`), ±infinity when out of range.
// REQUIRES: is_number(text).
double decimal_to_double(std::string_view text);

}  // namespace runbook::expect

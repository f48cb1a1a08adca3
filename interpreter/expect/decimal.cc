#include "expect/decimal.h"

#include <charconv>
#include <limits>
#include <system_error>

namespace runbook::expect {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// The k-th digit of the mantissa, counting the digits before and after the
// decimal point as one sequence.
char mantissa_digit(std::string_view text, const DecimalShape& d, std::uint32_t k) {
  return k < d.int_len ? text[d.int_begin + k] : text[d.frac_begin + (k - d.int_len)];
}

// Parses an exponent from `i`; false when the `e` has no digits. Huge
// exponents are clamped: no two realistic numbers differ only beyond that.
bool parse_exponent(std::string_view text, std::size_t& i, std::int64_t& exponent) {
  constexpr std::int64_t kClamp = 1'000'000'000'000'000;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    negative = text[i] == '-';
    ++i;
  }
  std::size_t start = i;
  for (; i < text.size() && is_digit(text[i]); ++i) {
    if (exponent < kClamp) {
      exponent = exponent * 10 + (text[i] - '0');
    }
  }
  if (negative) {
    exponent = -exponent;
  }
  return i > start;
}

// Fills in where the significant digits are, once the syntax is known good.
void locate_significant(std::string_view text, DecimalShape& d, std::int64_t exponent) {
  std::uint32_t total = d.int_len + d.frac_len;
  std::uint32_t skip = 0;
  while (skip < total && mantissa_digit(text, d, skip) == '0') {
    ++skip;
  }
  if (skip == total) {
    d.zero = true;
    d.negative = false;  // -0 = 0
    return;
  }
  std::uint32_t end = total;
  while (end > skip && mantissa_digit(text, d, end - 1) == '0') {
    --end;
  }
  d.zero = false;
  d.skip = skip;
  d.significant = end - skip;
  d.point = static_cast<std::int64_t>(d.int_len) - skip + exponent;
}

int compare_magnitudes(std::string_view a_text, const DecimalShape& a, std::string_view b_text,
                       const DecimalShape& b) {
  if (a.point != b.point) {
    return a.point < b.point ? -1 : 1;
  }
  std::uint32_t common = a.significant < b.significant ? a.significant : b.significant;
  for (std::uint32_t k = 0; k < common; ++k) {
    char da = mantissa_digit(a_text, a, a.skip + k);
    char db = mantissa_digit(b_text, b, b.skip + k);
    if (da != db) {
      return da < db ? -1 : 1;
    }
  }
  if (a.significant == b.significant) {
    return 0;
  }
  return a.significant < b.significant ? -1 : 1;
}

int sign_of(const DecimalShape& d) {
  if (d.zero) {
    return 0;
  }
  return d.negative ? -1 : 1;
}

}  // namespace

std::optional<DecimalShape> parse_decimal(std::string_view text) {
  if (text.empty() || text.size() > std::numeric_limits<std::uint32_t>::max()) {
    return std::nullopt;
  }
  DecimalShape d;
  std::size_t i = 0;
  if (text[i] == '+' || text[i] == '-') {
    d.negative = text[i] == '-';
    ++i;
  }
  d.int_begin = static_cast<std::uint32_t>(i);
  while (i < text.size() && is_digit(text[i])) {
    ++i;
  }
  d.int_len = static_cast<std::uint32_t>(i) - d.int_begin;
  if (i < text.size() && text[i] == '.') {
    ++i;
  }
  d.frac_begin = static_cast<std::uint32_t>(i);
  while (i < text.size() && is_digit(text[i])) {
    ++i;
  }
  d.frac_len = static_cast<std::uint32_t>(i) - d.frac_begin;
  if (d.int_len + d.frac_len == 0) {
    return std::nullopt;
  }
  std::int64_t exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (!parse_exponent(text, i, exponent)) {
      return std::nullopt;
    }
  }
  if (i != text.size()) {
    return std::nullopt;
  }
  locate_significant(text, d, exponent);
  return d;
}

bool is_number(std::string_view text) {
  return parse_decimal(text).has_value();
}

int compare_decimals(std::string_view a_text, const DecimalShape& a, std::string_view b_text,
                     const DecimalShape& b) {
  int sa = sign_of(a), sb = sign_of(b);
  if (sa != sb) {
    return sa < sb ? -1 : 1;
  }
  if (sa == 0) {
    return 0;
  }
  int magnitude = compare_magnitudes(a_text, a, b_text, b);
  return sa < 0 ? -magnitude : magnitude;
}

double decimal_to_double(std::string_view text) {
  std::string_view digits = text;
  if (!digits.empty() && digits.front() == '+') {
    digits.remove_prefix(1);  // from_chars takes no '+'
  }
  double value = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error == std::errc::result_out_of_range) {
    std::optional<DecimalShape> d = parse_decimal(text);
    if (d && d->point > 0) {
      return d->negative ? -std::numeric_limits<double>::infinity()
                         : std::numeric_limits<double>::infinity();
    }
    return 0;
  }
  return value;
}

}  // namespace runbook::expect

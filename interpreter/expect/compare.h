#pragma once
// Comparing values as psql prints them (DESIGN §1 "Expectations").
//
// When both sides parse as numbers they compare as numbers (exactly, see
// decimal.h); otherwise as text, in byte order. Booleans are `t`/`f` (an
// expected `true`/`false`, in any case, matches them). An empty expected cell
// matches NULL or the empty string.
//
// NULL: a NULL actual only equals an empty expected cell. So NULL satisfies
// `eq ""`, `ne x` (x not empty) and `in [..., "", ...]`, and fails every other
// operator (ordering, between, matches, within).
//
// Operators: eq ne lt le gt ge; between [a, b] (inclusive); in [...] (equals
// one of them); matches REGEX (ECMAScript, searched anywhere in the cell like
// PostgreSQL's `~`: anchor with ^...$ to match the whole cell); within
// {of: X, pct: P}: both are numbers and |actual - X| <= |X| * P / 100.

#include "expect/decimal.h"
#include "model/expectation.h"
#include "model/result_set.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace runbook::expect {

struct CompiledRegex;  // std::regex, kept out of this header (compare.cc)

// An expected value prepared once (is it a number? a boolean word?) and then
// compared with many actual cells without allocating.
class ExpectedValue {
 public:
  explicit ExpectedValue(std::string text);

  const std::string& text() const { return text_; }
  bool is_number() const { return number_.has_value(); }
  // Does `actual` equal this value as psql prints it (see the file comment)?
  bool equals(const Cell& actual) const;
  bool equals(std::string_view actual) const;
  // <0, 0, >0 as `actual` orders before, equal to, after this value: as
  // numbers when both are, else in byte order.
  int compare(std::string_view actual) const;

 private:
  std::string text_;
  std::optional<DecimalShape> number_;
  char boolean_ = 0;  // 't' or 'f' when the text is true/false in any case
};

// A Comparison prepared once (operands parsed, regex compiled) and applied to
// many cells. Cheap to copy (the compiled regex is shared).
class Matcher {
 public:
  explicit Matcher(const Comparison& c);

  bool operator()(const Cell& actual) const;
  // Why this comparison cannot be applied (wrong operand count, invalid
  // regex); empty when it can. A Matcher with an error is never satisfied.
  const std::string& error() const { return error_; }

 private:
  bool satisfied_by(std::string_view actual) const;
  bool null_satisfies() const;

  CompareOp op_;
  std::vector<ExpectedValue> operands_;
  double pct_ = 0;
  std::shared_ptr<const CompiledRegex> regex_;
  std::string error_;
};

bool cells_equal(const Cell& actual, std::string_view expected);
// Does `actual` satisfy the comparison? A NULL only satisfies eq "" / ne x.
// For many cells, build a Matcher once instead.
bool satisfies(const Cell& actual, const Comparison& c);
// The comparison in words: "= 0", "!= x", ">= 140000", "between 1 and 5",
// "in (a, b)", "matches /re/", "within 5% of 100". An empty operand is `''`.
std::string describe(const Comparison& c);
// A problem that makes the comparison unusable, in words (for the loader to
// report at load time), or nullopt when it is fine: the operand count of the
// operator, an invalid regex, a `within` reference that is not a number or a
// negative pct. Operands holding `{{` are templates not rendered yet and are
// only checked for their count; validate again after rendering.
std::optional<std::string> validate(const Comparison& c);

}  // namespace runbook::expect

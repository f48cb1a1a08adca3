// GCC 12's <regex> trips -Wmaybe-uninitialized (a false positive inside
// std::function in the regex compiler) when built with -fsanitize; this file
// is the only one that instantiates it.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include "expect/compare.h"

#include "base/strings.h"

#include <fmt/format.h>

#include <cmath>
#include <optional>
#include <regex>
#include <string_view>

namespace runbook::expect {

// A pattern that is only literal text, perhaps anchored, is matched with
// string operations: the same answer as the regex, many times faster on the
// millions of cells an `each:` check may read.
struct LiteralPattern {
  std::string text;
  bool at_start = false;  // ^text
  bool at_end = false;    // text$

  static std::optional<LiteralPattern> of(std::string_view pattern) {
    LiteralPattern p;
    if (!pattern.empty() && pattern.front() == '^') {
      p.at_start = true;
      pattern.remove_prefix(1);
    }
    if (!pattern.empty() && pattern.back() == '$') {
      p.at_end = true;
      pattern.remove_suffix(1);
    }
    if (pattern.find_first_of("\\^$.|?*+()[]{}") != std::string_view::npos) {
      return std::nullopt;
    }
    p.text = std::string(pattern);
    return p;
  }

  bool found_in(std::string_view actual) const {
    if (at_start && at_end) {
      return actual == text;
    }
    if (at_start) {
      return actual.starts_with(text);
    }
    if (at_end) {
      return actual.ends_with(text);
    }
    return actual.find(text) != std::string_view::npos;
  }
};

struct CompiledRegex {
  std::regex regex;
  std::optional<LiteralPattern> literal;

  bool found_in(std::string_view actual) const {
    if (literal) {
      return literal->found_in(actual);
    }
    return std::regex_search(actual.begin(), actual.end(), regex);
  }
};

namespace {

bool is_template(std::string_view operand) {
  return operand.find("{{") != std::string_view::npos;
}

// How many operands each operator takes, as a message when the count is wrong.
std::optional<std::string> operand_count_problem(const Comparison& c) {
  std::size_t n = c.operands.size();
  switch (c.op) {
    case CompareOp::between:
      if (n != 2) {
        return fmt::format("between takes two values [low, high], got {}", n);
      }
      return std::nullopt;
    case CompareOp::in:
      if (n == 0) {
        return std::string("in takes a list of at least one value");
      }
      return std::nullopt;
    case CompareOp::within:
      if (n != 1) {
        return std::string("within takes { of: X, pct: P }");
      }
      return std::nullopt;
    default:
      if (n != 1) {
        return fmt::format("{} takes one value, got {}", to_string(c.op), n);
      }
      return std::nullopt;
  }
}

// `allow_templates`: an unrendered `{{ }}` reference is accepted for now.
std::optional<std::string> within_problem(const Comparison& c, bool allow_templates) {
  const std::string& of = c.operands.front();
  if (!(allow_templates && is_template(of)) && !is_number(of)) {
    return fmt::format("within needs a number for `of`, got {}", quoted(of));
  }
  if (!std::isfinite(c.pct) || c.pct < 0) {
    return fmt::format("within needs a pct of 0 or more, got {}", format_number(c.pct));
  }
  return std::nullopt;
}

// Compiles once; the error is the text an author sees.
std::shared_ptr<const CompiledRegex> compile_regex(const std::string& pattern, std::string* error) {
  try {
    return std::make_shared<const CompiledRegex>(
        CompiledRegex{std::regex(pattern, std::regex::ECMAScript), LiteralPattern::of(pattern)});
  } catch (const std::regex_error& e) {
    *error = fmt::format("invalid regular expression /{}/: {}", pattern, e.what());
    return nullptr;
  }
}

std::string show_operand(const std::string& operand) {
  return operand.empty() ? "''" : operand;
}

const std::string& operand_or_unknown(const Comparison& c, std::size_t i) {
  static const std::string kUnknown = "?";
  return i < c.operands.size() ? c.operands[i] : kUnknown;
}

}  // namespace

ExpectedValue::ExpectedValue(std::string text) : text_(std::move(text)) {
  number_ = parse_decimal(text_);
  std::string lower = to_lower(text_);
  if (lower == "true" || lower == "false") {
    boolean_ = lower[0];
  }
}

bool ExpectedValue::equals(const Cell& actual) const {
  if (!actual) {
    return text_.empty();
  }
  return equals(std::string_view(*actual));
}

bool ExpectedValue::equals(std::string_view actual) const {
  if (actual == text_) {
    return true;
  }
  if (boolean_ != 0) {
    return actual.size() == 1 && actual[0] == boolean_;
  }
  if (number_) {
    std::optional<DecimalShape> a = parse_decimal(actual);
    return a && compare_decimals(actual, *a, text_, *number_) == 0;
  }
  return false;
}

int ExpectedValue::compare(std::string_view actual) const {
  if (number_) {
    if (std::optional<DecimalShape> a = parse_decimal(actual)) {
      return compare_decimals(actual, *a, text_, *number_);
    }
  }
  int c = actual.compare(text_);  // char_traits<char> orders as unsigned bytes
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

Matcher::Matcher(const Comparison& c) : op_(c.op), pct_(c.pct) {
  if (std::optional<std::string> problem = operand_count_problem(c)) {
    error_ = *problem;
    return;
  }
  operands_.reserve(c.operands.size());
  for (const std::string& operand : c.operands) {
    operands_.emplace_back(operand);
  }
  if (op_ == CompareOp::within) {
    error_ = within_problem(c, false).value_or("");
  }
  if (op_ == CompareOp::matches) {
    regex_ = compile_regex(c.operands.front(), &error_);
  }
}

bool Matcher::operator()(const Cell& actual) const {
  if (!error_.empty()) {
    return false;
  }
  return actual ? satisfied_by(*actual) : null_satisfies();
}

bool Matcher::null_satisfies() const {
  switch (op_) {
    case CompareOp::eq:
      return operands_.front().text().empty();
    case CompareOp::ne:
      return !operands_.front().text().empty();
    case CompareOp::in:
      for (const ExpectedValue& v : operands_) {
        if (v.text().empty()) {
          return true;
        }
      }
      return false;
    default:
      return false;
  }
}

bool Matcher::satisfied_by(std::string_view actual) const {
  const ExpectedValue& first = operands_.front();
  switch (op_) {
    case CompareOp::eq:
      return first.equals(actual);
    case CompareOp::ne:
      return !first.equals(actual);
    case CompareOp::lt:
      return first.compare(actual) < 0;
    case CompareOp::le:
      return first.compare(actual) <= 0;
    case CompareOp::gt:
      return first.compare(actual) > 0;
    case CompareOp::ge:
      return first.compare(actual) >= 0;
    case CompareOp::between:
      return first.compare(actual) >= 0 && operands_[1].compare(actual) <= 0;
    case CompareOp::in:
      for (const ExpectedValue& v : operands_) {
        if (v.equals(actual)) {
          return true;
        }
      }
      return false;
    case CompareOp::matches:
      try {
        return regex_->found_in(actual);
      } catch (const std::regex_error&) {
        return false;  // too complex to run on this cell: it does not match
      }
    case CompareOp::within: {
      if (!is_number(actual)) {
        return false;
      }
      double of = decimal_to_double(first.text());
      return std::fabs(decimal_to_double(actual) - of) <= std::fabs(of) * pct_ / 100;
    }
  }
  return false;
}

bool cells_equal(const Cell& actual, std::string_view expected) {
  return ExpectedValue(std::string(expected)).equals(actual);
}

bool satisfies(const Cell& actual, const Comparison& c) {
  return Matcher(c)(actual);
}

std::string describe(const Comparison& c) {
  auto operand = [&c](std::size_t i) { return show_operand(operand_or_unknown(c, i)); };
  switch (c.op) {
    case CompareOp::eq:
      return "= " + operand(0);
    case CompareOp::ne:
      return "!= " + operand(0);
    case CompareOp::lt:
      return "< " + operand(0);
    case CompareOp::le:
      return "<= " + operand(0);
    case CompareOp::gt:
      return "> " + operand(0);
    case CompareOp::ge:
      return ">= " + operand(0);
    case CompareOp::between:
      return fmt::format("between {} and {}", operand(0), operand(1));
    case CompareOp::in: {
      std::vector<std::string> shown;
      for (const std::string& o : c.operands) {
        shown.push_back(show_operand(o));
      }
      return "in (" + join(shown, ", ") + ")";
    }
    case CompareOp::matches:
      return "matches /" + operand_or_unknown(c, 0) + "/";
    case CompareOp::within:
      return fmt::format("within {}% of {}", format_number(c.pct), operand(0));
  }
  return "?";
}

std::optional<std::string> validate(const Comparison& c) {
  if (std::optional<std::string> problem = operand_count_problem(c)) {
    return problem;
  }
  if (c.op == CompareOp::within) {
    return within_problem(c, true);
  }
  if (c.op == CompareOp::matches && !is_template(c.operands.front())) {
    std::string error;
    if (!compile_regex(c.operands.front(), &error)) {
      return error;
    }
  }
  return std::nullopt;
}

}  // namespace runbook::expect

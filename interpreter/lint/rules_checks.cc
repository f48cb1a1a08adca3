// Checks that decide nothing: an expectation that holds whatever the result
// (a gate that never stops anything) or that can never hold.
//
// Row counts and affected counts are never negative, and no check result
// realistically has a billion rows; beyond that the operands are compared
// as the numbers they are written as.
#include "base/strings.h"
#include "lint/rule_kit.h"

#include <charconv>
#include <cmath>

namespace runbook::lint {

namespace {

constexpr double kHuge = 1e9;

std::optional<double> number(const std::string& text) {
  double v = 0;
  std::string_view t = trim(text);
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || end != t.data() + t.size()) {
    return std::nullopt;
  }
  return v;
}

std::optional<double> operand(const Comparison& c, std::size_t i) {
  return i < c.operands.size() ? number(c.operands[i]) : std::nullopt;
}

// For a count (rows, affected): "always" when any count passes, "never"
// when none does, "" otherwise.
std::string count_verdict(const Comparison& c) {
  std::optional<double> x = operand(c, 0);
  std::optional<double> y = operand(c, 1);
  switch (c.op) {
    case CompareOp::ge:
      return x && *x <= 0 ? "always" : "";
    case CompareOp::gt:
      return x && *x < 0 ? "always" : "";
    case CompareOp::ne:
      return x && (*x < 0 || *x != std::floor(*x)) ? "always" : "";
    case CompareOp::le:
      return x && *x >= kHuge ? "always" : x && *x < 0 ? "never" : "";
    case CompareOp::lt:
      return x && *x >= kHuge ? "always" : x && *x <= 0 ? "never" : "";
    case CompareOp::eq:
      return x && (*x < 0 || *x != std::floor(*x)) ? "never" : "";
    case CompareOp::between:
      if (x && y && *x > *y) {
        return "never";
      }
      return x && y && *x <= 0 && *y >= kHuge ? "always" : y && *y < 0 ? "never" : "";
    default:
      break;
  }
  return "";
}

std::string value_verdict(const Comparison& c) {
  if (c.op == CompareOp::matches && !c.operands.empty()) {
    const std::string& re = c.operands[0];
    return re.empty() || re == ".*" || re == "^.*$" || re == "^" || re == "$" ? "always" : "";
  }
  if (c.op == CompareOp::between) {
    std::optional<double> x = operand(c, 0);
    std::optional<double> y = operand(c, 1);
    return x && y && *x > *y ? "never" : "";
  }
  return "";
}

std::string verdict(const Check& check) {
  switch (check.kind) {
    case CheckKind::rows:
    case CheckKind::affected:
      return count_verdict(check.comparison);
    case CheckKind::value:
      return value_verdict(check.comparison);
    default:
      break;
  }
  return "";
}

std::string described(const Check& check) {
  return std::string(to_string(check.kind)) + ": {" + to_string(check.comparison.op) + ": " +
         join(check.comparison.operands, ", ") + "}";
}

// Every expectation of the step: its own and its verify's.
std::vector<const Expectation*> expectations(const plan::PlannedStep& step) {
  std::vector<const Expectation*> out;
  if (step.expect) {
    out.push_back(&*step.expect);
  }
  if (step.verify) {
    out.push_back(&step.verify->expect);
  }
  return out;
}

void each_verdict(const StepContext& ctx, bool always, Reports& out) {
  for (const Expectation* e : expectations(ctx.step)) {
    for (const Check& check : e->checks) {
      std::string v = verdict(check);
      if (v.empty() || (v == "never") == always) {
        continue;
      }
      std::string why = v == "never" ? "no result can satisfy it" : "every result satisfies it";
      Report r{"`" + described(check) + "` cannot " + (always ? "fail" : "hold") + ": " + why};
      if (check.where.known()) {
        r.where = check.where;
      }
      out.push_back(std::move(r));
    }
  }
}

void cannot_fail(const StepContext& ctx, Reports& out) {
  each_verdict(ctx, true, out);
}
void cannot_pass(const StepContext& ctx, Reports& out) {
  each_verdict(ctx, false, out);
}

}  // namespace

void add_check_rules(std::vector<Rule>& rules) {
  rules.push_back({"check-cannot-fail", Severity::warning, "a check that holds for any result",
                   "check what must be true for the change to be safe (rows: 0, value: {le: N}, "
                   "a table of expected rows), or drop the check",
                   cannot_fail});
  rules.push_back({"check-cannot-pass", Severity::error, "a check that no result can satisfy",
                   "fix the bounds (between: [low, high]; counts are never negative)",
                   cannot_pass});
}

}  // namespace runbook::lint

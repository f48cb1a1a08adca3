// The checks that look at one number or one value: rows, value, columns,
// same_as, affected, exit_code, stdout_contains.

#include "base/strings.h"
#include "expect/compare.h"
#include "expect/evaluator.h"
#include "expect/psql_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace runbook::expect {
namespace {

// A bound as a row count, when the operand is a usable number.
std::optional<double> bound_of(const std::string& operand) {
  if (!is_number(operand)) {
    return std::nullopt;
  }
  double v = decimal_to_double(operand);
  if (!std::isfinite(v) || std::fabs(v) > 9e18) {
    return std::nullopt;
  }
  return v;
}

std::optional<double> largest_bound(const std::vector<std::string>& operands) {
  std::optional<double> largest;
  for (const std::string& o : operands) {
    std::optional<double> v = bound_of(o);
    if (!v) {
      return std::nullopt;
    }
    largest = std::max(largest.value_or(*v), *v);
  }
  return largest;
}

// The count passes every allowed value once it passes between's high end or
// in's largest value.
std::optional<double> highest_allowed(const Comparison& c) {
  if (c.op == CompareOp::in) {
    return largest_bound(c.operands);
  }
  return c.operands.size() == 2 ? bound_of(c.operands[1]) : std::nullopt;
}

// When a growing row count settles a comparison: it fails for good once the
// count passes `fail_above`, and holds for good once it reaches `hold_from`.
struct CountBounds {
  std::optional<std::int64_t> fail_above, hold_from;
};

CountBounds bounds_of(const Comparison& c) {
  auto floor_of = [](double v) { return static_cast<std::int64_t>(std::floor(v)); };
  auto ceil_of = [](double v) { return static_cast<std::int64_t>(std::ceil(v)); };
  CountBounds b;
  if (c.op == CompareOp::between || c.op == CompareOp::in) {
    if (std::optional<double> high = highest_allowed(c)) {
      b.fail_above = floor_of(*high);
    }
    return b;
  }
  std::optional<double> v = c.operands.empty() ? std::nullopt : bound_of(c.operands.front());
  if (!v || c.op == CompareOp::matches) {
    return b;
  }
  switch (c.op) {
    case CompareOp::eq:
    case CompareOp::le:
      b.fail_above = floor_of(*v);
      break;
    case CompareOp::lt:
      b.fail_above = ceil_of(*v) - 1;
      break;
    case CompareOp::ge:
      b.hold_from = ceil_of(*v);
      break;
    case CompareOp::gt:
      b.hold_from = floor_of(*v) + 1;
      break;
    // A count never equals a fraction: `ne 1.5` holds from the start.
    case CompareOp::ne:
      b.hold_from = *v == std::floor(*v) ? floor_of(*v) + 1 : 0;
      break;
    case CompareOp::within:
      b.fail_above = floor_of(*v + std::fabs(*v) * std::fabs(c.pct) / 100);
      break;
    default:
      break;
  }
  return b;
}

class RowsCheck : public CheckEvaluator {
 public:
  explicit RowsCheck(const Check& c)
      : CheckEvaluator(c), matcher_(c.comparison), bounds_(bounds_of(c.comparison)) {
    settle(0);
  }
  void row(const Row&, std::int64_t number) override { settle(number); }
  CheckOutcome finish(const ResultFacts& facts) override {
    bool held = decided() ? held_early_ : matcher_(std::to_string(facts.sample.row_count));
    return outcome(held, count_words(facts.sample));
  }

 private:
  void settle(std::int64_t count) {
    if (bounds_.fail_above && count > *bounds_.fail_above) {
      decide();
    } else if (bounds_.hold_from && count >= *bounds_.hold_from) {
      held_early_ = true;
      decide();
    }
  }
  Matcher matcher_;
  CountBounds bounds_;
  bool held_early_ = false;
};

class ValueCheck : public CheckEvaluator {
 public:
  explicit ValueCheck(const Check& c) : CheckEvaluator(c), matcher_(c.comparison) {}
  void begin(const std::vector<std::string>& columns) override {
    if (columns.size() != 1) {
      decide();
    }
  }
  void row(const Row& cells, std::int64_t number) override {
    if (number == 1) {
      value_ = cells.empty() ? Cell() : cells.front();
    } else {
      decide();  // a second row: not a single value, whatever follows
    }
  }
  CheckOutcome finish(const ResultFacts& facts) override {
    const ResultSet& r = facts.sample;
    if (r.columns.size() != 1 && !r.columns.empty()) {
      return outcome(false, fmt::format("{} columns: {}", r.columns.size(), join(r.columns, ", ")));
    }
    if (r.row_count == 0) {
      return outcome(false, "no rows");
    }
    if (r.row_count > 1) {
      return outcome(false, count_words(r) + ":\n" + shown_result(r));
    }
    return outcome(matcher_(value_), value_words(value_));
  }

 private:
  Matcher matcher_;
  Cell value_;
};

class ColumnsCheck : public CheckEvaluator {
 public:
  explicit ColumnsCheck(const Check& c) : CheckEvaluator(c) { decide(); }
  CheckOutcome finish(const ResultFacts& facts) override {
    const std::vector<std::string>& actual = facts.sample.columns;
    bool held = actual.size() == check().names.size();
    for (std::size_t j = 0; held && j < actual.size(); ++j) {
      held = trim(actual[j]) == trim(check().names[j]);
    }
    return outcome(held, actual.empty() ? "no columns" : "columns: " + join(actual, ", "));
  }
};

// affected and exit_code: a number known only at the end.
class FactCheck : public CheckEvaluator {
 public:
  explicit FactCheck(const Check& c) : CheckEvaluator(c), matcher_(c.comparison) { decide(); }
  CheckOutcome finish(const ResultFacts& facts) override {
    if (check().kind == CheckKind::affected) {
      if (!facts.affected) {
        return outcome(false, "no count of rows affected (the statement reported none)");
      }
      return outcome(matcher_(std::to_string(*facts.affected)),
                     rows_words(*facts.affected) + " affected");
    }
    if (facts.command == nullptr) {
      return outcome(false, "no exit code (not a command step)");
    }
    return outcome(matcher_(std::to_string(facts.command->exit_code)),
                   fmt::format("exit code {}", facts.command->exit_code));
  }

 private:
  Matcher matcher_;
};

// The first lines of a command's output, for a report.
std::string output_excerpt(const std::string& text) {
  constexpr std::size_t kLines = 10;
  std::vector<std::string_view> lines = split_lines(text);
  std::string out;
  for (std::size_t i = 0; i < lines.size() && i < kLines; ++i) {
    out += "\n  ";
    out += lines[i];
  }
  if (lines.size() > kLines) {
    out += fmt::format("\n  ... ({} more lines)", lines.size() - kLines);
  }
  return out;
}

class StdoutCheck : public CheckEvaluator {
 public:
  explicit StdoutCheck(const Check& c) : CheckEvaluator(c) { decide(); }
  CheckOutcome finish(const ResultFacts& facts) override {
    if (facts.command == nullptr) {
      return outcome(false, "no output (not a command step)");
    }
    const std::string& out = facts.command->stdout_text;
    if (out.find(check().text) != std::string::npos) {
      return outcome(true, "stdout contains " + quoted(check().text));
    }
    if (out.empty()) {
      return outcome(false, "stdout is empty");
    }
    return outcome(false, "stdout does not contain it; it reads:" + output_excerpt(out));
  }
};

class SameAsCheck : public CheckEvaluator {
 public:
  SameAsCheck(const Check& c, const CaptureLookup* captures)
      : CheckEvaluator(c), capture_(captures != nullptr ? captures->find(c.text) : nullptr) {
    if (capture_ == nullptr) {
      decide();
    }
  }
  void begin(const std::vector<std::string>& columns) override {
    if (columns != capture_->columns) {
      decide();
    }
  }
  void row(const Row& cells, std::int64_t number) override {
    digest_.add(cells);
    if (number > capture_->row_count) {
      decide();
    }
  }
  CheckOutcome finish(const ResultFacts& facts) override {
    if (capture_ == nullptr) {
      return outcome(false, fmt::format("no capture named {} (a step before this one must have "
                                        "`capture: {}`)",
                                        quoted(check().text), check().text));
    }
    CheckOutcome o =
        outcome(same(facts.sample), words(facts.sample.columns, count_words(facts.sample)));
    o.expected += " (" + words(capture_->columns, rows_words(capture_->row_count)) + ")";
    if (!o.held && facts.sample.complete && facts.sample.columns == capture_->columns &&
        facts.sample.row_count == capture_->row_count) {
      o.actual += "; as many rows, but not the same rows";
    }
    return o;
  }

 private:
  static std::string words(const std::vector<std::string>& columns, const std::string& count) {
    return count + ", columns: " + (columns.empty() ? "none" : join(columns, ", "));
  }
  bool same(const ResultSet& r) const {
    return r.complete && r.columns == capture_->columns && r.row_count == capture_->row_count &&
           digest_.hex() == capture_->digest;
  }
  const CapturedResult* capture_;
  RowDigest digest_;
};

}  // namespace

std::unique_ptr<CheckEvaluator> make_scalar_check(const Check& check,
                                                  const CaptureLookup* captures) {
  switch (check.kind) {
    case CheckKind::rows:
      return std::make_unique<RowsCheck>(check);
    case CheckKind::value:
      return std::make_unique<ValueCheck>(check);
    case CheckKind::columns:
      return std::make_unique<ColumnsCheck>(check);
    case CheckKind::same_as:
      return std::make_unique<SameAsCheck>(check, captures);
    case CheckKind::affected:
    case CheckKind::exit_code:
      return std::make_unique<FactCheck>(check);
    case CheckKind::stdout_contains:
      return std::make_unique<StdoutCheck>(check);
    default:
      return nullptr;
  }
}

}  // namespace runbook::expect

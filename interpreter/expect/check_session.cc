#include "expect/check_session.h"

#include "base/strings.h"
#include "expect/compare.h"
#include "expect/evaluator.h"
#include "expect/psql_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace runbook::expect {

struct CheckSession::Impl {
  std::vector<std::unique_ptr<CheckEvaluator>> checks;
  std::vector<CheckEvaluator*> undecided;  // the checks still reading rows, in order
  ResultSet sample;
  std::size_t sample_rows = 0;
  bool ended = false;

  void drop_decided() {
    std::erase_if(undecided, [](const CheckEvaluator* c) { return c->decided(); });
  }
};

CheckSession::CheckSession(const Expectation& expectation, const CaptureLookup* captures,
                           std::size_t sample_rows)
    : impl_(std::make_unique<Impl>()) {
  impl_->sample_rows = sample_rows;
  for (const Check& check : expectation.checks) {
    impl_->checks.push_back(make_evaluator(check, captures));
    impl_->undecided.push_back(impl_->checks.back().get());
  }
  impl_->drop_decided();
}

CheckSession::~CheckSession() = default;

void CheckSession::begin(const std::vector<std::string>& columns) {
  impl_->sample.columns = columns;
  for (CheckEvaluator* c : impl_->undecided) {
    c->begin(columns);
  }
  impl_->drop_decided();
}

void CheckSession::row(const Row& cells) {
  Impl& s = *impl_;
  std::int64_t number = ++s.sample.row_count;
  if (s.sample.rows.size() < s.sample_rows) {
    s.sample.rows.push_back(cells);
  }
  bool any_decided = false;
  for (CheckEvaluator* c : s.undecided) {
    c->row(cells, number);
    any_decided = any_decided || c->decided();
  }
  if (any_decided) {
    s.drop_decided();
  }
}

bool CheckSession::wants_more() const {
  return !impl_->undecided.empty() || impl_->sample.rows.size() < impl_->sample_rows;
}

void CheckSession::end_of_result() {
  impl_->ended = true;
}

Verdict CheckSession::finish(std::optional<std::int64_t> affected, const CommandFacts* command) {
  Impl& s = *impl_;
  // A caller stops reading only when the session no longer wants rows.
  s.sample.complete = s.ended || wants_more();
  s.sample.affected = affected;
  Verdict verdict;
  ResultFacts facts{s.sample, affected, command};
  for (const std::unique_ptr<CheckEvaluator>& c : s.checks) {
    verdict.outcomes.push_back(c->finish(facts));
    verdict.held = verdict.held && verdict.outcomes.back().held;
  }
  verdict.sample = std::move(s.sample);
  return verdict;
}

CaptureBuilder::CaptureBuilder(std::size_t keep_rows) : keep_rows_(keep_rows) {}

void CaptureBuilder::begin(const std::vector<std::string>& columns) {
  result_.columns = columns;
}

void CaptureBuilder::row(const Row& cells) {
  ++result_.row_count;
  if (result_.rows.size() < keep_rows_) {
    result_.rows.push_back(cells);
  }
  digest_.add(cells);
}

CapturedResult CaptureBuilder::finish() {
  result_.digest = digest_.hex();
  return std::move(result_);
}

namespace {

std::string conditions_words(const std::vector<ColumnCondition>& conditions) {
  std::vector<std::string> parts;
  for (const ColumnCondition& c : conditions) {
    parts.push_back(c.column + " " + describe(c.comparison));
  }
  return join(parts, " and ");
}

// "5 rows" for `eq 5`, else "<what> >= 5".
std::string count_words(const Comparison& c, std::string_view what) {
  if (c.op == CompareOp::eq && c.operands.size() == 1) {
    const std::string& n = c.operands.front();
    return n + (n == "1" ? " row" : " rows");
  }
  return fmt::format("{} {}", what, describe(c));
}

}  // namespace

std::string describe(const Check& check) {
  switch (check.kind) {
    case CheckKind::rows:
      return count_words(check.comparison, "rows");
    case CheckKind::value:
      return "value " + describe(check.comparison);
    case CheckKind::table:
      return std::string(check.ordered ? "table, in this order:\n" : "table, in any order:\n") +
             render_psql_table(check.table);
    case CheckKind::contains:
      return "contains these rows:\n" + render_psql_table(check.table);
    case CheckKind::each:
      return "every row has " + conditions_words(check.conditions);
    case CheckKind::none:
      return "no row has " + conditions_words(check.conditions);
    case CheckKind::columns:
      return "columns: " + join(check.names, ", ");
    case CheckKind::same_as:
      return "same result as captures." + check.text;
    case CheckKind::affected: {
      std::string words = count_words(check.comparison, "rows affected");
      return check.comparison.op == CompareOp::eq ? words + " affected" : words;
    }
    case CheckKind::exit_code:
      return "exit code " + describe(check.comparison);
    case CheckKind::stdout_contains:
      return "stdout contains " + quoted(check.text);
  }
  return to_string(check.kind);
}

std::vector<std::string> describe(const Expectation& e) {
  std::vector<std::string> lines;
  for (const Check& check : e.checks) {
    lines.push_back(describe(check));
  }
  return lines;
}

namespace {

// Counts (rows, affected, exit codes) are numbers: a word can only be a typo.
std::optional<std::string> count_problem(const Check& check) {
  const Comparison& c = check.comparison;
  if (c.op == CompareOp::matches) {
    return std::nullopt;
  }
  for (const std::string& operand : c.operands) {
    if (!is_number(operand) && operand.find("{{") == std::string::npos) {
      return fmt::format("{} compares a count, but {} is not a number", to_string(check.kind),
                         quoted(operand));
    }
  }
  return std::nullopt;
}

std::optional<std::string> duplicate_problem(const std::vector<std::string>& names,
                                             std::string_view what) {
  std::set<std::string_view> seen;
  for (const std::string& name : names) {
    if (!seen.insert(trim(name)).second) {
      return fmt::format("{} {} is listed twice", what, quoted(trim(name)));
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> validate(const Check& check) {
  switch (check.kind) {
    case CheckKind::rows:
    case CheckKind::affected:
    case CheckKind::exit_code:
      if (std::optional<std::string> p = validate(check.comparison)) {
        return p;
      }
      return count_problem(check);
    case CheckKind::value:
      return validate(check.comparison);
    case CheckKind::each:
    case CheckKind::none:
      for (const ColumnCondition& c : check.conditions) {
        if (std::optional<std::string> p = validate(c.comparison)) {
          return fmt::format("{}: {}", c.column, *p);
        }
      }
      return std::nullopt;
    // Results may repeat a name (two `count` columns); contains looks columns up by name.
    case CheckKind::contains:
      return duplicate_problem(check.table.columns, "column");
    case CheckKind::columns:
    case CheckKind::table:
      return std::nullopt;
    case CheckKind::same_as:
      if (check.text.empty()) {
        return std::string("same_as needs the name of a capture");
      }
      return std::nullopt;
    case CheckKind::stdout_contains:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace runbook::expect

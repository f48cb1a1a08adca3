// The checks that look at whole rows: table, contains, each, none.

#include "base/strings.h"
#include "expect/compare.h"
#include "expect/evaluator.h"
#include "expect/psql_table.h"

#include <fmt/format.h>

namespace runbook::expect {
namespace {

using ExpectedRow = std::vector<ExpectedValue>;

std::vector<ExpectedRow> prepare_rows(const PsqlTable& table) {
  std::vector<ExpectedRow> rows;
  rows.reserve(table.rows.size());
  for (const std::vector<std::string>& cells : table.rows) {
    ExpectedRow& row = rows.emplace_back();
    row.reserve(cells.size());
    for (const std::string& cell : cells) {
      row.emplace_back(cell);
    }
  }
  return rows;
}

const Cell& cell_at(const Row& row, std::size_t j) {
  static const Cell kNull;
  return j < row.size() ? row[j] : kNull;
}

// Does the actual row equal the expected one, cell by cell? `positions` maps
// expected columns to actual ones (empty: the same positions).
bool row_equals(const ExpectedRow& expected, const Row& actual,
                const std::vector<std::size_t>& positions = {}) {
  if (positions.empty() && actual.size() != expected.size()) {
    return false;
  }
  for (std::size_t j = 0; j < expected.size(); ++j) {
    if (!expected[j].equals(cell_at(actual, positions.empty() ? j : positions[j]))) {
      return false;
    }
  }
  return true;
}

bool same_columns(const std::vector<std::string>& actual,
                  const std::vector<std::string>& expected) {
  if (actual.size() != expected.size()) {
    return false;
  }
  for (std::size_t j = 0; j < actual.size(); ++j) {
    if (trim(actual[j]) != trim(expected[j])) {
      return false;
    }
  }
  return true;
}

// `table:` — the rows equal the expected table, in order or as a multiset.
class TableCheck : public CheckEvaluator {
 public:
  explicit TableCheck(const Check& c)
      : CheckEvaluator(c), expected_(prepare_rows(c.table)), owner_(expected_.size(), -1) {}

  void begin(const std::vector<std::string>& columns) override {
    begun_ = true;
    if (!same_columns(columns, check().table.columns)) {
      fail("the columns differ: " + (columns.empty() ? "none" : join(columns, ", ")));
    }
  }
  void row(const Row& cells, std::int64_t number) override;
  CheckOutcome finish(const ResultFacts& facts) override;

 private:
  void fail(std::string why) {
    failure_ = std::move(why);
    decide();
  }
  bool assign(std::size_t actual);
  std::string missing_rows() const;

  std::vector<ExpectedRow> expected_;
  std::vector<Row> actual_;  // unordered: at most as many as expected_
  std::vector<long> owner_;  // unordered: the actual row matched to each expected row
  std::vector<char> visited_;
  std::string failure_;
  bool begun_ = false;
};

void TableCheck::row(const Row& cells, std::int64_t number) {
  auto index = static_cast<std::size_t>(number - 1);
  if (index >= expected_.size()) {
    fail("more rows than the table's " + rows_words(static_cast<std::int64_t>(expected_.size())));
    return;
  }
  if (check().ordered) {
    if (!row_equals(expected_[index], cells)) {
      fail(fmt::format("row {} differs: {}", number, row_words(check().table.columns, cells)));
    }
    return;
  }
  actual_.push_back(cells);
  visited_.assign(expected_.size(), 0);
  if (!assign(index)) {
    bool anywhere = false;
    for (const ExpectedRow& e : expected_) {
      anywhere = anywhere || row_equals(e, cells);
    }
    std::string what = anywhere ? "appears more often than in the table" : "is not in the table";
    fail(fmt::format("row {} {}: {}", number, what, row_words(check().table.columns, cells)));
  }
}

// Finds an expected row for actual row `a`, moving earlier rows to other
// equal expected rows when needed (an augmenting path: plain first-fit could
// fail when a cell like `true` equals both `t` and `true`).
bool TableCheck::assign(std::size_t a) {
  for (std::size_t e = 0; e < expected_.size(); ++e) {
    if (owner_[e] < 0 && row_equals(expected_[e], actual_[a])) {
      owner_[e] = static_cast<long>(a);
      return true;
    }
  }
  for (std::size_t e = 0; e < expected_.size(); ++e) {
    if (!visited_[e] && row_equals(expected_[e], actual_[a])) {
      visited_[e] = 1;
      if (assign(static_cast<std::size_t>(owner_[e]))) {
        owner_[e] = static_cast<long>(a);
        return true;
      }
    }
  }
  return false;
}

std::string TableCheck::missing_rows() const {
  PsqlTable missing;
  missing.columns = check().table.columns;
  for (std::size_t e = 0; e < expected_.size(); ++e) {
    if (owner_[e] < 0) {
      missing.rows.push_back(check().table.rows[e]);
    }
  }
  return render_psql_table(missing);
}

CheckOutcome TableCheck::finish(const ResultFacts& facts) {
  const ResultSet& r = facts.sample;
  if (!begun_) {
    failure_ = "the statement returned no result";
  } else if (failure_.empty() && r.row_count < static_cast<std::int64_t>(expected_.size())) {
    failure_ = fmt::format("{} where the table has {}", rows_words(r.row_count),
                           rows_words(static_cast<std::int64_t>(expected_.size())));
    if (!check().ordered) {
      failure_ += "; missing:\n" + missing_rows();
    }
  }
  if (failure_.empty()) {
    return outcome(true, rows_words(r.row_count) + ", as in the table");
  }
  return outcome(false, failure_ + "\n" + shown_result(r));
}

// `contains:` — every expected row is somewhere in the result.
class ContainsCheck : public CheckEvaluator {
 public:
  explicit ContainsCheck(const Check& c) : CheckEvaluator(c), expected_(prepare_rows(c.table)) {
    for (std::size_t e = 0; e < expected_.size(); ++e) {
      unfound_.push_back(e);
    }
  }
  void begin(const std::vector<std::string>& columns) override;
  void row(const Row& cells, std::int64_t) override;
  CheckOutcome finish(const ResultFacts& facts) override;

 private:
  std::vector<ExpectedRow> expected_;
  std::vector<std::size_t> unfound_;    // expected rows not seen yet, in table order
  std::vector<std::size_t> positions_;  // the result column of each table column
  std::string failure_;
  bool begun_ = false;
};

void ContainsCheck::begin(const std::vector<std::string>& columns) {
  begun_ = true;
  for (const std::string& name : check().table.columns) {
    std::optional<std::size_t> j = find_column(columns, name);
    if (!j) {
      failure_ = missing_column(columns, name);
      decide();
      return;
    }
    positions_.push_back(*j);
  }
  if (unfound_.empty()) {
    decide();
  }
}

void ContainsCheck::row(const Row& cells, std::int64_t) {
  // Erasing keeps table order for the report; the list is short.
  for (std::size_t k = 0; k < unfound_.size();) {
    if (row_equals(expected_[unfound_[k]], cells, positions_)) {
      unfound_.erase(unfound_.begin() + static_cast<long>(k));
    } else {
      ++k;
    }
  }
  if (unfound_.empty()) {
    decide();
  }
}

CheckOutcome ContainsCheck::finish(const ResultFacts& facts) {
  const ResultSet& r = facts.sample;
  if (!begun_) {
    return outcome(false, "the statement returned no result");
  }
  if (!failure_.empty()) {
    return outcome(false, failure_ + "\n" + shown_result(r));
  }
  if (unfound_.empty()) {
    return outcome(true, fmt::format("all {} found", rows_words(expected_.size())));
  }
  PsqlTable missing;
  missing.columns = check().table.columns;
  for (std::size_t e : unfound_) {
    missing.rows.push_back(check().table.rows[e]);
  }
  return outcome(false, fmt::format("{} of {} not found:\n{}\nin the result:\n{}", unfound_.size(),
                                    rows_words(expected_.size()), render_psql_table(missing),
                                    shown_result(r)));
}

// `each:` (every row satisfies every condition) and `none:` (no row
// satisfies them all).
class ConditionCheck : public CheckEvaluator {
 public:
  explicit ConditionCheck(const Check& c) : CheckEvaluator(c) {
    for (const ColumnCondition& condition : c.conditions) {
      matchers_.emplace_back(condition.comparison);
    }
  }
  void begin(const std::vector<std::string>& columns) override;
  void row(const Row& cells, std::int64_t number) override;
  CheckOutcome finish(const ResultFacts& facts) override;

 private:
  // The first condition `cells` fails, or conditions.size() when all hold.
  std::size_t first_failed(const Row& cells) const {
    for (std::size_t k = 0; k < matchers_.size(); ++k) {
      if (!matchers_[k](cell_at(cells, positions_[k]))) {
        return k;
      }
    }
    return matchers_.size();
  }

  std::vector<Matcher> matchers_;
  std::vector<std::size_t> positions_;  // the result column of each condition
  std::string failure_;                 // a condition names a missing column
  std::optional<Row> offending_;        // the first row that breaks the check
  std::int64_t offending_number_ = 0;
  std::size_t failed_condition_ = 0;
  bool begun_ = false;
};

void ConditionCheck::begin(const std::vector<std::string>& columns) {
  begun_ = true;
  for (const ColumnCondition& condition : check().conditions) {
    std::optional<std::size_t> j = find_column(columns, condition.column);
    if (!j) {
      failure_ = missing_column(columns, condition.column);
      decide();
      return;
    }
    positions_.push_back(*j);
  }
}

void ConditionCheck::row(const Row& cells, std::int64_t number) {
  std::size_t failed = first_failed(cells);
  bool offends =
      check().kind == CheckKind::each ? failed < matchers_.size() : failed == matchers_.size();
  if (offends) {
    offending_ = cells;
    offending_number_ = number;
    failed_condition_ = failed;
    decide();
  }
}

CheckOutcome ConditionCheck::finish(const ResultFacts& facts) {
  const ResultSet& r = facts.sample;
  bool each = check().kind == CheckKind::each;
  if (!begun_) {
    return outcome(false, "the statement returned no result");
  }
  if (!failure_.empty()) {
    return outcome(false, failure_ + "\n" + shown_result(r));
  }
  if (offending_) {
    std::string why = fmt::format("row {} matches: ", offending_number_);
    if (each) {
      const ColumnCondition& c = check().conditions[failed_condition_];
      why =
          fmt::format("row {} fails {} {}: ", offending_number_, c.column, describe(c.comparison));
    }
    return outcome(false, why + row_words(r.columns, *offending_) + "\n" + shown_result(r));
  }
  if (r.row_count == 0) {
    return outcome(true, count_words(r));
  }
  return outcome(true, count_words(r) + (each ? ", all match" : ", none matches"));
}

}  // namespace

std::unique_ptr<CheckEvaluator> make_row_check(const Check& check) {
  switch (check.kind) {
    case CheckKind::table:
      return std::make_unique<TableCheck>(check);
    case CheckKind::contains:
      return std::make_unique<ContainsCheck>(check);
    case CheckKind::each:
    case CheckKind::none:
      return std::make_unique<ConditionCheck>(check);
    default:
      return nullptr;
  }
}

}  // namespace runbook::expect

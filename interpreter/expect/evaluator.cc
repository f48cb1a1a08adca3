#include "expect/evaluator.h"

#include "base/edit_distance.h"
#include "base/strings.h"
#include "expect/psql_table.h"

#include <fmt/format.h>

namespace runbook::expect {

CheckOutcome CheckEvaluator::outcome(bool held, std::string actual) const {
  return CheckOutcome{check_.kind, held, describe(check_), std::move(actual), check_.where};
}

std::unique_ptr<CheckEvaluator> make_evaluator(const Check& check, const CaptureLookup* captures) {
  if (std::unique_ptr<CheckEvaluator> e = make_row_check(check)) {
    return e;
  }
  return make_scalar_check(check, captures);
}

std::string value_words(const Cell& cell) {
  if (!cell) {
    return "NULL";
  }
  return cell->empty() ? "''" : *cell;
}

std::string row_words(const std::vector<std::string>& columns, const Row& row) {
  std::vector<std::string> parts;
  for (std::size_t j = 0; j < row.size(); ++j) {
    std::string name = j < columns.size() ? columns[j] : fmt::format("column {}", j + 1);
    parts.push_back(name + " = " + value_words(row[j]));
  }
  return join(parts, ", ");
}

std::string count_words(const ResultSet& sample) {
  std::string words = rows_words(sample.row_count);
  return sample.complete ? words : "at least " + words;
}

std::string shown_result(const ResultSet& sample) {
  if (sample.columns.empty()) {
    return "(no result)";
  }
  return render_psql_table(sample, kShownRows);
}

std::optional<std::size_t> find_column(const std::vector<std::string>& columns,
                                       std::string_view name) {
  std::string_view wanted = trim(name);
  for (std::size_t j = 0; j < columns.size(); ++j) {
    if (trim(columns[j]) == wanted) {
      return j;
    }
  }
  return std::nullopt;
}

std::string missing_column(const std::vector<std::string>& columns, std::string_view name) {
  if (columns.empty()) {
    return fmt::format("no column {}: the statement returned no columns", quoted(name));
  }
  std::string message = fmt::format("no column {} in the result; its columns are: {}", quoted(name),
                                    join(columns, ", "));
  std::string hint = did_you_mean(name, columns);
  return hint.empty() ? message : message + " (" + hint + ")";
}

}  // namespace runbook::expect

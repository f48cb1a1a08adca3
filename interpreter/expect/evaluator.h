#pragma once
// One check of a CheckSession (internal to expect/; see check_session.h).
//
// An evaluator sees the columns, then the rows in order until it is decided:
// it knows its answer whatever rows may follow (checks that do not look at
// rows, like `columns` or `affected`, are decided from the start). Then it
// reports its outcome from what the session kept of the result. An evaluator
// keeps memory bounded by its own check (an expected table's size, one
// offending row), never by the size of the result.

#include "expect/check_session.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace runbook::expect {

// Rows of the actual result shown in a failure report.
inline constexpr std::size_t kShownRows = 10;

// What the session knows when the checks report.
struct ResultFacts {
  const ResultSet& sample;  // columns, the first rows, row_count, complete
  std::optional<std::int64_t> affected;
  const CommandFacts* command = nullptr;
};

class CheckEvaluator {
 public:
  explicit CheckEvaluator(Check check) : check_(std::move(check)) {}
  virtual ~CheckEvaluator() = default;
  CheckEvaluator(const CheckEvaluator&) = delete;
  CheckEvaluator& operator=(const CheckEvaluator&) = delete;

  virtual void begin(const std::vector<std::string>& /*columns*/) {}
  // REQUIRES: !decided(). `number` is the row's 1-based position.
  virtual void row(const Row& /*cells*/, std::int64_t /*number*/) {}
  bool decided() const { return decided_; }
  // Called once, after the last row given.
  virtual CheckOutcome finish(const ResultFacts& facts) = 0;

 protected:
  void decide() { decided_ = true; }
  const Check& check() const { return check_; }
  // An outcome with `expected` in the words of describe(check()).
  CheckOutcome outcome(bool held, std::string actual) const;

 private:
  Check check_;
  bool decided_ = false;
};

// The evaluator for `check`; `captures` may be null (then same_as fails).
std::unique_ptr<CheckEvaluator> make_evaluator(const Check& check, const CaptureLookup* captures);
// Defined in scalar_checks.cc and row_checks.cc; nullptr for other kinds.
std::unique_ptr<CheckEvaluator> make_scalar_check(const Check& check,
                                                  const CaptureLookup* captures);
std::unique_ptr<CheckEvaluator> make_row_check(const Check& check);

// ---- words shared by the checks' reports ----

// NULL, '' for the empty string, else the text itself.
std::string value_words(const Cell& cell);
// "a = 1, b = NULL".
std::string row_words(const std::vector<std::string>& columns, const Row& row);
// "3 rows", or "at least 3 rows" when reading stopped early.
std::string count_words(const ResultSet& sample);
// The sample as a psql table cut to kShownRows, or "(no result)" when the
// statement returned none.
std::string shown_result(const ResultSet& sample);
// The index of the column named `name` (names compared after trimming).
std::optional<std::size_t> find_column(const std::vector<std::string>& columns,
                                       std::string_view name);
// `no column "x" in the result; its columns are: a, b` with a did-you-mean.
std::string missing_column(const std::vector<std::string>& columns, std::string_view name);

}  // namespace runbook::expect

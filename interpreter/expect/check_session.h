#pragma once
// Evaluates an Expectation over a result that is streamed row by row, keeping
// memory bounded whatever the size of the result.
//
// Usage: begin(columns); then row(...) for each row while wants_more();
// then end_of_result() if every row was given, and finish(). A check decides
// as early as it can (e.g. `rows: 0` is decided by the first row) and
// wants_more() turns false once every check is decided and the display
// sample is full, so the caller can stop fetching. A statement that returns
// no result set calls only finish().
//
// What each check needs, and when it decides:
//   rows      the count; eq/le/lt/between fail once the count passes the
//             bound, ge/gt hold once it is reached;
//   value     one row of one column; fails at the second row;
//   table     the columns equal the header (in order, names trimmed and
//             compared case-sensitively) and the rows equal the table's rows:
//             in order with `ordered`, else as a multiset (keeps at most as
//             many rows as the table has; one row more fails at once);
//   contains  every row of the table is in the result (each expected row is
//             looked for on its own: listing a row twice needs it once); the
//             table's columns are looked up by name, the result may have more;
//             holds as soon as all are found;
//   each      every row satisfies every condition; fails at the first that
//             does not;
//   none      no row satisfies all the conditions; fails at the first that
//             does;
//   columns   the result's columns are exactly these, in order;
//   same_as   columns, row count and the order-independent digest (see
//             row_digest.h) equal the captured result's;
//   affected, exit_code, stdout_contains: facts given to finish().
// Values compare as compare.h says.
//
// Each outcome has `expected` and `actual` in words, to be shown side by side;
// a failed table/contains/each/none/value shows the actual result as a psql
// table cut to a few rows, each/none name the first offending row, and counts
// read "at least N rows" when reading stopped early.

#include "expect/row_digest.h"
#include "model/expectation.h"
#include "model/result_set.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace runbook::expect {

// What a capture kept of a result: enough for `same_as` and for templates.
struct CapturedResult {
  std::vector<std::string> columns;
  std::vector<Row> rows;  // the first rows (bounded)
  std::int64_t row_count = 0;
  std::string digest;  // order-independent digest of all rows
};

struct CheckOutcome {
  CheckKind kind = CheckKind::rows;
  bool held = false;
  std::string expected;  // in words, e.g. "0 rows", "value >= 140000", or a table
  std::string actual;    // in words, e.g. "3 rows"; tables rendered psql-style
  Location where;
};

struct Verdict {
  bool held = true;
  std::vector<CheckOutcome> outcomes;  // one per check, in the expectation's order
  ResultSet sample;                    // the first rows, for display
};

// Looks up a captured result by name for `same_as`; nullptr when unknown.
class CaptureLookup {
 public:
  virtual ~CaptureLookup() = default;
  virtual const CapturedResult* find(const std::string& name) const = 0;
};

// Facts about a command step for exit_code / stdout_contains.
struct CommandFacts {
  int exit_code = 0;
  std::string stdout_text;  // possibly truncated
};

class CheckSession {
 public:
  // `expectation` is copied; `captures` (may be null) must outlive the session.
  CheckSession(const Expectation& expectation, const CaptureLookup* captures,
               std::size_t sample_rows = 20);
  ~CheckSession();
  CheckSession(const CheckSession&) = delete;
  CheckSession& operator=(const CheckSession&) = delete;

  void begin(const std::vector<std::string>& columns);
  // Rows given after wants_more() turned false are counted and otherwise
  // ignored. Cost per row: a copy while the sample fills, then only what the
  // undecided checks need (no allocation for rows/each/none/same_as).
  void row(const Row& cells);
  bool wants_more() const;
  // Says that every row of the result was given. Without it, a session that
  // stopped wanting rows assumes that more might exist: the sample is marked
  // incomplete and counts read "at least N rows".
  void end_of_result();
  // `affected` for sql steps; `command` for command steps. Call once.
  Verdict finish(std::optional<std::int64_t> affected = std::nullopt,
                 const CommandFacts* command = nullptr);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Builds a capture from a streamed result (bounded sample + digest of all rows).
class CaptureBuilder {
 public:
  explicit CaptureBuilder(std::size_t keep_rows = 1000);
  void begin(const std::vector<std::string>& columns);
  void row(const Row& cells);
  CapturedResult finish();

 private:
  CapturedResult result_;
  std::size_t keep_rows_;
  RowDigest digest_;
};

// A check in words, as `expected` of its outcome and in plans: "0 rows",
// "value >= 140000", "every row has status = VALID", a table check as a
// heading line followed by the table rendered psql-style.
std::string describe(const Check& check);
// Describes a whole expectation in words for plans: one entry per check
// (tables rendered as tables, so an entry may span lines).
std::vector<std::string> describe(const Expectation& e);

// A problem that makes the check unusable (an invalid comparison, a count
// compared with a word, a `contains` column listed twice), in words for the loader,
// or nullopt. Operands holding `{{` are not rendered yet and pass.
std::optional<std::string> validate(const Check& check);

}  // namespace runbook::expect

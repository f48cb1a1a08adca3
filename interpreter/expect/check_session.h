#pragma once
// Evaluates an Expectation over a result that is streamed row by row, keeping
// memory bounded whatever the size of the result.
//
// Usage: begin(columns); then row(...) for each row while wants_more();
// then finish(). A check decides as early as it can (e.g. `rows: 0` is
// decided by the first row) and wants_more() turns false once every check
// is decided, so the caller can stop fetching.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/expectation.h"
#include "model/result_set.h"

namespace runbook::expect {

// What a capture kept of a result: enough for `same_as` and for templates.
struct CapturedResult {
  std::vector<std::string> columns;
  std::vector<Row> rows;        // the first rows (bounded)
  std::int64_t row_count = 0;
  std::string digest;           // order-independent digest of all rows
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
  std::vector<CheckOutcome> outcomes;
  ResultSet sample;  // the first rows, for display
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
  CheckSession(const Expectation& expectation, const CaptureLookup* captures,
               std::size_t sample_rows = 20);
  ~CheckSession();
  CheckSession(const CheckSession&) = delete;
  CheckSession& operator=(const CheckSession&) = delete;

  void begin(const std::vector<std::string>& columns);
  void row(const Row& cells);
  bool wants_more() const;
  // `affected` for sql steps; `command` for command steps.
  Verdict finish(std::optional<std::int64_t> affected = std::nullopt,
                 const CommandFacts* command = nullptr);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Builds a capture from a streamed result (bounded sample + digest).
class CaptureBuilder {
 public:
  explicit CaptureBuilder(std::size_t keep_rows = 1000);
  void begin(const std::vector<std::string>& columns);
  void row(const Row& cells);
  CapturedResult finish();

 private:
  CapturedResult result_;
  std::size_t keep_rows_;
  std::uint64_t digest_sum_ = 0, digest_xor_ = 0;
};

// Describes a whole expectation in words for plans: one line per check
// (tables rendered as tables).
std::vector<std::string> describe(const Expectation& e);

}  // namespace runbook::expect

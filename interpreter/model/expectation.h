#pragma once
// What a check expects of a result (DESIGN §1 "Expectations").
//
// Operands are kept as the author wrote them (they may hold `{{ }}` templates
// that render as plain text); the planner renders them before a run.

#include "base/location.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace runbook {

enum class CompareOp { eq, ne, lt, le, gt, ge, between, in, matches, within };

struct Comparison {
  CompareOp op = CompareOp::eq;
  // eq..ge, matches: one operand; between: two; in: any number; within: the
  // reference value. Each is text compared as psql prints values.
  std::vector<std::string> operands;
  double pct = 0;  // within: allowed deviation in percent
  Location where;
};

// A psql-aligned table: header, optional ---+--- line, rows, optional (N rows).
struct PsqlTable {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;  // cells trimmed; "" is NULL or empty
  std::optional<long> footer_rows;             // the "(N rows)" footer, if given
};

enum class CheckKind {
  rows,
  value,
  table,
  contains,
  each,
  none,
  columns,
  same_as,
  affected,
  exit_code,
  stdout_contains,
};

struct ColumnCondition {
  std::string column;
  Comparison comparison;
};

struct Check {
  CheckKind kind = CheckKind::rows;
  Location where;
  Comparison comparison;                    // rows, value, affected, exit_code
  PsqlTable table;                          // table, contains
  bool ordered = false;                     // table
  std::vector<ColumnCondition> conditions;  // each, none
  std::vector<std::string> names;           // columns
  std::string text;                         // same_as (capture name), stdout_contains
};

struct Expectation {
  Location where;
  std::vector<Check> checks;  // every one must hold

  bool empty() const { return checks.empty(); }
};

const char* to_string(CompareOp op);
const char* to_string(CheckKind kind);

}  // namespace runbook

#pragma once
// A lint rule and what it is given to judge.
//
// A statement rule sees one statement of a step's SQL (or of its rollback)
// together with the statements before it and the runbook's history; a step
// rule sees a whole step. Rules report what they find as Reports; the
// linter turns them into Findings with the rule's id, the statement's place
// in the file and the safe alternative.

#include "base/location.h"
#include "lint/finding.h"
#include "lint/history.h"
#include "plan/execution_plan.h"

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace runbook::lint {

// A piece of SQL being linted: a step's body or its rollback.
struct SqlUnit {
  const plan::ExecutionPlan* plan = nullptr;
  const plan::PlannedStep* step = nullptr;
  const plan::RenderedSql* sql = nullptr;
  bool rollback = false;
  bool in_transaction = false;  // all statements run in one transaction
  std::vector<Analysed> statements;
};

struct StatementContext {
  const SqlUnit& unit;
  std::size_t index;       // of the statement in unit.statements
  const History& history;  // the runbook up to this statement

  const Analysed& here() const { return unit.statements[index]; }
  const sql::StatementFacts& facts() const { return here().facts; }
  const sql::LockImpact& locks() const { return here().locks; }
  const plan::PlannedStep& step() const { return *unit.step; }
  // The statements of the same SQL before this one.
  std::span<const Analysed> before() const { return {unit.statements.data(), index}; }
  // Those that share this statement's transaction (none in autocommit).
  std::span<const Analysed> before_in_transaction() const {
    return unit.in_transaction ? before() : std::span<const Analysed>();
  }
  // Other sessions may be using it: the runbook did not create it.
  bool existing(const sql::RelationName& relation) const { return !history.created(relation); }
};

struct StepContext {
  const plan::ExecutionPlan& plan;
  const plan::PlannedStep& step;
  const SqlUnit* body = nullptr;      // the analysed SQL of a sql step, when rendered
  const SqlUnit* rollback = nullptr;  // the analysed rollback SQL, when rendered
};

struct Report {
  Report(std::string m, std::optional<Severity> s = std::nullopt)
      : message(std::move(m)), severity(s) {}

  std::string message;
  std::optional<Severity> severity;  // when this case differs from the rule's
  std::optional<Location> where;     // default: the statement, or the step
  std::string hint;                  // default: the rule's safe alternative
};
using Reports = std::vector<Report>;

using StatementCheck = void (*)(const StatementContext&, Reports&);
using StepCheck = void (*)(const StepContext&, Reports&);

struct Rule {
  Rule(std::string_view i, Severity s, std::string_view t, std::string_view a)
      : id(i), severity(s), title(t), safe(a) {}
  Rule(std::string_view i, Severity s, std::string_view t, std::string_view a, StatementCheck c)
      : Rule(i, s, t, a) {
    on_statement = c;
  }
  Rule(std::string_view i, Severity s, std::string_view t, std::string_view a, StepCheck c)
      : Rule(i, s, t, a) {
    on_step = c;
  }

  std::string_view id;
  Severity severity = Severity::warning;
  std::string_view title;  // one line, for --list-rules
  std::string_view safe;   // the safe alternative, shown as the hint
  StatementCheck on_statement = nullptr;
  StepCheck on_step = nullptr;
};

}  // namespace runbook::lint

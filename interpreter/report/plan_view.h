#pragma once
// What every `runbook plan` format says about a plan, worded once: the
// formats (text, markdown, json) only lay it out.

#include "plan/execution_plan.h"

#include <string>
#include <vector>

namespace runbook::report {

struct ParamLine {
  std::string name, type, value, description;
  bool secret = false;
};

struct StatementLine {
  std::string tag;                 // "CREATE INDEX"
  std::string mode;                // "in the step's transaction" / "autocommit"
  std::string summary;             // lock impact in words (may be empty)
  std::vector<std::string> notes;  // row locks, waits, what the analysis cannot see
};

struct StepView {
  const plan::PlannedStep* step = nullptr;
  int number = 0;
  std::string name;             // the step's name (secrets masked)
  std::string description;      // the step's description (secrets masked)
  std::string title;            // "unique-recipe-item — Composite unique on RecipeItem"
  std::string kind;             // "sql", "query", ...
  std::string wrapping;         // "one transaction", "autocommit", "READ ONLY transaction"
  std::string condition;        // "runs: params.archive is true", "" when none
  std::string condition_query;  // the `when` query the condition asks ("" when none)
  std::string body_label;       // "SQL", "query", "command", "question"
  std::string body;             // rendered SQL, argv, question
  std::vector<StatementLine> statements;
  std::vector<std::string> expect;  // one entry per check, in words (tables multi-line)
  std::string verify_query;
  std::vector<std::string> verify_expect;
  std::string rollback;  // SQL, or "irreversible: why", or "none declared"
  std::string rollback_mode;
  std::vector<StatementLine> rollback_statements;
  bool rollback_is_command = false;  // `rollback` is a command line, `rollback_mode` says which
  std::vector<std::string> options;  // "capture: baseline", "retry: 5 attempts ...", ...
  std::string origin;                // "from template add-foreign-key (used at file:12:5)"
  // Lint findings on this step (not suppressed): "warning [rule-id] message — safe alternative".
  std::vector<std::string> lint;
  // The `use:` block this step belongs to (empty when written in the runbook
  // itself); the first step of a block carries the block's heading.
  std::string block_id, block_title, block_description;
  std::string block_condition_query;  // the block's `when: { query }` ("" when none)
  bool block_start = false;
  bool skipped = false;  // `when:` is false with these params: shown in one line
  // Consecutive steps one `foreach:` expanded (not skipped) can be shown as
  // one: the first carries how many there are, the others say they follow.
  int foreach_size = 0;
  bool foreach_rest = false;
};

struct PlanView {
  std::string id, title, description, file, checksum, plan_checksum;
  std::vector<ParamLine> params;
  std::vector<std::pair<std::string, std::string>> session;
  std::string on_failure;
  std::vector<StepView> preflight, steps, postflight;
  std::vector<std::string> warnings;  // formatted diagnostics
  std::vector<std::string> lint;      // lint findings about the runbook as a whole
  int lint_errors = 0, lint_warnings = 0, lint_suppressed = 0;
};

PlanView make_plan_view(const plan::ExecutionPlan& plan);

}  // namespace runbook::report

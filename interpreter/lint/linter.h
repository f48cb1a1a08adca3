#pragma once
// `runbook lint`: migration-safety rules over a rendered plan (DESIGN §3).
//
// Every rule of registry.h runs over every step in run order: statement
// rules over each statement of a `sql` step and of its rollback, with what
// earlier steps did in view (tables the runbook created are new: no one
// else uses them yet); step rules over each step. No database: where the
// answer depends on the catalog, the message says so.

#include "lint/finding.h"
#include "plan/execution_plan.h"

#include <vector>

namespace runbook::lint {

// All findings, sorted by place in the runbook file (comes_before). Those a
// step's `lint.allow` silences are included, marked `suppressed`.
std::vector<Finding> lint_plan(const plan::ExecutionPlan& plan);

}  // namespace runbook::lint

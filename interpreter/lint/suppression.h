#pragma once
// A step's `lint: { allow: [rule-id, ...], why: "..." }`: the findings of
// those rules on that step are suppressed (kept, marked, with the why, so
// that JSON output still shows them). An allow list is itself checked: an
// unknown rule id is an error, a rule that finds nothing there is noted.

#include "lint/finding.h"
#include "plan/execution_plan.h"

#include <vector>

namespace runbook::lint {

void apply_allow_lists(const plan::ExecutionPlan& plan, std::vector<Finding>& findings);

}  // namespace runbook::lint

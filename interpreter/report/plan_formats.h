#pragma once
// `runbook plan` output: the review document, in three layouts. Stable and
// diff-friendly: no timestamps, no absolute paths beyond what was given,
// secrets masked.

#include "report/plan_view.h"

#include <string>

namespace runbook::report {

std::string plan_text(const PlanView& view);
std::string plan_markdown(const PlanView& view);
std::string plan_json(const PlanView& view);

}  // namespace runbook::report

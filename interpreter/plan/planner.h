#pragma once
// Runbook + params -> ExecutionPlan. Pure: the database, files and the
// environment reach it as data (a TemplateCatalog, env values, run values).

#include "base/diagnostic.h"
#include "load/params.h"
#include "load/template_catalog.h"
#include "plan/execution_plan.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace runbook::plan {

struct PlanInputs {
  std::vector<load::ParamInput> params;  // --params file entries, then --set
  load::MissingParams missing = load::MissingParams::error;
  // Values of the environment variables the runbook lists under `env:`.
  std::vector<std::pair<std::string, std::string>> env;
  // `run.id` and `run.started_at`; when absent (plan, validate) they render
  // as placeholders so that a plan is stable.
  std::optional<Value> run;
};

// Returns nullopt after reporting errors into `diags`.
std::optional<ExecutionPlan> make_plan(std::shared_ptr<const Runbook> runbook,
                                       const PlanInputs& inputs, load::TemplateCatalog& catalog,
                                       Diagnostics& diags);

// Renders a deferred step again now that captures are known. Returns false
// after reporting into `diags`.
bool render_at_run_time(PlannedStep& step, const Value& captures, Diagnostics& diags);

// The text of every secret value in `params` (nested lists included).
std::vector<std::string> secrets_of(const Value& params);

// Masks every secret in `text` (for anything that leaves the process).
std::string redact(std::string text, const std::vector<std::string>& secrets);

}  // namespace runbook::plan

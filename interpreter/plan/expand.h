#pragma once
// Expands `use:` (template steps with ids prefixed `ID.`) and `foreach:`
// (one step per item, ids suffixed `[i]`) into the flat list of steps a
// plan runs, each with the scope it renders in.

#include "base/diagnostic.h"
#include "load/template_catalog.h"
#include "plan/execution_plan.h"

#include <memory>
#include <vector>

namespace runbook::plan {

struct ExpandContext {
  load::TemplateCatalog& catalog;
  std::string runbook_file;
  std::vector<std::shared_ptr<const TemplateFile>>& templates_used;
};

// Appends the expanded steps of `steps` to `out` (rendering is left to render_step).
void expand_steps(const std::vector<Step>& steps, Phase phase,
                  std::shared_ptr<const tmpl::Scope> scope, ExpandContext& ctx,
                  std::vector<PlannedStep>& out, Diagnostics& diags);

}  // namespace runbook::plan

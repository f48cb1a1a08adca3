#pragma once
// Renders one expanded step: its templates (SQL quoted by type, everything
// else as plain text), its SQL split and classified, its transaction mode.
// Used when planning (captures deferred) and again at run time.

#include "base/diagnostic.h"
#include "plan/execution_plan.h"

namespace runbook::plan {

// Fills the rendered fields of `step` from step.source and step.scope.
// Returns false after reporting errors into `diags`.
bool render_step(PlannedStep& step, Diagnostics& diags);

// Renders SQL text and, unless deferred, splits and classifies it.
// Returns nullopt after reporting errors.
std::optional<RenderedSql> render_sql(const SourceText& source, const tmpl::Scope& scope,
                                      Diagnostics& diags);

}  // namespace runbook::plan

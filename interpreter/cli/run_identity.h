#pragma once
// Who a run is, as `run`, `rollback` and `rehearse` all give it: its start
// time as the journal keeps it, `run.*` for the templates, and the head of
// its record.

#include "exec/ports.h"
#include "model/run_record.h"
#include "model/value.h"
#include "plan/execution_plan.h"

#include <string>

namespace runbook::cli {

// The time, to the second, as the journal and `run.started_at` show it.
std::string started_at_text(const exec::Clock& clock);

// `run.*` for the templates: id, started_at, and binary (this executable,
// for a command step that runs another runbook).
Value run_value(const std::string& run_id, const std::string& started_at);

// The record before the run starts: identity, file, checksums, params
// (secret values as ********).
RunRecord run_identity(const plan::ExecutionPlan& plan, const std::string& run_id,
                       const std::string& started_at);

}  // namespace runbook::cli

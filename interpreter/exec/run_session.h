#pragma once
// What every command that changes a target shares (run, rollback): before
// anything, connect under the runbook's name, apply its session settings,
// take its advisory lock (one run at a time) and read the journal; at the
// end, give the run's journal row its outcome.

#include "exec/run_context.h"

#include <string>

namespace runbook::exec {

// Writes nothing. Announces the run to the observer once connected (so the
// header names the database). The lock is taken unless it is a dry run.
// Returns go, or interrupted/environment with ctx.record.summary saying why.
RunOutcome open_session(RunContext& ctx);

// Sets the summary to `why` (secrets masked); returns environment.
RunOutcome environment(RunContext& ctx, const std::string& why);

// Records the outcome, the end time and the duration since `start`, gives
// the run's journal row its outcome (or says in the summary why it could
// not: the journal would otherwise show the run running forever), tells the
// observer, and lets go of the session's interrupt watch.
void finish_run(RunContext& ctx, RunOutcome outcome, std::chrono::steady_clock::time_point start);

}  // namespace runbook::exec

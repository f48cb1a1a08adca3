#pragma once
// Runs a rendered plan: preflight -> steps -> postflight (DESIGN §2), gate by
// gate, through the ports only. Decides GO / NO-GO, rolls back on failure
// when asked, and keeps the journal in agreement with the database.

#include "exec/interrupt.h"
#include "exec/ports.h"
#include "model/run_record.h"
#include "plan/execution_plan.h"

#include <optional>
#include <string>
#include <vector>

namespace runbook::exec {

struct RunOptions {
  bool dry_run = false;                 // render everything, run preflight only, write nothing
  std::string from;                     // start at this step id (earlier steps are skipped)
  std::string only;                     // run only this step (and the checks)
  bool resume = false;                  // retry a step the journal shows left running
  bool yes = false;                     // approve every `confirm`
  std::vector<std::string> approvals;   // --approve ID
  std::vector<std::string> rerun;       // --rerun ID: run even if done
  std::optional<OnFailure> on_failure;  // --on-failure
  std::string journal_schema = "runbook";
  // A rehearsal: after a GO, roll back the steps this run completed, newest
  // first, as on_failure: rollback does after a failure.
  bool roll_back_after_go = false;
};

struct Ports {
  Connector& connector;
  CommandRunner& commands;
  Prompter& prompter;
  Clock& clock;
  RunObserver& observer;
  Interrupt& interrupt;
  StatementWatcher* watcher = nullptr;  // progress of long statements; none when null
};

// Does `id` belong to the step the user named (itself, or a step a `use:`
// or `foreach:` of it expanded to)?
bool names_step(const std::string& id, const std::string& name);

// "FLAG NAME: no step ..." (with a "did you mean") when NAME names no step.
std::optional<std::string> unknown_step_option(const plan::ExecutionPlan& plan,
                                               const std::string& flag, const std::string& name);

// What is wrong with the step ids that --from, --only, --rerun and --approve
// name, one sentence each (with a "did you mean"); empty when they all name
// a step. A typo must not turn into a run that silently skips everything.
std::vector<std::string> check_step_options(const plan::ExecutionPlan& plan,
                                            const RunOptions& options);

// `record` arrives with the run's identity (id, runbook, file, user, host,
// version, started_at, params) filled in; the executor fills in the rest.
RunRecord run_plan(plan::ExecutionPlan& plan, const RunOptions& options, Ports& ports,
                   RunRecord record);

}  // namespace runbook::exec

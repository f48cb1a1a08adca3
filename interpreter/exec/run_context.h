#pragma once
// The state of one run shared by the executor's parts (internal to exec/).

#include "exec/captures.h"
#include "exec/executor.h"
#include "exec/journal.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace runbook::exec {

// What one step attempt came to.
enum class StepResult { ok, warned, skipped, failed, no_go, interrupted, invalid, environment };

struct RunContext {
  plan::ExecutionPlan& plan;
  const RunOptions& options;
  Ports& ports;
  RunRecord record;

  std::unique_ptr<Session> session;
  std::unique_ptr<Journal> journal;
  std::map<std::string, JournalStep> history;  // journal state before this run
  Captures captures;
  bool wrote = false;  // a writing step has begun: NO-GO no longer means "nothing written"
  std::vector<plan::PlannedStep*> completed;  // writing steps done in this run, in order
  std::unique_ptr<WatchedSession> watch;      // cancels the session's statement on a signal
  const StepRecord* running = nullptr;        // the step whose statements run: progress names it

  OnFailure on_failure() const { return options.on_failure.value_or(plan.runbook->on_failure); }
  std::string now_iso() const;
  std::int64_t ms_since(std::chrono::steady_clock::time_point start) const;
};

// Running SQL (exec/sql_runner.cc).

struct CheckRun {
  std::optional<SqlError> error;
  expect::Verdict verdict;
  bool ran = false;
};

// Runs a read-only check: BEGIN READ ONLY; statements; evaluate; ROLLBACK.
// With `pipeline`, the statements were queued there (check_statements())
// and their results are read from it instead.
CheckRun run_check(RunContext& ctx, const plan::RenderedSql& sql, const Expectation* expect,
                   const std::string& capture, const Step* options, Pipeline* pipeline = nullptr);
// What run_check runs, in order.
std::vector<std::string> check_statements(const plan::RenderedSql& sql, const Step* options);

// Runs statements on the current transaction/session; the last statement's
// rows go to the check (if any) and the capture (if any).
struct StatementsRun {
  std::optional<SqlError> error;
  std::int64_t affected = 0;
  bool any_affected = false;
  std::vector<std::string> notices;
};
// `statements` are some of `origin`'s, which locates a server error in the
// runbook (nullptr: SQL that is not the runbook's).
StatementsRun run_statements(RunContext& ctx, const plan::RenderedSql* origin,
                             const std::vector<sql::Statement>& statements,
                             expect::CheckSession* check, expect::CaptureBuilder* capture,
                             EarlyStop early_stop, Pipeline* pipeline = nullptr);

// Sets or restores per-step timeouts. `local` inside a transaction.
std::vector<std::string> step_timeout_statements(const Step& step, bool local);
std::optional<SqlError> apply_step_timeouts(RunContext& ctx, const Step& step, bool local,
                                            Pipeline* pipeline = nullptr);
void restore_step_timeouts(RunContext& ctx, const Step& step);

// What the reports keep of a check's result (exec/run_results.cc): the
// columns and first rows, each cell cut to a bounded length.
ResultSet reported_result(const ResultSet& sample);
// Every capture the run made, into ctx.record.captures.
void record_captures(RunContext& ctx);

// Records check outcomes of a verdict into a step record.
void record_checks(StepRecord& record, const expect::Verdict& verdict);
SqlErrorRecord to_record(const SqlError& e);
// The error of a statement not sent because the run was interrupted.
SqlError interrupted_error();

// Step kinds (exec/step_runner.cc).
StepResult run_sql_step(RunContext& ctx, plan::PlannedStep& step, StepRecord& record);
StepResult run_command_step(RunContext& ctx, plan::PlannedStep& step, StepRecord& record);
StepResult run_rollback(RunContext& ctx, plan::PlannedStep& step, StepRecord& record);
bool ensure_journal(RunContext& ctx, StepRecord& record);

}  // namespace runbook::exec

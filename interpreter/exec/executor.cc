#include "exec/executor.h"

#include "base/edit_distance.h"
#include "base/strings.h"
#include "exec/check_pipeline.h"
#include "exec/journal_history.h"
#include "exec/run_context.h"
#include "exec/run_session.h"
#include "plan/planner.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace runbook::exec {

namespace {

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

bool names_step(const std::string& id, const std::string& name) {
  return id == name || starts_with(id, name + ".") || starts_with(id, name + "[");
}

namespace {

class Executor {
 public:
  Executor(plan::ExecutionPlan& plan, const RunOptions& options, Ports& ports, RunRecord record)
      : ctx_{plan, options, ports, std::move(record), {}, {}, {}, {}, false, {}, {}} {}

  RunRecord run() {
    auto start = ctx_.ports.clock.monotonic();
    ctx_.record.dry_run = ctx_.options.dry_run;
    RunOutcome outcome = prepare();
    if (outcome == RunOutcome::go) {
      outcome = run_phases();
    }
    finish(outcome, start);
    return std::move(ctx_.record);
  }

 private:
  // Connects, applies the session settings, takes the runbook's lock and
  // reads the journal. Writes nothing.
  RunOutcome prepare() {
    RunOutcome outcome = open_session(ctx_);
    return outcome == RunOutcome::go ? check_left_running() : outcome;
  }

  RunOutcome check_left_running() {
    for (const auto& [id, state] : ctx_.history) {
      if (state.status == "running" && !ctx_.options.resume && !ctx_.options.dry_run) {
        return environment(
            ctx_, fmt::format("step {} was left running by run {} (started {}): it may have been "
                              "applied in part. Check the database, then run again with --resume "
                              "to retry it",
                              quoted(id), state.run_id, state.started_at));
      }
    }
    return RunOutcome::go;
  }

  RunOutcome run_phases() {
    RunOutcome outcome = check_changed_steps();
    if (outcome != RunOutcome::go) {
      return outcome;
    }
    outcome = run_phase(Phase::preflight);
    if (outcome != RunOutcome::go) {
      return outcome;
    }
    if (ctx_.options.dry_run) {
      mark_not_run(Phase::steps, "dry run");
      mark_not_run(Phase::postflight, "dry run");
      ctx_.record.summary = "dry run: every step rendered, preflight passed, nothing written";
      return RunOutcome::dry_run;
    }
    outcome = run_phase(Phase::steps);
    if (outcome != RunOutcome::go) {
      return outcome;
    }
    return run_phase(Phase::postflight);
  }

  // A done step whose SQL changed since is found before anything runs, as
  // a migration tool validates checksums first: exit 5 means nothing ran.
  // (SQL rendered from captures is known only when its step comes.)
  RunOutcome check_changed_steps() {
    bool from_reached = ctx_.options.from.empty();
    for (plan::PlannedStep& step : ctx_.plan.steps) {
      from_reached = from_reached || reaches_from(step);
      if (step.phase != Phase::steps || skip_reason(step, from_reached) != "changed") {
        continue;
      }
      StepRecord record = new_record(step);
      record.status = StepStatus::failed;
      record.note = changed_note(step);
      ctx_.ports.observer.step_finished(record);
      ctx_.record.steps.push_back(record);
      ctx_.record.summary = record.note;
      return RunOutcome::invalid;
    }
    return RunOutcome::go;
  }

  bool reaches_from(const plan::PlannedStep& step) const {
    return step.phase == Phase::steps && names_step(step.id, ctx_.options.from);
  }

  void mark_not_run(Phase phase, const std::string& why) {
    for (plan::PlannedStep& step : ctx_.plan.steps) {
      if (step.phase == phase) {
        StepRecord r = new_record(step);
        r.status = StepStatus::skipped;
        r.note = why;
        ctx_.record.steps.push_back(std::move(r));
      }
    }
  }

  StepRecord new_record(const plan::PlannedStep& step) {
    StepRecord r;
    r.id = step.id;
    r.phase = step.phase;
    r.kind = step.kind;
    r.name = step.name;
    return r;
  }

  RunOutcome run_phase(Phase phase) {
    checks_ahead_.reset();
    ctx_.ports.observer.phase_started(phase);
    bool from_reached = ctx_.options.from.empty();
    for (plan::PlannedStep& step : ctx_.plan.steps) {
      if (step.phase != phase) {
        continue;
      }
      from_reached = from_reached || reaches_from(step);
      if (ctx_.ports.interrupt.requested()) {
        // Between statements a cancel finds nothing to cancel: stop here.
        ctx_.record.summary = "interrupted before " + step.id;
        return RunOutcome::interrupted;
      }
      StepRecord record = new_record(step);
      std::string skip = skip_reason(step, from_reached);
      StepResult result;
      if (!skip.empty()) {
        record.status = StepStatus::skipped;
        record.note = skip;
        result = skip == "changed" ? StepResult::invalid : StepResult::skipped;
        if (result == StepResult::invalid) {
          record.status = StepStatus::failed;
          record.note = changed_note(step);
        }
        ctx_.ports.observer.step_finished(record);
      } else {
        send_checks_ahead(step, from_reached);
        result = run_step(step, record);
      }
      ctx_.record.steps.push_back(record);
      RunOutcome outcome = outcome_of(result, phase, step);
      if (outcome != RunOutcome::go) {
        return outcome;
      }
    }
    return RunOutcome::go;
  }

  // From `first` on, the checks the run reaches next without another kind
  // of step between go to the server ahead of time (exec/check_pipeline.h).
  // Any other step finds the session out of pipeline mode.
  void send_checks_ahead(plan::PlannedStep& first, bool from_reached) {
    if (checks_ahead_ && checks_ahead_->holds(first)) {
      return;
    }
    checks_ahead_.reset();
    std::vector<plan::PlannedStep*> checks;
    for (auto i = static_cast<std::size_t>(&first - ctx_.plan.steps.data());
         i < ctx_.plan.steps.size() && ctx_.plan.steps[i].phase == first.phase; ++i) {
      plan::PlannedStep& next = ctx_.plan.steps[i];
      from_reached = from_reached || reaches_from(next);
      if (!skip_reason(next, from_reached).empty()) {
        continue;  // passes without the session
      }
      if (!independent_check(next)) {
        break;
      }
      checks.push_back(&next);
    }
    if (checks.size() > 1) {
      checks_ahead_ = std::make_unique<CheckPipeline>(ctx_, std::move(checks));
    }
  }

  // Why a step does not run ("" when it does). "changed" means the journal
  // has it done with other SQL: the run must stop.
  std::string skip_reason(const plan::PlannedStep& step, bool from_reached) {
    if (step.phase == Phase::steps && !from_reached) {
      return "before --from " + ctx_.options.from;
    }
    if (step.phase == Phase::steps && !ctx_.options.only.empty() &&
        !names_step(step.id, ctx_.options.only)) {
      return "not selected by --only " + ctx_.options.only;
    }
    if (step.skipped()) {
      return "when: " + step.when_text + " is false";
    }
    if (!step.writes() && step.kind != StepKind::command) {
      return "";
    }
    auto it = ctx_.history.find(step.id);
    bool rerun = std::any_of(ctx_.options.rerun.begin(), ctx_.options.rerun.end(),
                             [&](const std::string& r) { return names_step(step.id, r); });
    if (it == ctx_.history.end() || it->second.status != "done" || rerun) {
      return "";
    }
    if (applied_sql_changed(step, it->second)) {
      return "changed";
    }
    return "already done (run " + it->second.run_id + ", " + it->second.finished_at + ")";
  }

  std::string changed_note(const plan::PlannedStep& step) {
    const JournalStep& j = ctx_.history.at(step.id);
    return fmt::format(
        "step {} was applied by run {} at {} with different SQL; the runbook changed since. "
        "Revert the change, or add a new step (use --rerun {} only if re-applying is safe)",
        quoted(step.id), j.run_id, j.finished_at, step.id);
  }

  StepResult run_step(plan::PlannedStep& step, StepRecord& record) {
    auto start = ctx_.ports.clock.monotonic();
    record.started_at = ctx_.now_iso();
    record.status = StepStatus::running;
    ctx_.ports.observer.step_started(record);
    ctx_.running = &record;
    StepResult result = render_and_run(step, record);
    ctx_.running = nullptr;
    record.duration_ms = ctx_.ms_since(start);
    record.status = status_of(result);
    ctx_.ports.observer.step_finished(record);
    return result;
  }

  StepResult render_and_run(plan::PlannedStep& step, StepRecord& record) {
    if (step.sql.deferred || (step.source->when && !step.when_static && !step.when_query) ||
        (step.rollback && step.rollback->deferred)) {
      Diagnostics diags;
      if (!plan::render_at_run_time(step, ctx_.captures.value(), diags)) {
        record.note = "cannot render at run time: " +
                      (diags.all().empty() ? std::string("?") : format_diagnostic(diags.all()[0]));
        return StepResult::failed;
      }
      if (step.skipped()) {
        record.note = "when: " + step.when_text + " is false";
        return StepResult::skipped;
      }
    }
    for (const plan::BlockCondition& block : step.block_conditions) {
      StepResult b = evaluate_block_condition(block, record);
      if (b != StepResult::ok) {
        return b;
      }
    }
    if (step.when_query) {
      StepResult w = evaluate_when(step, record);
      if (w != StepResult::ok) {
        return w;
      }
    }
    StepResult r = dispatch(step, record);
    // A command step is undone only by a rollback command of its own.
    bool undoable = step.writes() || (step.kind == StepKind::command && step.rollback_command);
    if ((r == StepResult::ok || r == StepResult::warned) && undoable) {
      ctx_.completed.push_back(&step);
    }
    return r;
  }

  StepResult evaluate_when(plan::PlannedStep& step, StepRecord& record) {
    std::optional<bool> yes = ask(*step.when_query, record, "the `when` query failed");
    if (!yes) {
      return StepResult::failed;
    }
    if (!*yes) {
      record.note = "when query returned false";
      return StepResult::skipped;
    }
    return StepResult::ok;
  }

  // A `use:` block's `when: { query }` is asked once, at its first step
  // that runs: the block's own steps cannot change the answer half way.
  StepResult evaluate_block_condition(const plan::BlockCondition& block, StepRecord& record) {
    auto known = block_answers_.find(block.block_id);
    if (known == block_answers_.end()) {
      std::optional<bool> yes =
          ask(block.query, record, "the `when` query of " + block.block_id + " failed");
      if (!yes) {
        return StepResult::failed;
      }
      known = block_answers_.emplace(block.block_id, *yes).first;
    }
    if (!known->second) {
      record.note = "when query of " + block.block_id + " returned false";
      return StepResult::skipped;
    }
    return StepResult::ok;
  }

  // Runs a `when` query (read-only): true when its first cell is t; nullopt
  // (with the error recorded) when it failed.
  std::optional<bool> ask(const plan::RenderedSql& query, StepRecord& record,
                          const std::string& failure_note) {
    Expectation none;
    CheckRun c = run_check(ctx_, query, &none, "", nullptr);
    if (c.error) {
      record.error = to_record(*c.error);
      record.note = failure_note;
      return std::nullopt;
    }
    const ResultSet& sample = c.verdict.sample;
    return !sample.rows.empty() && !sample.rows[0].empty() && sample.rows[0][0] == Cell("t");
  }

  StepResult dispatch(plan::PlannedStep& step, StepRecord& record) {
    switch (step.kind) {
      case StepKind::query:
        return run_query_step(step, record);
      case StepKind::confirm:
        return run_confirm(step, record);
      case StepKind::sql:
        return run_sql_step(ctx_, step, record);
      case StepKind::command:
        return run_command_step(ctx_, step, record);
      case StepKind::use:
        break;
    }
    return StepResult::failed;
  }

  StepResult run_query_step(plan::PlannedStep& step, StepRecord& record) {
    record.attempts = 1;
    std::optional<CheckRun> ahead = checks_ahead_ ? checks_ahead_->run(step) : std::nullopt;
    CheckRun c = ahead ? std::move(*ahead)
                       : run_check(ctx_, step.sql, step.expect ? &*step.expect : nullptr,
                                   step.capture, &step.step());
    if (c.error) {
      record.error = to_record(*c.error);
      record.note = ctx_.ports.interrupt.requested() ? "interrupted" : "the query failed";
      return ctx_.ports.interrupt.requested() ? StepResult::interrupted : gate_failure(step);
    }
    record_checks(record, c.verdict);
    record.result = reported_result(c.verdict.sample);
    if (c.verdict.held) {
      return StepResult::ok;
    }
    return gate_failure(step);
  }

  StepResult gate_failure(const plan::PlannedStep& step) {
    if (step.step().gate == Gate::warn) {
      return StepResult::warned;
    }
    // Postflight judges what was applied, even by an earlier run: exit 3.
    bool nothing_written = !ctx_.wrote && step.phase != Phase::postflight;
    return nothing_written ? StepResult::no_go : StepResult::failed;
  }

  StepResult run_confirm(plan::PlannedStep& step, StepRecord& record) {
    const auto& approvals = ctx_.options.approvals;
    bool approved = ctx_.options.yes ||
                    std::find(approvals.begin(), approvals.end(), step.id) != approvals.end();
    if (approved) {
      record.note = ctx_.options.yes ? "approved by --yes" : "approved by --approve";
      return StepResult::ok;
    }
    if (ctx_.ports.prompter.interactive()) {
      if (ctx_.ports.prompter.confirm(step.question)) {
        record.note = "approved at the terminal";
        return StepResult::ok;
      }
      record.note = "declined at the terminal";
    } else {
      record.note = "not approved: pass --approve " + step.id + " (or --yes)";
    }
    return ctx_.wrote ? StepResult::failed : StepResult::no_go;
  }

  static StepStatus status_of(StepResult r) {
    switch (r) {
      case StepResult::ok:
        return StepStatus::done;
      case StepResult::warned:
        return StepStatus::warned;
      case StepResult::skipped:
        return StepStatus::skipped;
      default:
        return StepStatus::failed;
    }
  }

  RunOutcome outcome_of(StepResult result, Phase phase, const plan::PlannedStep& step) {
    switch (result) {
      case StepResult::ok:
      case StepResult::skipped:
        return RunOutcome::go;
      case StepResult::warned:
        warned_ = true;
        return RunOutcome::go;
      case StepResult::no_go:
        ctx_.record.summary = "NO-GO at " + step.id + "; nothing was written";
        return RunOutcome::no_go;
      case StepResult::interrupted:
        ctx_.record.summary = "interrupted during " + step.id;
        return RunOutcome::interrupted;
      case StepResult::invalid:
        ctx_.record.summary = ctx_.record.steps.back().note;
        return RunOutcome::invalid;
      case StepResult::environment: {
        const StepRecord& r = ctx_.record.steps.back();
        ctx_.record.summary = plan::redact(
            r.note + (r.error ? ": " + r.error->message : std::string()), ctx_.plan.secrets);
        return RunOutcome::environment;
      }
      case StepResult::failed:
        break;
    }
    if (phase == Phase::preflight && !ctx_.wrote) {
      ctx_.record.summary = "NO-GO at " + step.id + "; nothing was written";
      return RunOutcome::no_go;
    }
    ctx_.record.summary = std::string(phase == Phase::postflight ? "postflight check " : "step ") +
                          step.id + " failed";
    return phase == Phase::postflight ? RunOutcome::postflight_failed : RunOutcome::step_failed;
  }

  // Rolls back the steps this run completed, newest first.
  RunOutcome roll_back(RunOutcome outcome) {
    ctx_.ports.observer.message("rolling back " + std::to_string(ctx_.completed.size()) +
                                " completed step(s), newest first");
    for (auto it = ctx_.completed.rbegin(); it != ctx_.completed.rend(); ++it) {
      plan::PlannedStep& step = **it;
      auto rec = std::find_if(ctx_.record.steps.begin(), ctx_.record.steps.end(),
                              [&](const StepRecord& r) { return r.id == step.id; });
      if (!step.has_rollback()) {
        ctx_.ports.observer.message(step.id + ": not undone (" +
                                    (step.irreversible.empty()
                                         ? "no rollback declared"
                                         : "irreversible: " + step.irreversible) +
                                    ")");
        continue;
      }
      StepResult r = run_rollback(ctx_, step, *rec);
      if (r == StepResult::failed) {
        ctx_.record.summary +=
            "; rollback of " + step.id + " failed: " + rec->rollback_error->message;
        return RunOutcome::rollback_failed;
      }
      rec->rolled_back = true;
      if (rec->status != StepStatus::failed) {  // a failed step stays failed, and undone
        rec->status = StepStatus::rolled_back;
      }
      ctx_.ports.observer.message(step.id + ": rolled back");
    }
    ctx_.record.summary += "; completed steps rolled back";
    return outcome;
  }

  void finish(RunOutcome outcome, std::chrono::steady_clock::time_point start) {
    checks_ahead_.reset();  // what was sent ahead of a stop is never judged
    record_captures(ctx_);
    bool failed = outcome == RunOutcome::step_failed || outcome == RunOutcome::postflight_failed;
    bool alive = ctx_.session && ctx_.session->alive();
    bool undo = (failed && ctx_.on_failure() == OnFailure::rollback) ||
                (outcome == RunOutcome::go && ctx_.options.roll_back_after_go);
    if (undo && !ctx_.completed.empty()) {
      if (alive) {
        outcome = roll_back(outcome);
      } else {
        ctx_.record.summary += "; nothing rolled back: the connection was lost";
      }
    }
    if (outcome == RunOutcome::go && warned_) {
      outcome = RunOutcome::go_with_warnings;
      ctx_.record.summary = "every step ran; some checks with gate: warn did not hold";
    } else if (outcome == RunOutcome::go) {
      ctx_.record.summary = "every step ran and every check held";
    }
    finish_run(ctx_, outcome, start);
  }

  RunContext ctx_;
  std::unique_ptr<CheckPipeline> checks_ahead_;  // destroyed before the session
  bool warned_ = false;
  std::map<std::string, bool> block_answers_;  // `use:` block id → its `when` query's answer
};

// "no step X" for an option naming no step (of `kind`, when given).
std::optional<std::string> unknown_step(const plan::ExecutionPlan& plan, const std::string& flag,
                                        const std::string& name, bool exact,
                                        std::optional<StepKind> kind) {
  std::vector<std::string> ids;
  for (const plan::PlannedStep& step : plan.steps) {
    // A confirm may stand in any phase; the other options pick among steps.
    if (kind ? step.kind != *kind : step.phase != Phase::steps) {
      continue;
    }
    if (exact ? step.id == name : names_step(step.id, name)) {
      return std::nullopt;
    }
    ids.push_back(step.id);
  }
  std::string what = kind == StepKind::confirm ? "confirm step" : "step";
  std::string hint = did_you_mean(name, ids);
  return fmt::format("{} {}: no {} {} in this runbook{}", flag, name, what, quoted(name),
                     hint.empty() ? "" : "; " + hint);
}

}  // namespace

std::optional<std::string> unknown_step_option(const plan::ExecutionPlan& plan,
                                               const std::string& flag, const std::string& name) {
  return unknown_step(plan, flag, name, false, std::nullopt);
}

std::vector<std::string> check_step_options(const plan::ExecutionPlan& plan,
                                            const RunOptions& options) {
  std::vector<std::string> problems;
  auto check = [&](const std::string& flag, const std::string& name, bool exact,
                   std::optional<StepKind> kind) {
    if (auto p = unknown_step(plan, flag, name, exact, kind)) {
      problems.push_back(*p);
    }
  };
  if (!options.from.empty()) {
    check("--from", options.from, false, std::nullopt);
  }
  if (!options.only.empty()) {
    check("--only", options.only, false, std::nullopt);
  }
  for (const std::string& r : options.rerun) {
    check("--rerun", r, false, std::nullopt);
  }
  for (const std::string& a : options.approvals) {
    check("--approve", a, true, StepKind::confirm);
  }
  return problems;
}

RunRecord run_plan(plan::ExecutionPlan& plan, const RunOptions& options, Ports& ports,
                   RunRecord record) {
  Executor executor(plan, options, ports, std::move(record));
  return executor.run();
}

}  // namespace runbook::exec

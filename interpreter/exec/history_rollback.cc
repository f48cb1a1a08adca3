#include "exec/history_rollback.h"

#include "base/strings.h"
#include "exec/journal_history.h"
#include "exec/run_context.h"
#include "exec/run_session.h"
#include "plan/planner.h"

#include <fmt/format.h>

#include <algorithm>

namespace runbook::exec {

namespace {

// What a step's rollback runs, for --dry-run: its SQL, or its command's
// arguments one per line (the environment's values may hold connections).
std::string rollback_text(const plan::PlannedStep& step) {
  if (step.rollback_command) {
    return join(step.rollback_command->argv, "\n");
  }
  return step.rollback->text;
}

// A step the journal has applied, and the step of the file that undoes it.
struct Applied {
  const JournalStep* journal = nullptr;
  plan::PlannedStep* step = nullptr;  // nullptr: no longer in the runbook
};

RunOptions run_options_of(const RollbackOptions& o) {
  RunOptions r;
  r.dry_run = o.dry_run;
  r.journal_schema = o.journal_schema;
  return r;
}

class HistoryRollback {
 public:
  HistoryRollback(plan::ExecutionPlan& plan, const RollbackOptions& options, Ports& ports,
                  RunRecord record)
      : options_(options),
        run_options_(run_options_of(options)),
        ctx_{plan, run_options_, ports, std::move(record), {}, {}, {}, {}, false, {}, {}} {}

  RunRecord run() {
    auto start = ctx_.ports.clock.monotonic();
    ctx_.record.dry_run = options_.dry_run;
    RunOutcome outcome = open_session(ctx_);
    if (outcome == RunOutcome::go) {
      outcome = check_left_running();
    }
    std::vector<Applied> applied;
    if (outcome == RunOutcome::go) {
      applied = select();
      outcome = judge(applied);
    }
    if (outcome == RunOutcome::go) {
      outcome = options_.dry_run ? show(applied) : undo(applied);
    }
    finish(outcome, start);
    return std::move(ctx_.record);
  }

 private:
  // A step a crashed run left running may be applied in part: neither its
  // SQL nor its rollback is known to be safe. One a crashed rollback left
  // running is retried (rollbacks are written to be re-run: IF EXISTS).
  RunOutcome check_left_running() {
    for (const auto& [id, state] : ctx_.history) {
      if (state.status == "running" && state.note != kRollingBack) {
        return environment(
            ctx_, fmt::format("step {} was left running by run {} (started {}): it may have been "
                              "applied in part. Check the database and finish it with `runbook "
                              "run --resume` first, then roll back",
                              quoted(id), state.run_id, state.started_at));
      }
    }
    return RunOutcome::go;
  }

  plan::PlannedStep* find_step(const std::string& id) {
    for (plan::PlannedStep& s : ctx_.plan.steps) {
      if (s.phase == Phase::steps && s.id == id) {
        return &s;
      }
    }
    return nullptr;
  }

  // What --to keeps: the plan position of the last step it names, and the
  // newest journal row of those steps (for steps no longer in the file).
  struct Kept {
    std::ptrdiff_t position = -1;
    std::int64_t seq = -1;
  };

  Kept kept() {
    Kept k;
    if (options_.to.empty()) {
      return k;
    }
    for (std::size_t i = 0; i < ctx_.plan.steps.size(); ++i) {
      const plan::PlannedStep& s = ctx_.plan.steps[i];
      if (s.phase == Phase::steps && names_step(s.id, options_.to)) {
        k.position = static_cast<std::ptrdiff_t>(i);
        auto it = ctx_.history.find(s.id);
        k.seq = it == ctx_.history.end() ? k.seq : std::max(k.seq, it->second.seq);
      }
    }
    return k;
  }

  // The steps to undo, newest first.
  std::vector<Applied> select() {
    Kept keep = kept();
    std::vector<Applied> out;
    for (const auto& [id, state] : ctx_.history) {
      bool applied =
          state.status == "done" || (state.status == "running" && state.note == kRollingBack);
      if (!applied) {
        continue;
      }
      plan::PlannedStep* step = find_step(id);
      bool keep_it = step ? step - ctx_.plan.steps.data() <= keep.position : state.seq < keep.seq;
      if (!keep_it) {
        out.push_back(Applied{&state, step});
      }
    }
    std::sort(out.begin(), out.end(),
              [](const Applied& a, const Applied& b) { return a.journal->seq > b.journal->seq; });
    return out;
  }

  // Why the step cannot be undone with what the file says ("" when it can),
  // and whether that makes the rollback invalid (exit 5) or a NO-GO.
  std::string problem(const Applied& a, bool* invalid) {
    const JournalStep& j = *a.journal;
    *invalid = true;
    if (!a.step) {
      return fmt::format(
          "step {} was applied by run {} at {} but is no longer in the runbook, so its "
          "rollback is unknown: put it back in the file, or keep it with --to",
          quoted(j.step_id), j.run_id, j.finished_at);
    }
    if (applied_sql_changed(*a.step, j) && !options_.allow_changed) {
      return fmt::format(
          "step {} was applied by run {} at {} with different SQL; the runbook changed since, "
          "so its rollback may not undo what was applied. Revert the change, or pass "
          "--allow-changed to undo it with the rollback the file has now",
          quoted(j.step_id), j.run_id, j.finished_at);
    }
    if (a.step->rollback && a.step->rollback->deferred) {
      return fmt::format(
          "the rollback of step {} is rendered from captures of a run, which a "
          "rollback from the journal does not have",
          quoted(j.step_id));
    }
    *invalid = false;
    if (!a.step->irreversible.empty() && !options_.keep_irreversible) {
      return fmt::format("step {} is irreversible ({}); `--to {}` undoes only the steps after it",
                         quoted(j.step_id), a.step->irreversible, j.step_id);
    }
    return "";
  }

  // Everything is decided before anything is undone.
  RunOutcome judge(const std::vector<Applied>& applied) {
    std::vector<std::string> invalid, no_go;
    for (const Applied& a : applied) {
      bool is_invalid = false;
      std::string why = problem(a, &is_invalid);
      if (!why.empty()) {
        (is_invalid ? invalid : no_go).push_back(why);
        ctx_.ports.observer.message(why);
      }
    }
    const auto& first = invalid.empty() ? no_go : invalid;
    if (first.empty()) {
      return RunOutcome::go;
    }
    std::size_t more = invalid.size() + no_go.size() - 1;
    ctx_.record.summary =
        plan::redact(first.front(), ctx_.plan.secrets) + "; nothing was undone" +
        (more > 0 ? fmt::format(" ({} more problem{} above)", more, more == 1 ? "" : "s") : "");
    return invalid.empty() ? RunOutcome::no_go : RunOutcome::invalid;
  }

  StepRecord new_record(const Applied& a) {
    StepRecord r;
    r.id = a.journal->step_id;
    r.phase = Phase::steps;
    r.kind = a.step->kind;
    r.name = a.step->name;
    r.sql_checksum = a.journal->sql_checksum;
    return r;
  }

  RunOutcome show(const std::vector<Applied>& applied) {
    std::vector<std::string> ids;
    for (const Applied& a : applied) {
      StepRecord r = new_record(a);
      r.status = StepStatus::skipped;
      r.note = a.step->has_rollback() ? "dry run: would be rolled back"
                                      : "dry run: no rollback declared, would stay";
      ctx_.ports.observer.step_finished(r);
      if (a.step->has_rollback()) {
        ids.push_back(r.id);
        ctx_.ports.observer.message(r.id + " would run:\n" + rollback_text(*a.step));
      }
      ctx_.record.steps.push_back(std::move(r));
    }
    ctx_.record.summary = ids.empty() ? "dry run: nothing to roll back"
                                      : "dry run: would roll back " + join(ids, ", ") +
                                            " (newest first); nothing written";
    return RunOutcome::dry_run;
  }

  RunOutcome undo(const std::vector<Applied>& applied) {
    if (applied.empty()) {
      ctx_.record.summary =
          "nothing to roll back: the journal has no step of this runbook applied" +
          (options_.to.empty() ? std::string() : " after " + options_.to);
      return RunOutcome::go;
    }
    ctx_.ports.observer.phase_started(Phase::steps);
    ctx_.ports.observer.message(
        fmt::format("rolling back {} applied step(s), newest first", applied.size()));
    std::vector<std::string> undone, stayed;
    for (const Applied& a : applied) {
      if (ctx_.ports.interrupt.requested()) {
        ctx_.record.summary = "interrupted before rolling back " + a.journal->step_id;
        return RunOutcome::interrupted;
      }
      StepRecord& record = ctx_.record.steps.emplace_back(new_record(a));
      if (!a.step->has_rollback()) {
        record.status = StepStatus::skipped;
        record.note = a.step->irreversible.empty()
                          ? "not undone (no rollback declared)"
                          : "not undone (irreversible: " + a.step->irreversible + ")";
        ctx_.ports.observer.step_finished(record);
        stayed.push_back(record.id);
        continue;
      }
      RunOutcome outcome = undo_one(*a.step, record);
      if (outcome != RunOutcome::go) {
        if (!undone.empty()) {
          ctx_.record.summary += "; rolled back before it: " + join(undone, ", ");
        }
        return outcome;
      }
      undone.push_back(record.id);
    }
    ctx_.record.summary =
        undone.empty() ? "nothing to roll back" : "rolled back " + join(undone, ", ");
    if (!stayed.empty()) {
      ctx_.record.summary +=
          "; not undone (irreversible, or no rollback declared): " + join(stayed, ", ");
    }
    return RunOutcome::go;
  }

  RunOutcome undo_one(plan::PlannedStep& step, StepRecord& record) {
    auto start = ctx_.ports.clock.monotonic();
    record.started_at = ctx_.now_iso();
    record.status = StepStatus::running;
    ctx_.ports.observer.step_started(record);
    if (!ensure_journal(ctx_, record)) {
      record.status = StepStatus::done;
      ctx_.ports.observer.step_finished(record);
      return environment(ctx_, record.note + (record.error ? ": " + record.error->message : ""));
    }
    ctx_.wrote = true;
    record.status = StepStatus::done;  // what stays if the rollback fails
    StepResult r = run_rollback(ctx_, step, record);
    record.duration_ms = ctx_.ms_since(start);
    if (r == StepResult::ok) {
      record.status = StepStatus::rolled_back;
      record.rolled_back = true;
    }
    ctx_.ports.observer.step_finished(record);
    if (r == StepResult::ok) {
      return RunOutcome::go;
    }
    if (ctx_.ports.interrupt.requested()) {
      ctx_.record.summary = "interrupted while rolling back " + step.id + "; it stays applied";
      return RunOutcome::interrupted;
    }
    ctx_.record.summary = fmt::format("rollback of {} failed: {}", step.id,
                                      record.rollback_error ? record.rollback_error->message : "?");
    return RunOutcome::rollback_failed;
  }

  void finish(RunOutcome outcome, std::chrono::steady_clock::time_point start) {
    finish_run(ctx_, outcome, start);
  }

  const RollbackOptions& options_;
  RunOptions run_options_;  // before ctx_, which refers to it
  RunContext ctx_;
};

}  // namespace

RunRecord rollback_history(plan::ExecutionPlan& plan, const RollbackOptions& options, Ports& ports,
                           RunRecord record) {
  HistoryRollback rollback(plan, options, ports, std::move(record));
  return rollback.run();
}

}  // namespace runbook::exec

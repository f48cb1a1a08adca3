// Running the writing steps: SQL in one transaction (with its journal row),
// in autocommit (marked running before, done after), in batches, external
// commands, and rollbacks.

#include "base/sha256.h"
#include "base/strings.h"
#include "exec/invalid_index.h"
#include "exec/retry.h"
#include "exec/run_context.h"
#include "plan/planner.h"
#include "plan/render_step.h"

#include <fmt/format.h>

#include <algorithm>

namespace runbook::exec {

namespace {

StepResult fail(StepRecord& record, const SqlError& e, const std::string& note) {
  record.error = to_record(e);
  record.note = note;
  return StepResult::failed;
}

bool interrupted(RunContext& ctx) {
  return ctx.ports.interrupt.requested();
}

// The gate of a step's own checks: does a failed verdict stop the run?
StepResult gate(const plan::PlannedStep& step, const expect::Verdict& v, StepRecord& record) {
  record_checks(record, v);
  if (v.held) {
    return StepResult::ok;
  }
  if (step.step().gate == Gate::warn) {
    record.gate_warned = true;
    return StepResult::warned;
  }
  record.note = "a check did not hold";
  return StepResult::failed;
}

void journal_failure(RunContext& ctx, StepRecord& record) {
  SqlError ignored;
  if (ctx.journal && ctx.journal->is_open()) {
    ctx.journal->record_step(ctx.record.run_id, ctx.record.runbook_id, record, "failed", &ignored);
  }
}

// Waits before another attempt if the policy allows one; false when not.
bool wait_for_retry(RunContext& ctx, const plan::PlannedStep& step, const SqlError& e,
                    StepRecord& record) {
  if (!step.step().retry || interrupted(ctx)) {
    return false;
  }
  auto delay = next_delay(*step.step().retry, e, record.attempts + 1);
  if (!delay) {
    return false;
  }
  ctx.ports.observer.message(fmt::format("{}: {} ({}); attempt {} of {} in {}", step.id, e.message,
                                         e.sqlstate, record.attempts + 1,
                                         step.step().retry->attempts, format_duration(*delay)));
  return ctx.ports.clock.sleep_for(*delay, ctx.ports.interrupt.flag());
}

// One attempt of a transactional step; on success the step's journal row
// commits in the same transaction.
StepResult transactional_attempt(RunContext& ctx, plan::PlannedStep& step, StepRecord& record,
                                 std::optional<SqlError>* error) {
  Session& s = *ctx.session;
  auto abort = [&](const SqlError& e) {
    s.execute("ROLLBACK", nullptr);
    *error = e;
    return StepResult::failed;
  };
  ExecResult begin = s.execute("BEGIN", nullptr);
  if (begin.error) {
    return abort(*begin.error);
  }
  if (auto e = apply_step_timeouts(ctx, step.step(), true)) {
    return abort(*e);
  }
  Expectation none;
  expect::CheckSession check(step.expect ? *step.expect : none, &ctx.captures);
  std::optional<expect::CaptureBuilder> capture;
  if (!step.capture.empty()) {
    capture.emplace();
  }
  StatementsRun run = run_statements(ctx, &step.sql, step.sql.statements, &check,
                                     capture ? &*capture : nullptr, EarlyStop::drain);
  for (const std::string& n : run.notices) {
    ctx.ports.observer.message(step.id + ": " + n);
  }
  if (run.error) {
    return abort(*run.error);
  }
  if (run.any_affected) {
    record.rows_affected = run.affected;
  }
  StepResult result = StepResult::ok;
  if (step.expect) {
    result = gate(step, check.finish(run.affected, nullptr), record);
  }
  if (result != StepResult::failed && step.verify) {
    Expectation const& ve = step.verify->expect;
    expect::CheckSession verify(ve, &ctx.captures);
    StatementsRun vr = run_statements(ctx, &step.verify->query, step.verify->query.statements,
                                      &verify, nullptr, EarlyStop::drain);
    if (vr.error) {
      return abort(*vr.error);
    }
    StepResult vres = gate(step, verify.finish(std::nullopt, nullptr), record);
    result = vres == StepResult::ok ? result : vres;
  }
  if (result == StepResult::failed) {
    s.execute("ROLLBACK", nullptr);  // a step whose checks fail leaves no trace
    return result;
  }
  if (interrupted(ctx)) {
    return abort(interrupted_error());  // not committed: the run stops here
  }
  SqlError journal_error;
  if (!ctx.journal->record_step(ctx.record.run_id, ctx.record.runbook_id, record, "done",
                                &journal_error)) {
    return abort(journal_error);
  }
  ExecResult commit = s.execute("COMMIT", nullptr);
  if (commit.error) {
    *error = commit.error;  // the server rolled back (e.g. a deferred constraint)
    return StepResult::failed;
  }
  if (capture) {
    ctx.captures.keep(step.capture, capture->finish());
  }
  return result;
}

StepResult run_transactional(RunContext& ctx, plan::PlannedStep& step, StepRecord& record) {
  for (;;) {
    ++record.attempts;
    record.checks.clear();
    std::optional<SqlError> error;
    StepResult r = transactional_attempt(ctx, step, record, &error);
    if (!error) {
      return r;
    }
    if (!interrupted(ctx) && wait_for_retry(ctx, step, *error, record)) {
      continue;
    }
    if (interrupted(ctx)) {  // before the attempt or during the wait for the next
      fail(record, *error, "interrupted");
      return StepResult::interrupted;
    }
    return fail(record, *error, error->connection_lost ? "the connection was lost" : "");
  }
}

// One statement in autocommit, retried on its own. `affected` stays unset
// until a statement reports a count: `expect: { affected: 0 }` must see 0,
// and a CREATE INDEX no count at all.
std::optional<SqlError> autocommit_statement(RunContext& ctx, plan::PlannedStep& step,
                                             const sql::Statement& statement, StepRecord& record,
                                             std::optional<std::int64_t>& affected) {
  for (int attempt = 1;; ++attempt) {
    // Attempts of the statement that needed the most, not a count of statements.
    record.attempts = std::max(record.attempts, attempt);
    if (attempt > 1 || left_unfinished(ctx, step)) {
      if (auto e = drop_invalid_index(ctx, step, statement)) {
        return e;
      }
    }
    if (auto e = apply_step_timeouts(ctx, step.step(), false)) {
      return e;
    }
    StatementsRun run =
        run_statements(ctx, &step.sql, {statement}, nullptr, nullptr, EarlyStop::drain);
    restore_step_timeouts(ctx, step.step());
    for (const std::string& n : run.notices) {
      ctx.ports.observer.message(step.id + ": " + n);
    }
    if (!run.error) {
      if (run.any_affected) {
        affected = affected.value_or(0) + run.affected;
      }
      return std::nullopt;
    }
    if (interrupted(ctx) || !wait_for_retry(ctx, step, *run.error, record)) {
      return run.error;
    }
  }
}

StepResult judge_non_transactional(RunContext& ctx, plan::PlannedStep& step, StepRecord& record) {
  StepResult result = StepResult::ok;
  if (step.expect) {
    expect::CheckSession check(*step.expect, &ctx.captures);
    check.begin({});
    check.end_of_result();
    result = gate(step, check.finish(record.rows_affected, nullptr), record);
  }
  if (result != StepResult::failed && step.verify) {
    // The step's effect stays whatever verify says: it ran outside a transaction.
    CheckRun v = run_check(ctx, step.verify->query, &step.verify->expect, "", &step.step());
    if (v.error) {
      return fail(record, *v.error, "the verify query failed; the step's effect stays");
    }
    StepResult vres = gate(step, v.verdict, record);
    result = vres == StepResult::ok ? result : vres;
    if (vres == StepResult::failed) {
      record.note = ctx.on_failure() == OnFailure::rollback
                        ? "verify did not hold; the step ran outside a transaction: rolled back"
                        : "verify did not hold; the step's effect stays";
      ctx.ports.observer.message(step.id + ": " + record.note);
    }
  }
  return result;
}

// The checks of a step that ran outside a transaction, once all its SQL ran.
StepResult finish_non_transactional(RunContext& ctx, plan::PlannedStep& step, StepRecord& record) {
  StepResult result = judge_non_transactional(ctx, step, record);
  if (result == StepResult::failed) {
    // Its effect stays although a check failed: on_failure: rollback must
    // undo it like the steps that completed (it is the newest of them).
    ctx.completed.push_back(&step);
  }
  return result;
}

StepResult run_autocommit(RunContext& ctx, plan::PlannedStep& step, StepRecord& record) {
  SqlError journal_error;
  if (!ctx.journal->record_step(ctx.record.run_id, ctx.record.runbook_id, record, "running",
                                &journal_error)) {
    return fail(record, journal_error, "could not mark the step running in the journal");
  }
  std::optional<std::int64_t> affected;
  for (const sql::Statement& statement : step.sql.statements) {
    if (auto e = autocommit_statement(ctx, step, statement, record, affected)) {
      record.rows_affected = affected;
      StepResult r = interrupted(ctx) ? StepResult::interrupted : StepResult::failed;
      fail(record, *e, "statement failed: " + statement.info.tag);
      journal_failure(ctx, record);
      return r;
    }
  }
  record.rows_affected = affected;
  StepResult result = finish_non_transactional(ctx, step, record);
  std::string status = result == StepResult::failed ? "failed" : "done";
  if (!ctx.journal->record_step(ctx.record.run_id, ctx.record.runbook_id, record, status,
                                &journal_error)) {
    return fail(record, journal_error, "could not mark the step done in the journal");
  }
  return result;
}

// Renders the step's SQL for batch `number`.
std::optional<plan::RenderedSql> batch_sql(RunContext& ctx, plan::PlannedStep& step,
                                           std::int64_t number, StepRecord& record) {
  tmpl::Scope scope = *step.scope;
  scope.set("captures", ctx.captures.value());
  scope.undefer("captures");
  Value batch{ValueMap{}};
  batch.set("size", Value(*step.batch_size));
  batch.set("number", Value(number));
  scope.set("batch", batch);
  Diagnostics diags;
  auto sql = plan::render_sql(step.step().sql, scope, diags);
  if (!sql) {
    record.note = diags.all().empty() ? "could not render" : diags.all().front().message;
  }
  return sql;
}

StepResult run_batches(RunContext& ctx, plan::PlannedStep& step, StepRecord& record) {
  SqlError journal_error;
  if (!ctx.journal->record_step(ctx.record.run_id, ctx.record.runbook_id, record, "running",
                                &journal_error)) {
    return fail(record, journal_error, "could not mark the step running in the journal");
  }
  std::int64_t total = 0;
  for (std::int64_t number = 1;; ++number) {
    auto sql = batch_sql(ctx, step, number, record);
    if (!sql) {
      journal_failure(ctx, record);
      return StepResult::failed;
    }
    std::optional<SqlError> error;
    std::int64_t affected = 0;
    for (int attempt = 1;; ++attempt) {
      error.reset();
      // Attempts of the batch that needed the most: a retry shows, a batch count does not.
      record.attempts = std::max(record.attempts, attempt);
      ExecResult begin = ctx.session->execute("BEGIN", nullptr);
      error = begin.error;
      if (!error) {
        error = apply_step_timeouts(ctx, step.step(), true);
      }
      StatementsRun run;
      if (!error) {
        run = run_statements(ctx, &*sql, sql->statements, nullptr, nullptr, EarlyStop::drain);
        error = run.error;
      }
      if (!error) {
        ExecResult commit = ctx.session->execute("COMMIT", nullptr);
        error = commit.error;
        affected = run.affected;
      } else {
        ctx.session->execute("ROLLBACK", nullptr);
      }
      if (!error || interrupted(ctx) || !wait_for_retry(ctx, step, *error, record)) {
        break;
      }
    }
    if (error) {
      record.rows_affected = total;
      StepResult r = interrupted(ctx) ? StepResult::interrupted : StepResult::failed;
      fail(record, *error, fmt::format("batch {} failed after {} rows", number, total));
      journal_failure(ctx, record);
      return r;
    }
    total += affected;
    record.rows_affected = total;
    ctx.ports.observer.step_progress(record, fmt::format("{} rows in {} batches", total, number));
    if (affected == 0) {
      break;
    }
    if (step.batch_pause.count() > 0 &&
        !ctx.ports.clock.sleep_for(step.batch_pause, ctx.ports.interrupt.flag())) {
      break;  // interrupted between batches: every finished batch is committed
    }
    if (interrupted(ctx)) {
      break;
    }
  }
  if (interrupted(ctx)) {
    record.note = fmt::format("interrupted after {} rows (finished batches are committed)", total);
    journal_failure(ctx, record);
    return StepResult::interrupted;
  }
  StepResult result = finish_non_transactional(ctx, step, record);
  ctx.journal->record_step(ctx.record.run_id, ctx.record.runbook_id, record,
                           result == StepResult::failed ? "failed" : "done", &journal_error);
  return result;
}

// A rollback that failed leaves its step as it was (done, or failed when
// its own checks failed), with the rollback's error: the journal stays exact.
void journal_rollback_failure(RunContext& ctx, const StepRecord& record, const std::string& note) {
  StepRecord row = record;
  row.error = record.rollback_error;
  row.note = note;
  SqlError ignored;
  ctx.journal->record_step(ctx.record.run_id, ctx.record.runbook_id, row,
                           record.status == StepStatus::failed ? "failed" : "done", &ignored);
}

// The rollback and its journal row commit together, or neither does.
StepResult transactional_rollback(RunContext& ctx, const plan::RenderedSql& rollback,
                                  StepRecord& record) {
  SqlError journal_error;
  ExecResult begin = ctx.session->execute("BEGIN", nullptr);
  StatementsRun run;
  run.error = begin.error;
  if (!run.error) {
    run = run_statements(ctx, &rollback, rollback.statements, nullptr, nullptr, EarlyStop::drain);
  }
  if (!run.error && ctx.journal->record_step(ctx.record.run_id, ctx.record.runbook_id, record,
                                             "rolled_back", &journal_error)) {
    ExecResult commit = ctx.session->execute("COMMIT", nullptr);
    if (!commit.error) {
      return StepResult::ok;
    }
    run.error = commit.error;
  }
  ctx.session->execute("ROLLBACK", nullptr);
  record.rollback_error = to_record(run.error ? *run.error : journal_error);
  journal_rollback_failure(ctx, record, "rollback failed and was rolled back; the step stays");
  return StepResult::failed;
}

// The environment of a command the step runs: the target's connection,
// then the step's own variables (which may point a nested run elsewhere:
// DATABASE_URL wins over PG* in a child runbook).
std::vector<std::pair<std::string, std::string>> command_environment(
    RunContext& ctx, const std::vector<std::pair<std::string, std::string>>& own) {
  auto environment = ctx.ports.connector.child_environment();
  environment.insert(environment.end(), own.begin(), own.end());
  return environment;
}

// A rollback outside a transaction is marked running first, like a
// non-transactional step: a crash half way is visible, and `runbook
// rollback` retries it. False (the error in `record`) when the journal refused.
bool mark_rolling_back(RunContext& ctx, StepRecord& record, SqlError* journal_error) {
  StepRecord running = record;
  running.note = kRollingBack;
  if (!ctx.journal->record_step(ctx.record.run_id, ctx.record.runbook_id, running, "running",
                                journal_error)) {
    record.rollback_error = to_record(*journal_error);
    return false;
  }
  return true;
}

// A command step's rollback: marked running first (a command is never in a
// transaction), exit status 0 is undone, anything else is a failed rollback
// that leaves the step applied.
StepResult command_rollback(RunContext& ctx, const plan::RenderedCommand& command,
                            StepRecord& record) {
  SqlError journal_error;
  if (!mark_rolling_back(ctx, record, &journal_error)) {
    return StepResult::failed;
  }
  CommandResult r = ctx.ports.commands.run(
      command.argv, command_environment(ctx, command.environment), command.timeout);
  std::string why;
  if (!r.error.empty()) {
    why = "the rollback command could not start: " + r.error;
  } else if (r.interrupted) {
    why = "the rollback command was interrupted";
  } else if (r.timed_out) {
    why = "the rollback command timed out";
  } else if (r.exit_code != 0) {
    why = fmt::format("the rollback command exited with status {}", r.exit_code);
  }
  if (!why.empty()) {
    record.rollback_error =
        SqlErrorRecord{"", why, plan::redact(r.output, ctx.plan.secrets), "", ""};
    journal_rollback_failure(ctx, record, why + "; the step stays");
    return StepResult::failed;
  }
  ctx.journal->record_step(ctx.record.run_id, ctx.record.runbook_id, record, "rolled_back",
                           &journal_error);
  return StepResult::ok;
}

}  // namespace

bool ensure_journal(RunContext& ctx, StepRecord& record) {
  if (ctx.journal->is_open()) {
    return true;
  }
  SqlError error;
  if (!ctx.journal->open_run(ctx.record, &error)) {
    fail(record, error,
         "could not create or open the journal (schema " + ctx.journal->schema() + ")");
    return false;
  }
  ctx.record.journal_written = true;
  return true;
}

StepResult run_sql_step(RunContext& ctx, plan::PlannedStep& step, StepRecord& record) {
  record.sql_checksum = step.sql.checksum;
  if (!ensure_journal(ctx, record)) {
    return StepResult::environment;  // nothing was written: the database refused the journal
  }
  ctx.wrote = true;
  if (step.batch_size) {
    return run_batches(ctx, step, record);
  }
  if (step.tx == plan::TxMode::transaction) {
    StepResult r = run_transactional(ctx, step, record);
    if (r == StepResult::failed || r == StepResult::interrupted) {
      journal_failure(ctx, record);
    }
    return r;
  }
  return run_autocommit(ctx, step, record);
}

StepResult run_command_step(RunContext& ctx, plan::PlannedStep& step, StepRecord& record) {
  // What ran, as a checksum in the journal: the arguments, NUL-separated.
  record.sql_checksum = plan::command_checksum(step.argv);
  if (!ensure_journal(ctx, record)) {
    return StepResult::environment;  // nothing was written: the database refused the journal
  }
  ctx.wrote = true;
  SqlError journal_error;
  ctx.journal->record_step(ctx.record.run_id, ctx.record.runbook_id, record, "running",
                           &journal_error);
  ++record.attempts;
  CommandResult r = ctx.ports.commands.run(step.argv, command_environment(ctx, step.environment),
                                           step.step().command.timeout);
  record.output = plan::redact(r.output, ctx.plan.secrets);
  record.exit_code = r.exit_code;
  StepResult result = StepResult::ok;
  if (!r.error.empty()) {
    record.note = "could not start: " + r.error;
    result = StepResult::failed;
  } else if (r.interrupted) {
    record.note = "interrupted";
    result = StepResult::interrupted;
  } else if (r.timed_out) {
    record.note = "timed out";
    result = StepResult::failed;
  } else {
    bool checks_exit = false;
    if (step.expect) {
      for (const Check& c : step.expect->checks) {
        checks_exit = checks_exit || c.kind == CheckKind::exit_code;
      }
      expect::CheckSession check(*step.expect, &ctx.captures);
      check.begin({});
      check.end_of_result();
      expect::CommandFacts facts{r.exit_code, r.output};
      result = gate(step, check.finish(std::nullopt, &facts), record);
    }
    if (!checks_exit && r.exit_code != 0 && result != StepResult::failed) {
      record.note = fmt::format("exited with status {}", r.exit_code);
      result = StepResult::failed;
    }
  }
  ctx.journal->record_step(
      ctx.record.run_id, ctx.record.runbook_id, record,
      result == StepResult::failed || result == StepResult::interrupted ? "failed" : "done",
      &journal_error);
  return result;
}

StepResult run_rollback(RunContext& ctx, plan::PlannedStep& step, StepRecord& record) {
  record.attempts = 0;
  record.checks.clear();
  if (step.rollback_command) {
    return command_rollback(ctx, *step.rollback_command, record);
  }
  if (!step.rollback) {
    return StepResult::skipped;
  }
  const auto& statements = step.rollback->statements;
  if (step.rollback_tx == plan::TxMode::transaction) {
    return transactional_rollback(ctx, *step.rollback, record);
  }
  SqlError journal_error;
  if (!mark_rolling_back(ctx, record, &journal_error)) {
    return StepResult::failed;
  }
  for (std::size_t i = 0; i < statements.size(); ++i) {
    StatementsRun run =
        run_statements(ctx, &*step.rollback, {statements[i]}, nullptr, nullptr, EarlyStop::drain);
    if (run.error) {
      record.rollback_error = to_record(*run.error);
      journal_rollback_failure(
          ctx, record,
          i == 0 ? "rollback failed; nothing of it ran"
                 : fmt::format("rollback failed at its statement {} of {}; the ones before ran",
                               i + 1, statements.size()));
      return StepResult::failed;
    }
  }
  ctx.journal->record_step(ctx.record.run_id, ctx.record.runbook_id, record, "rolled_back",
                           &journal_error);
  return StepResult::ok;
}

}  // namespace runbook::exec

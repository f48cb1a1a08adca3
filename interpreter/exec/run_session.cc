#include "exec/run_session.h"

#include "base/strings.h"
#include "plan/planner.h"

#include <fmt/format.h>

namespace runbook::exec {

namespace {

// The first cell of a one-row result.
struct FirstCell final : RowSink {
  Cell value;
  void columns(const std::vector<std::string>&) override {}
  bool row(const Row& r) override {
    value = r.empty() ? Cell() : r[0];
    return false;
  }
};

// Who holds the runbook's lock: "pid 123 (runbook:x), user u, since ...".
std::string lock_holder(Session& session, std::int64_t key) {
  struct Holder final : RowSink {
    std::string text;
    void columns(const std::vector<std::string>&) override {}
    bool row(const Row& r) override {
      text = fmt::format("pid {} ({}), user {}, since {}", r[0].value_or("?"), r[1].value_or(""),
                         r[2].value_or("?"), r[3].value_or("?"));
      return false;
    }
  } holder;
  session.execute_params(
      "SELECT a.pid, a.application_name, a.usename, "
      "to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS \"UTC\"') "
      "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
      "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
      "AND ((l.classid::bigint << 32) | l.objid::bigint) = $1::bigint",
      {std::to_string(key)}, &holder);
  return holder.text.empty() ? "(holder not visible)" : holder.text;
}

// Held for the whole session: a second run of the runbook exits at once.
RunOutcome take_lock(RunContext& ctx) {
  std::int64_t key = advisory_key(ctx.plan.runbook->id);
  FirstCell got;
  ExecResult r = ctx.session->execute_params("SELECT pg_try_advisory_lock($1::bigint)",
                                             {std::to_string(key)}, &got);
  if (r.error) {
    return environment(ctx, "cannot take the runbook's advisory lock: " + r.error->message);
  }
  if (got.value == Cell("t")) {
    return RunOutcome::go;
  }
  return environment(ctx,
                     "another run of " + quoted(ctx.plan.runbook->id) +
                         " holds the lock on this database: " + lock_holder(*ctx.session, key));
}

// The journal would otherwise show the run running forever: say why in the
// summary when the outcome cannot be recorded.
void close_journal(RunContext& ctx) {
  if (!ctx.journal || !ctx.journal->is_open()) {
    return;
  }
  SqlError error;
  bool alive = ctx.session && ctx.session->alive();
  if (alive && ctx.journal->finish_run(ctx.record, &error)) {
    return;
  }
  ctx.record.summary += "; the journal could not record the outcome (" +
                        (alive ? error.message : std::string("the connection was lost")) +
                        ") and shows the run as running";
}

RunOutcome apply_session_settings(RunContext& ctx) {
  for (const SessionSetting& s : ctx.plan.runbook->session) {
    ExecResult set =
        ctx.session->execute_params("SELECT set_config($1, $2, false)", {s.name, s.value}, nullptr);
    if (set.error) {
      return environment(ctx,
                         "session setting " + s.name + " = " + s.value + ": " + set.error->message);
    }
  }
  return RunOutcome::go;
}

}  // namespace

RunOutcome environment(RunContext& ctx, const std::string& why) {
  ctx.record.summary = plan::redact(why, ctx.plan.secrets);
  return RunOutcome::environment;
}

RunOutcome open_session(RunContext& ctx) {
  std::string error;
  ctx.session = ctx.ports.connector.connect("runbook:" + ctx.plan.runbook->id, &error,
                                            &ctx.ports.interrupt.flag());
  if (ctx.session) {
    ctx.record.database = ctx.ports.connector.describe();
  }
  ctx.ports.observer.run_started(ctx.record);
  if (!ctx.session && ctx.ports.interrupt.requested()) {
    ctx.record.summary = "interrupted while connecting";
    return RunOutcome::interrupted;
  }
  if (!ctx.session) {
    return environment(ctx, "cannot connect: " + error);
  }
  ctx.watch = std::make_unique<WatchedSession>(ctx.ports.interrupt, *ctx.session);
  RunOutcome outcome = apply_session_settings(ctx);
  if (outcome == RunOutcome::go && !ctx.options.dry_run) {
    outcome = take_lock(ctx);
  }
  if (outcome != RunOutcome::go) {
    return outcome;
  }
  ctx.journal =
      std::make_unique<Journal>(*ctx.session, ctx.options.journal_schema, ctx.plan.secrets);
  SqlError jerror;
  auto history = ctx.journal->read_steps(ctx.plan.runbook->id, &jerror);
  if (!history) {
    return environment(ctx, "cannot read the journal: " + jerror.message);
  }
  ctx.history = std::move(*history);
  return RunOutcome::go;
}

void finish_run(RunContext& ctx, RunOutcome outcome, std::chrono::steady_clock::time_point start) {
  ctx.record.outcome = outcome;
  ctx.record.finished_at = ctx.now_iso();
  ctx.record.duration_ms = ctx.ms_since(start);
  close_journal(ctx);
  ctx.ports.observer.run_finished(ctx.record);
  ctx.watch.reset();
}

}  // namespace runbook::exec

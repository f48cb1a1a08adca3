// Running SQL for the executor: checks in READ ONLY transactions, statements
// streaming into checks and captures, per-step timeouts.

#include "base/duration.h"
#include "exec/run_context.h"
#include "plan/transaction_mode.h"

#include <fmt/format.h>

#include <ctime>

namespace runbook::exec {

std::string RunContext::now_iso() const {
  auto now = ports.clock.now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms.count());
}

std::int64_t RunContext::ms_since(std::chrono::steady_clock::time_point start) const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(ports.clock.monotonic() - start)
      .count();
}

namespace {

constexpr const char* kBeginCheck = "BEGIN READ ONLY";
constexpr const char* kEndCheck = "ROLLBACK";

// Feeds a streamed result to a check and a capture, and says when to stop.
class CheckSink final : public RowSink {
 public:
  CheckSink(expect::CheckSession* check, expect::CaptureBuilder* capture)
      : check_(check), capture_(capture) {}
  void columns(const std::vector<std::string>& names) override {
    if (check_ != nullptr) {
      check_->begin(names);
    }
    if (capture_ != nullptr) {
      capture_->begin(names);
    }
    began_ = true;
  }
  bool row(const Row& cells) override {
    if (check_ != nullptr) {
      check_->row(cells);
    }
    if (capture_ != nullptr) {
      capture_->row(cells);
      return true;  // a capture digests every row
    }
    stopped_ = check_ != nullptr && !check_->wants_more();
    return !stopped_;
  }
  bool began() const { return began_; }
  // The whole result was read (the check did not ask to stop).
  bool read_to_end() const { return !stopped_; }

 private:
  expect::CheckSession* check_;
  expect::CaptureBuilder* capture_;
  bool began_ = false;
  bool stopped_ = false;
};

// Reports the progress of a statement that runs long (while it runs, from
// the watcher's thread: the executor waits for the statement meanwhile).
class WatchedStatement {
 public:
  WatchedStatement(RunContext& ctx, const sql::Statement& statement) : ctx_(ctx) {
    StatementWatcher* watcher = ctx.ports.watcher;
    if (watcher == nullptr || ctx.running == nullptr) {
      return;
    }
    const StepRecord* step = ctx.running;
    RunObserver* observer = &ctx.ports.observer;
    watcher->start(
        statement.info.tag, ctx.session->backend_pid(),
        [observer, step](const std::string& text) { observer->step_progress(*step, text); });
    watching_ = true;
  }
  ~WatchedStatement() {
    if (watching_) {
      ctx_.ports.watcher->stop();
    }
  }
  WatchedStatement(const WatchedStatement&) = delete;
  WatchedStatement& operator=(const WatchedStatement&) = delete;

 private:
  RunContext& ctx_;
  bool watching_ = false;
};

// Runs `sql` on the session, or reads its result from `pipeline`, where
// it was queued in the same order.
ExecResult run_or_read(RunContext& ctx, Pipeline* pipeline, const std::string& sql, RowSink* sink,
                       EarlyStop early_stop) {
  return pipeline != nullptr ? pipeline->read(sink, early_stop)
                             : ctx.session->execute(sql, sink, early_stop);
}

}  // namespace

StatementsRun run_statements(RunContext& ctx, const plan::RenderedSql* origin,
                             const std::vector<sql::Statement>& statements,
                             expect::CheckSession* check, expect::CaptureBuilder* capture,
                             EarlyStop early_stop, Pipeline* pipeline) {
  StatementsRun out;
  for (std::size_t i = 0; i < statements.size(); ++i) {
    if (ctx.ports.interrupt.requested()) {
      // A cancel sent between two statements found nothing to cancel.
      out.error = interrupted_error();
      return out;
    }
    bool last = i + 1 == statements.size();
    CheckSink sink(last ? check : nullptr, last ? capture : nullptr);
    std::optional<WatchedStatement> watch;
    if (pipeline == nullptr) {
      watch.emplace(ctx, statements[i]);
    }
    ExecResult r = run_or_read(ctx, pipeline, statements[i].text, last ? &sink : nullptr,
                               last ? early_stop : EarlyStop::drain);
    watch.reset();
    out.notices.insert(out.notices.end(), r.notices.begin(), r.notices.end());
    if (r.error) {
      out.error = r.error;
      if (origin != nullptr && r.error->position > 0) {
        out.error->at =
            plan::locate_server_position(*origin, statements[i], r.error->position).str();
      }
      return out;
    }
    if (last && !sink.began()) {
      // A statement without a result set (DDL, UPDATE without RETURNING):
      // checks on rows see an empty result with no columns.
      if (check != nullptr) {
        check->begin({});
      }
      if (capture != nullptr) {
        capture->begin({});
      }
    }
    if (last && check != nullptr && sink.read_to_end()) {
      check->end_of_result();  // counts are exact, not "at least"
    }
    if (r.affected && statements[i].info.tag != "SELECT") {
      out.affected += *r.affected;
      out.any_affected = true;
    }
  }
  return out;
}

std::vector<std::string> step_timeout_statements(const Step& step, bool local) {
  const char* scope = local ? "SET LOCAL " : "SET ";
  std::vector<std::string> out;
  for (auto [name, value] : {std::pair{"lock_timeout", step.lock_timeout},
                             std::pair{"statement_timeout", step.statement_timeout}}) {
    if (value) {
      out.push_back(std::string(scope) + name + " = '" + std::to_string(value->count()) + "ms'");
    }
  }
  return out;
}

std::optional<SqlError> apply_step_timeouts(RunContext& ctx, const Step& step, bool local,
                                            Pipeline* pipeline) {
  for (const std::string& set : step_timeout_statements(step, local)) {
    ExecResult r = run_or_read(ctx, pipeline, set, nullptr, EarlyStop::drain);
    if (r.error) {
      return r.error;
    }
  }
  return std::nullopt;
}

// Back to the runbook's session value (not the server default: RESET would
// forget the `session:` settings).
void restore_step_timeouts(RunContext& ctx, const Step& step) {
  for (auto [name, value] : {std::pair{"lock_timeout", step.lock_timeout},
                             std::pair{"statement_timeout", step.statement_timeout}}) {
    if (!value) {
      continue;
    }
    std::string restore = std::string("RESET ") + name;
    for (const SessionSetting& s : ctx.plan.runbook->session) {
      if (s.name == name) {
        restore = std::string("SET ") + name + " = " + ctx.session->quote_literal(s.value);
      }
    }
    ctx.session->execute(restore, nullptr);
  }
}

std::vector<std::string> check_statements(const plan::RenderedSql& sql, const Step* options) {
  std::vector<std::string> out = {kBeginCheck};
  if (options != nullptr) {
    for (std::string& set : step_timeout_statements(*options, true)) {
      out.push_back(std::move(set));
    }
  }
  for (const sql::Statement& statement : sql.statements) {
    out.push_back(statement.text);
  }
  out.emplace_back(kEndCheck);
  return out;
}

// The order of statements here is check_statements()'s, which a pipeline queues.
CheckRun run_check(RunContext& ctx, const plan::RenderedSql& sql, const Expectation* expect,
                   const std::string& capture, const Step* options, Pipeline* pipeline) {
  CheckRun out;
  Expectation none;
  expect::CheckSession check(expect != nullptr ? *expect : none, &ctx.captures);
  std::optional<expect::CaptureBuilder> builder;
  if (!capture.empty()) {
    builder.emplace();
  }
  ExecResult begin = run_or_read(ctx, pipeline, kBeginCheck, nullptr, EarlyStop::drain);
  if (begin.error) {
    out.error = begin.error;
    return out;
  }
  if (options != nullptr) {
    if (auto e = apply_step_timeouts(ctx, *options, true, pipeline)) {
      run_or_read(ctx, pipeline, kEndCheck, nullptr, EarlyStop::drain);
      out.error = e;
      return out;
    }
  }
  // A check reads at most what it needs, so it may stop the server early.
  StatementsRun run =
      run_statements(ctx, &sql, sql.statements, &check, builder ? &*builder : nullptr,
                     builder ? EarlyStop::drain : EarlyStop::cancel, pipeline);
  // Never COMMIT: a check changes nothing, and ROLLBACK also ends an aborted transaction.
  run_or_read(ctx, pipeline, kEndCheck, nullptr, EarlyStop::drain);
  if (run.error) {
    out.error = run.error;
    return out;
  }
  out.ran = true;
  out.verdict = check.finish(std::nullopt, nullptr);
  if (builder) {
    ctx.captures.keep(capture, builder->finish());
  }
  return out;
}

SqlError interrupted_error() {
  SqlError e;
  e.sqlstate = "57014";  // query_canceled, as if the server had been asked
  e.message = "canceled: the run was interrupted";
  return e;
}

SqlErrorRecord to_record(const SqlError& e) {
  return SqlErrorRecord{e.sqlstate, e.message, e.detail, e.hint, e.at};
}

void record_checks(StepRecord& record, const expect::Verdict& verdict) {
  for (const expect::CheckOutcome& o : verdict.outcomes) {
    record.checks.push_back(
        CheckRecord{to_string(o.kind), o.held, o.expected, o.actual, o.where.str()});
  }
}

}  // namespace runbook::exec

#include "exec/check_pipeline.h"

#include <algorithm>
#include <numeric>

namespace runbook::exec {

namespace {

std::size_t sql_bytes(const plan::PlannedStep& step) {
  return std::accumulate(step.sql.statements.begin(), step.sql.statements.end(), std::size_t{0},
                         [](std::size_t n, const sql::Statement& s) { return n + s.text.size(); });
}

}  // namespace

bool independent_check(const plan::PlannedStep& step) {
  bool rendered_at_run_time = step.sql.deferred ||
                              (step.source->when && !step.when_static && !step.when_query) ||
                              (step.rollback && step.rollback->deferred);
  return step.kind == StepKind::query && !rendered_at_run_time && !step.when_query &&
         !step.sql.statements.empty();
}

CheckPipeline::CheckPipeline(RunContext& ctx, std::vector<plan::PlannedStep*> checks)
    : ctx_(ctx), checks_(std::move(checks)) {}

CheckPipeline::~CheckPipeline() {
  close();
}

bool CheckPipeline::holds(const plan::PlannedStep& step) const {
  return std::find(checks_.begin() + static_cast<std::ptrdiff_t>(next_to_read_), checks_.end(),
                   &step) != checks_.end();
}

void CheckPipeline::send_ahead() {
  while (next_to_send_ < checks_.size() && next_to_send_ - next_to_read_ < kChecksAhead &&
         bytes_in_flight_ < kBytesAhead) {
    const plan::PlannedStep& step = *checks_[next_to_send_];
    bool queued = true;
    for (const std::string& statement : check_statements(step.sql, &step.step())) {
      queued = queued && pipeline_->queue(statement);
    }
    if (!queued || !pipeline_->end_unit()) {
      // The connection refused (it broke): nothing more is sent; what is
      // complete is read, a check not sent runs alone and meets the error.
      refused_ = true;
      return;
    }
    bytes_in_flight_ += sql_bytes(step);
    ++next_to_send_;
  }
}

void CheckPipeline::close() {
  if (!pipeline_) {
    return;
  }
  bool in_flight = next_to_send_ > next_to_read_;
  if (in_flight) {
    // Their results are not wanted: a slow one must not hold the run. The
    // cancelled check leaves its transaction aborted, so the ones after it
    // fail at once too; an idle server ignores the cancel.
    ctx_.session->cancel();
  }
  pipeline_.reset();
  if (in_flight || cut_short_) {
    // A check cut short, or discarded half way, may leave its transaction
    // open (or aborted).
    ctx_.session->execute("ROLLBACK", nullptr);
  }
  cut_short_ = false;
  next_to_send_ = next_to_read_;
  bytes_in_flight_ = 0;
}

std::optional<CheckRun> CheckPipeline::run(plan::PlannedStep& step) {
  auto at =
      std::find(checks_.begin() + static_cast<std::ptrdiff_t>(next_to_read_), checks_.end(), &step);
  if (at == checks_.end()) {
    close();
    return std::nullopt;
  }
  if (at != checks_.begin() + static_cast<std::ptrdiff_t>(next_to_read_)) {
    close();  // the run passed over queued checks: their results are not wanted
    next_to_read_ = next_to_send_ = static_cast<std::size_t>(at - checks_.begin());
  }
  if (!pipeline_ && !refused_) {
    pipeline_ = ctx_.session->pipeline();
    refused_ = pipeline_ == nullptr;
  }
  if (!pipeline_) {
    return std::nullopt;
  }
  if (!refused_) {
    send_ahead();
  }
  if (next_to_send_ == next_to_read_) {  // not even this check could be queued
    close();
    return std::nullopt;
  }
  CheckRun c = run_check(ctx_, step.sql, step.expect ? &*step.expect : nullptr, step.capture,
                         &step.step(), pipeline_.get());
  ++next_to_read_;
  bytes_in_flight_ -= std::min(bytes_in_flight_, sql_bytes(step));
  cut_short_ = c.error || !c.verdict.sample.complete;
  if (cut_short_ || next_to_read_ == checks_.size()) {
    close();  // after a cancel or an error, nothing queued after is trusted
  }
  return c;
}

}  // namespace runbook::exec

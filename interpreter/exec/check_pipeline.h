#pragma once
// Consecutive independent checks, sent to the server ahead of time.
//
// Each check is its own READ ONLY transaction (BEGIN READ ONLY; its SQL;
// ROLLBACK) and is judged by its own expectation, exactly as when it runs
// alone; only the waiting changes. Alone, every statement waits a round
// trip for the one before; here the checks after the one being judged are
// already queued on the connection (Session::pipeline), so the server runs
// them back to back while the client reads and judges, in order.
//
// A check is independent when nothing the run learns before it can change
// what it sends: its SQL and `when` are rendered before the run (not from
// captures), it has no `when` query, and only steps that pass without the
// session (skipped ones) stand between it and the previous check. A capture
// made by a queued check is still kept before the next check is judged, so
// `same_as` sees it.
//
// A check that fails stops the run at that check: what was queued after it
// is cancelled, read and discarded (never judged, never reported). A check that errors,
// or stops its query early by cancelling it (`rows: 0` on a big table), also
// discards what was queued after it: a cancel may reach a later statement,
// and an error leaves its transaction aborted. The checks after it are then
// queued again on a clean connection. At most kChecksAhead checks and
// kBytesAhead bytes of SQL are queued at once: what the server answers is
// read in single-row mode and what is sent ahead stays small, so memory and
// socket buffers stay bounded.

#include "exec/run_context.h"

#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

namespace runbook::exec {

inline constexpr std::size_t kChecksAhead = 64;
inline constexpr std::size_t kBytesAhead = 32 * 1024;

// Could `step` be queued ahead of time, as far as its own definition goes?
bool independent_check(const plan::PlannedStep& step);

class CheckPipeline {
 public:
  // `checks`: the checks the run reaches next, in order (two or more).
  CheckPipeline(RunContext& ctx, std::vector<plan::PlannedStep*> checks);
  ~CheckPipeline();
  CheckPipeline(const CheckPipeline&) = delete;
  CheckPipeline& operator=(const CheckPipeline&) = delete;

  // Is `step` one of the checks not judged yet?
  bool holds(const plan::PlannedStep& step) const;
  // Runs `step`, reading its results from the pipeline. nullopt when it
  // cannot (not one of the checks, or the connection refused pipeline
  // mode): the pipeline is closed then, and the caller runs it alone.
  std::optional<CheckRun> run(plan::PlannedStep& step);

 private:
  // Queues checks until kChecksAhead / kBytesAhead are in flight.
  void send_ahead();
  // Reads and discards what is queued, leaves pipeline mode and ends any
  // transaction a check left open; the next run() queues again.
  void close();

  RunContext& ctx_;
  std::vector<plan::PlannedStep*> checks_;
  std::size_t next_to_read_ = 0;  // checks_[next_to_read_, next_to_send_) are in flight
  std::size_t next_to_send_ = 0;
  std::size_t bytes_in_flight_ = 0;
  std::unique_ptr<Pipeline> pipeline_;
  bool refused_ = false;    // the session cannot pipeline (any more): send nothing more
  bool cut_short_ = false;  // the last check read erred or cancelled its query
};

}  // namespace runbook::exec

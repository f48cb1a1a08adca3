#pragma once
// exec::StatementWatcher with a thread of its own. Once a statement has run
// for `interval`, it reports every `interval`: "running", or for CREATE
// INDEX and REINDEX the phase and how far it got, read from
// pg_stat_progress_create_index on a second connection (same target,
// application_name "<name>:progress", short timeouts). That connection is
// opened only for such a statement, reads nothing but the progress view, and
// is closed when the statement ends, so the statement is never slowed or
// blocked by it.

#include "exec/ports.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace runbook::adapters {

class ProgressWatcher final : public exec::StatementWatcher {
 public:
  ProgressWatcher(exec::Connector& connector, std::string application_name,
                  std::chrono::milliseconds interval);
  ~ProgressWatcher() override;
  ProgressWatcher(const ProgressWatcher&) = delete;
  ProgressWatcher& operator=(const ProgressWatcher&) = delete;

  void start(const std::string& command_tag, int backend_pid,
             std::function<void(const std::string&)> report) override;
  void stop() override;

 private:
  void loop();
  // One report's text; may open the second connection. Runs unlocked.
  std::string progress_text(const std::string& command_tag, int backend_pid);

  exec::Connector& connector_;
  std::string application_name_;
  std::chrono::milliseconds interval_;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::thread thread_;
  bool quit_ = false;
  bool watching_ = false;
  bool reporting_ = false;        // a report is being made outside the lock
  std::uint64_t generation_ = 0;  // one per start()
  std::string tag_;
  int pid_ = 0;
  std::function<void(const std::string&)> report_;
  std::chrono::steady_clock::time_point next_report_;

  std::atomic<bool> stop_connecting_{false};
  std::unique_ptr<exec::Session> side_;  // the progress connection, while a statement runs
};

// The progress of CREATE INDEX / REINDEX in words, from a row of
// pg_stat_progress_create_index: "building index: scanning table 45% (1,234
// of 2,740 blocks)". Columns: phase, blocks_done, blocks_total, tuples_done,
// tuples_total, lockers_done, lockers_total.
std::string index_progress_words(const Row& row);

}  // namespace runbook::adapters

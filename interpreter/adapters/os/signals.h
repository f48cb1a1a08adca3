#pragma once
// SIGINT/SIGTERM -> exec::Interrupt. The signals are blocked in every thread
// and taken by one watcher thread with sigwait(), so cancelling the
// statement in flight (PQcancel) happens outside any signal handler.

#include "exec/interrupt.h"

#include <memory>
#include <thread>

namespace runbook::adapters {

class SignalWatcher {
 public:
  // Must be constructed before any other thread starts.
  explicit SignalWatcher(exec::Interrupt& interrupt);
  ~SignalWatcher();
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

  int signal_received() const { return received_.load(); }

 private:
  exec::Interrupt& interrupt_;
  std::atomic<int> received_{0};
  std::thread thread_;
};

}  // namespace runbook::adapters

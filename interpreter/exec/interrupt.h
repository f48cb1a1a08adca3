#pragma once
// A request to stop (SIGINT/SIGTERM), shared between the signal watcher and
// the executor. Triggering it sets the flag and cancels the statement in
// flight on every session the executor registered.

#include "exec/ports.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <vector>

namespace runbook::exec {

class Interrupt {
 public:
  bool requested() const { return requested_.load(); }
  const std::atomic<bool>& flag() const { return requested_; }

  void trigger() {
    requested_.store(true);
    std::lock_guard<std::mutex> lock(mutex_);
    for (Session* s : sessions_) {
      s->cancel();
    }
  }

  void watch(Session* s) {
    std::lock_guard<std::mutex> lock(mutex_);
    sessions_.push_back(s);
  }
  void unwatch(Session* s) {
    std::lock_guard<std::mutex> lock(mutex_);
    sessions_.erase(std::remove(sessions_.begin(), sessions_.end(), s), sessions_.end());
  }

 private:
  std::atomic<bool> requested_{false};
  std::mutex mutex_;
  std::vector<Session*> sessions_;
};

// Registers a session for the lifetime of the guard.
class WatchedSession {
 public:
  WatchedSession(Interrupt& interrupt, Session& session)
      : interrupt_(interrupt), session_(session) {
    interrupt_.watch(&session_);
  }
  ~WatchedSession() { interrupt_.unwatch(&session_); }
  WatchedSession(const WatchedSession&) = delete;
  WatchedSession& operator=(const WatchedSession&) = delete;

 private:
  Interrupt& interrupt_;
  Session& session_;
};

}  // namespace runbook::exec

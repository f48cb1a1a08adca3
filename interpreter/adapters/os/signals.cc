#include "adapters/os/signals.h"

#include <pthread.h>
#include <signal.h>

namespace runbook::adapters {

namespace {

sigset_t watched() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGUSR1);  // used to wake the watcher when the run ends
  return set;
}

}  // namespace

SignalWatcher::SignalWatcher(exec::Interrupt& interrupt) : interrupt_(interrupt) {
  sigset_t set = watched();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  thread_ = std::thread([this] {
    sigset_t waited = watched();
    for (;;) {
      int sig = 0;
      if (sigwait(&waited, &sig) != 0 || sig == SIGUSR1) {
        return;
      }
      received_.store(sig);
      interrupt_.trigger();
    }
  });
}

SignalWatcher::~SignalWatcher() {
  pthread_kill(thread_.native_handle(), SIGUSR1);
  thread_.join();
}

}  // namespace runbook::adapters

#include "adapters/os/system_clock.h"

#include <thread>

namespace runbook::adapters {

std::chrono::system_clock::time_point SystemClock::now() const {
  return std::chrono::system_clock::now();
}

std::chrono::steady_clock::time_point SystemClock::monotonic() const {
  return std::chrono::steady_clock::now();
}

bool SystemClock::sleep_for(std::chrono::milliseconds d, const std::atomic<bool>& interrupted) {
  auto until = std::chrono::steady_clock::now() + d;
  while (std::chrono::steady_clock::now() < until) {
    if (interrupted.load()) {
      return false;
    }
    auto left = until - std::chrono::steady_clock::now();
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(left, std::chrono::milliseconds(50)));
  }
  return !interrupted.load();
}

}  // namespace runbook::adapters

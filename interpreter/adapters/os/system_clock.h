#pragma once
// The real clock, with sleeps that wake up early on an interrupt.

#include "exec/ports.h"

namespace runbook::adapters {

class SystemClock final : public exec::Clock {
 public:
  std::chrono::system_clock::time_point now() const override;
  std::chrono::steady_clock::time_point monotonic() const override;
  bool sleep_for(std::chrono::milliseconds d, const std::atomic<bool>& interrupted) override;
};

}  // namespace runbook::adapters

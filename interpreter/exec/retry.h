#pragma once
// Which failures are worth another attempt, and how long to wait.

#include "base/duration.h"
#include "exec/ports.h"
#include "model/runbook.h"

#include <optional>

namespace runbook::exec {

// The SQLSTATE class a retry policy names: 55P03 lock_not_available,
// 40P01 deadlock_detected, 40001 serialization_failure.
std::optional<RetryOn> retry_reason(const SqlError& error);

// The wait before attempt `attempt` (2, 3, ...), or nullopt when the policy
// allows no further attempt for this error.
std::optional<Millis> next_delay(const RetryPolicy& policy, const SqlError& error, int attempt);

}  // namespace runbook::exec

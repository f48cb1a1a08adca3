#include "exec/retry.h"

#include <algorithm>
#include <cmath>

namespace runbook::exec {

std::optional<RetryOn> retry_reason(const SqlError& error) {
  if (error.sqlstate == "55P03") {
    return RetryOn::lock_timeout;
  }
  if (error.sqlstate == "40P01") {
    return RetryOn::deadlock;
  }
  if (error.sqlstate == "40001") {
    return RetryOn::serialization;
  }
  return std::nullopt;
}

std::optional<Millis> next_delay(const RetryPolicy& policy, const SqlError& error, int attempt) {
  auto reason = retry_reason(error);
  if (!reason || attempt > policy.attempts ||
      std::find(policy.on.begin(), policy.on.end(), *reason) == policy.on.end()) {
    return std::nullopt;
  }
  double factor = std::pow(policy.backoff, attempt - 2);
  double ms = static_cast<double>(policy.delay.count()) * factor;
  return std::min(Millis(static_cast<long long>(ms)), policy.max_delay);
}

}  // namespace runbook::exec

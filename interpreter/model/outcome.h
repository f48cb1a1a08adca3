#pragma once
// Outcomes and exit codes (DESIGN §4). The numbers live here and nowhere else.

namespace runbook {

enum class ExitCode : int {
  go = 0,
  no_go = 1,        // NO-GO before anything was written
  step_failed = 2,  // a step failed, or its expect/verify did not hold
  postflight_failed = 3,
  rollback_failed = 4,
  invalid = 5,      // invalid runbook, parameters or usage; nothing ran
  environment = 6,  // cannot connect, lock held, step left running
  interrupted = 130,
};

inline int to_int(ExitCode c) {
  return static_cast<int>(c);
}

enum class StepStatus { pending, running, done, failed, skipped, rolled_back, warned };

const char* to_string(StepStatus s);

}  // namespace runbook

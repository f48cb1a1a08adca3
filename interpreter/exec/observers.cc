#include "exec/observers.h"

#include "plan/planner.h"
#include "report/redact.h"

namespace runbook::exec {

void RedactingFanOut::run_started(const RunRecord& run) {
  RunRecord r = run;
  report::redact_run(r, secrets_);
  for (RunObserver* t : targets_) {
    t->run_started(r);
  }
}

void RedactingFanOut::phase_started(Phase phase) {
  for (RunObserver* t : targets_) {
    t->phase_started(phase);
  }
}

void RedactingFanOut::step_started(const StepRecord& step) {
  StepRecord s = step;
  report::redact_step(s, secrets_);
  for (RunObserver* t : targets_) {
    t->step_started(s);
  }
}

void RedactingFanOut::step_progress(const StepRecord& step, const std::string& progress) {
  StepRecord s = step;
  report::redact_step(s, secrets_);
  std::string p = plan::redact(progress, secrets_);
  for (RunObserver* t : targets_) {
    t->step_progress(s, p);
  }
}

void RedactingFanOut::step_finished(const StepRecord& step) {
  StepRecord s = step;
  report::redact_step(s, secrets_);
  for (RunObserver* t : targets_) {
    t->step_finished(s);
  }
}

void RedactingFanOut::message(const std::string& text) {
  std::string m = plan::redact(text, secrets_);
  for (RunObserver* t : targets_) {
    t->message(m);
  }
}

void RedactingFanOut::run_finished(const RunRecord& run) {
  RunRecord r = run;
  report::redact_run(r, secrets_);
  for (RunObserver* t : targets_) {
    t->run_finished(r);
  }
}

}  // namespace runbook::exec

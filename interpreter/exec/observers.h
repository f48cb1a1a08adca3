#pragma once
// Sends run events to several observers (the terminal, events.jsonl), each
// record with its secrets masked first.

#include "exec/ports.h"

#include <string>
#include <vector>

namespace runbook::exec {

class RedactingFanOut final : public RunObserver {
 public:
  RedactingFanOut(std::vector<RunObserver*> targets, std::vector<std::string> secrets)
      : targets_(std::move(targets)), secrets_(std::move(secrets)) {}

  void run_started(const RunRecord& run) override;
  void phase_started(Phase phase) override;
  void step_started(const StepRecord& step) override;
  void step_progress(const StepRecord& step, const std::string& progress) override;
  void step_finished(const StepRecord& step) override;
  void message(const std::string& text) override;
  void run_finished(const RunRecord& run) override;

 private:
  std::vector<RunObserver*> targets_;
  std::vector<std::string> secrets_;
};

}  // namespace runbook::exec

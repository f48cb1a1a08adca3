#pragma once
// Masks secrets in everything a run record carries before it is shown or
// written: error messages and command output can echo what they were given.

#include "model/run_record.h"

#include <string>
#include <vector>

namespace runbook::report {

void redact_step(StepRecord& step, const std::vector<std::string>& secrets);
void redact_run(RunRecord& run, const std::vector<std::string>& secrets);

}  // namespace runbook::report

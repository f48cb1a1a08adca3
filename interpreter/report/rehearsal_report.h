#pragma once
// The report of `runbook rehearse`: one line per stage for the terminal,
// and rehearsal.json (schemas/rehearsal.schema.json) for CI. Pure functions
// of the record; text in it arrives redacted.

#include "model/rehearsal.h"

#include <string>

namespace runbook::report {

inline constexpr const char* kRehearsalFormat = "runbook-rehearsal/1";

std::string rehearsal_text(const RehearsalRecord& rehearsal);
std::string rehearsal_json(const RehearsalRecord& rehearsal);

}  // namespace runbook::report

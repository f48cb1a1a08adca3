#pragma once
// Who runs, and where: recorded in the journal and the reports.

#include <string>

namespace runbook::adapters {

std::string current_user();
std::string host_name();
// A new run id: UTC time plus randomness, sortable, e.g. 20261121T203000Z-3f9a1c.
std::string new_run_id();

}  // namespace runbook::adapters

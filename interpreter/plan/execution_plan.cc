#include "plan/execution_plan.h"

#include "base/sha256.h"
#include "base/strings.h"

namespace runbook::plan {

const PlannedStep* ExecutionPlan::find(const std::string& id) const {
  for (const PlannedStep& s : steps) {
    if (s.id == id) {
      return &s;
    }
  }
  return nullptr;
}

std::string command_checksum(const std::vector<std::string>& argv) {
  return sha256_hex(join(argv, std::string_view("\0", 1)));
}

const char* to_string(TxMode m) {
  switch (m) {
    case TxMode::transaction:
      return "transaction";
    case TxMode::autocommit:
      return "autocommit";
    case TxMode::read_only:
      return "read-only transaction";
    case TxMode::none:
      return "none";
  }
  return "?";
}

}  // namespace runbook::plan

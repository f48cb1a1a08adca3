#include "model/rehearsal.h"

namespace runbook {

const char* to_string(StageStatus s) {
  switch (s) {
    case StageStatus::passed:
      return "passed";
    case StageStatus::failed:
      return "failed";
    case StageStatus::not_reached:
      return "not_reached";
  }
  return "?";
}

const RehearsalStage* RehearsalRecord::failed_stage() const {
  for (const RehearsalStage& stage : stages) {
    if (stage.status == StageStatus::failed) {
      return &stage;
    }
  }
  return nullptr;
}

}  // namespace runbook

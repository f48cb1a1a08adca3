#include "report/rehearsal_report.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace runbook::report {

namespace {

using ordered = nlohmann::ordered_json;

std::string status_word(StageStatus s) {
  switch (s) {
    case StageStatus::passed:
      return "passed";
    case StageStatus::failed:
      return "FAILED";
    case StageStatus::not_reached:
      return "not reached";
  }
  return "?";
}

ordered null_if_empty(const std::string& s) {
  return s.empty() ? ordered(nullptr) : ordered(s);
}

ordered stage_json(const RehearsalStage& stage) {
  return {{"name", stage.name},
          {"status", to_string(stage.status)},
          {"summary", stage.summary},
          {"details", stage.lines},
          {"duration_ms", stage.duration_ms},
          {"run_id", null_if_empty(stage.run_id)},
          {"artifacts", null_if_empty(stage.artifacts)}};
}

}  // namespace

std::string rehearsal_text(const RehearsalRecord& r) {
  std::string out = fmt::format("rehearsal of {} ({}){}\n", r.runbook_id, r.file,
                                r.server.empty() ? "" : " on " + r.server);
  for (const RehearsalStage& stage : r.stages) {
    std::string time =
        stage.status == StageStatus::not_reached
            ? ""
            : fmt::format("  {:.1f} s", static_cast<double>(stage.duration_ms) / 1000.0);
    out += fmt::format("  {:<12} {:<12} {}{}\n", status_word(stage.status), stage.name,
                       stage.summary, time);
    for (const std::string& line : stage.lines) {
      out += "      " + line + "\n";
    }
  }
  const RehearsalStage* failed = r.failed_stage();
  if (failed) {
    out += fmt::format("REHEARSAL FAILED at {} (exit {})\n", failed->name, to_int(r.exit_code));
  } else if (r.passed()) {
    out += "REHEARSAL PASSED: the run, its rollback and a second run all held\n";
  } else {
    out += fmt::format("REHEARSAL STOPPED (exit {})\n", to_int(r.exit_code));
  }
  return out;
}

std::string rehearsal_json(const RehearsalRecord& r) {
  const RehearsalStage* failed = r.failed_stage();
  ordered stages = ordered::array();
  for (const RehearsalStage& stage : r.stages) {
    stages.push_back(stage_json(stage));
  }
  ordered j = {{"format", kRehearsalFormat},
               {"runbook", r.runbook_id},
               {"file", r.file},
               {"server", null_if_empty(r.server)},
               {"passed", r.passed()},
               {"exit_code", to_int(r.exit_code)},
               {"failed_stage", failed ? ordered(failed->name) : ordered(nullptr)},
               {"fingerprint",
                {{"before", null_if_empty(r.fingerprint_before)},
                 {"after", null_if_empty(r.fingerprint_after)}}},
               {"stages", stages}};
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace runbook::report

#pragma once
// What a rehearsal (`runbook rehearse`) found, stage by stage: the input of
// its terminal summary and of rehearsal.json.

#include "model/outcome.h"

#include <cstdint>
#include <string>
#include <vector>

namespace runbook {

enum class StageStatus { passed, failed, not_reached };

const char* to_string(StageStatus s);

struct RehearsalStage {
  std::string name;  // cluster, schema, run, rollback, fingerprint, run-again
  StageStatus status = StageStatus::not_reached;
  std::string summary;             // one line
  std::vector<std::string> lines;  // details: a difference, an error's output
  std::int64_t duration_ms = 0;
  std::string run_id;     // the run and rollback stages
  std::string artifacts;  // where that run's report is
};

struct RehearsalRecord {
  std::string runbook_id;
  std::string file;
  std::string server;  // "PostgreSQL 16.4"
  std::string fingerprint_before;
  std::string fingerprint_after;
  std::vector<RehearsalStage> stages;
  ExitCode exit_code = ExitCode::go;

  bool passed() const { return exit_code == ExitCode::go; }
  // The first stage that failed, or nullptr.
  const RehearsalStage* failed_stage() const;
};

}  // namespace runbook

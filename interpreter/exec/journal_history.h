#pragma once
// Reading the journal for `runbook status` (and `rollback`): the runs of a
// runbook and the latest state of each of its steps. Reading creates nothing.

#include "exec/journal.h"
#include "plan/execution_plan.h"

#include <optional>
#include <string>
#include <vector>

namespace runbook::exec {

struct JournalRun {
  std::string run_id;
  std::string started_at, finished_at;
  std::string username, host, tool_version;
  std::string outcome, summary;
  std::string file_checksum, plan_checksum;
};

struct JournalHistory {
  bool exists = false;  // the journal tables exist in the target
  int version = 0;
  std::vector<JournalRun> runs;              // newest first, at most `limit`
  std::map<std::string, JournalStep> steps;  // latest state per step id
};

// Nullopt with `error` set when the database could not be read.
std::optional<JournalHistory> read_history(Session& session, const std::string& schema,
                                           const std::string& runbook_id, int limit,
                                           SqlError* error);

// Was `step` applied with SQL other than it renders to now? Only SQL that is
// known before the run compares (not SQL rendered from captures, nor a batch,
// whose SQL changes from batch to batch).
bool applied_sql_changed(const plan::PlannedStep& step, const JournalStep& applied);

}  // namespace runbook::exec

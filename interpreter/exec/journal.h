#pragma once
// The journal in the target database (DESIGN §2 "Journal"): one row per run
// and one per step run, in schema `runbook` (configurable). Created only
// when a run first reaches a writing step. A transactional step writes its
// row inside its own transaction, so step and row commit together or not at
// all; a non-transactional step is marked running before and done after.

#include "exec/ports.h"
#include "model/run_record.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace runbook::exec {

// The version of the journal's own tables; later releases migrate from it.
constexpr int kJournalVersion = 1;

// The note of a step's row marked running while its rollback runs outside
// a transaction (DROP INDEX CONCURRENTLY): a crash there is for `runbook
// rollback` to retry, not for `run --resume`.
inline constexpr const char* kRollingBack = "rolling back";

// The latest state of one step of a runbook, as the journal says.
struct JournalStep {
  std::string step_id;
  std::string status;  // running, done, failed, rolled_back
  std::string run_id;
  std::string sql_checksum;
  std::string started_at;
  std::string finished_at;
  std::string username;
  std::int64_t seq = 0;  // order of the row in the journal: larger is newer
  std::string note;      // "rolling back" on a row a rollback left running
};

class Journal {
 public:
  // `secrets` are masked in what the journal stores (errors, notes, summaries):
  // a server message may quote a secret param's value.
  Journal(Session& session, std::string schema, std::vector<std::string> secrets = {});

  // Reads the latest state of every step of `runbook_id`. Empty when the
  // journal does not exist yet (nothing is created by reading).
  std::optional<std::map<std::string, JournalStep>> read_steps(const std::string& runbook_id,
                                                               SqlError* error);

  // Creates the schema and tables if needed, and records the run.
  bool open_run(const RunRecord& run, SqlError* error);
  bool is_open() const { return open_; }

  // Statement text for a step row, executed by the caller inside the step's
  // own transaction (status "done") or on its own ("running"/"failed").
  bool record_step(const std::string& run_id, const std::string& runbook_id, const StepRecord& step,
                   const std::string& status, SqlError* error);
  bool finish_run(const RunRecord& run, SqlError* error);

  const std::string& schema() const { return schema_; }

 private:
  bool ensure_tables(SqlError* error);
  std::string table(const char* name) const;

  std::optional<std::string> masked(const std::string& text) const;

  Session& session_;
  std::string schema_;
  std::vector<std::string> secrets_;
  bool open_ = false;
};

// The advisory-lock key of a runbook id (stable across releases).
std::int64_t advisory_key(const std::string& runbook_id);

}  // namespace runbook::exec

#pragma once
// What happened in a run: the input of the journal, the reports
// (report.json, report.md, junit.xml) and the terminal summary.

#include "model/outcome.h"
#include "model/result_set.h"
#include "model/runbook.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace runbook {

// One check of a gate and whether it held, in words.
struct CheckRecord {
  std::string kind;  // "rows", "table", ...
  bool held = false;
  std::string expected;  // in words / psql table
  std::string actual;
  std::string where;  // file:line:col of the check
};

struct SqlErrorRecord {
  std::string sqlstate;  // e.g. "55P03"
  std::string message;
  std::string detail;
  std::string hint;
  std::string at;  // file:line:col in the runbook where the server pointed; "" unknown
};

struct StepRecord {
  std::string id;
  Phase phase = Phase::steps;
  StepKind kind = StepKind::sql;
  std::string name;
  StepStatus status = StepStatus::pending;
  std::string note;        // why skipped/failed, in words
  std::string started_at;  // ISO 8601 UTC, "" when it did not start
  std::int64_t duration_ms = 0;
  int attempts = 0;
  std::optional<std::int64_t> rows_affected;
  std::string sql_checksum;
  std::vector<CheckRecord> checks;  // expect + verify
  std::optional<SqlErrorRecord> error;
  std::string output;            // command stdout/stderr (bounded, redacted)
  std::optional<int> exit_code;  // command steps
  bool gate_warned = false;      // a `gate: warn` check failed
  bool rolled_back = false;
  std::optional<SqlErrorRecord> rollback_error;
  // A check's query result as far as it was read: its columns and first
  // rows (bounded), so a failed check can show what it found.
  std::optional<ResultSet> result;
};

// A named capture, as the reports show it: the first rows (bounded).
struct CaptureRecord {
  std::string name;
  std::string step;  // the step that captured it
  ResultSet result;
};

enum class RunOutcome {
  go,                // GO
  go_with_warnings,  // GO with warnings (gate: warn checks failed)
  no_go,             // NO-GO before anything was written
  step_failed,
  postflight_failed,
  rollback_failed,
  interrupted,
  environment,  // could not connect / lock held / left running
  invalid,      // the runbook no longer matches what was applied (checksum)
  dry_run,      // --dry-run: preflight only
};

struct RunRecord {
  std::string command = "run";  // or "rollback": what the record is of
  std::string run_id;
  std::string runbook_id;
  std::string title;
  std::string file;
  std::string file_checksum;
  std::string plan_checksum;
  std::string started_at;  // ISO 8601 UTC
  std::string finished_at;
  std::int64_t duration_ms = 0;
  std::string user, host, tool_version;
  std::string database;  // redacted connection description (no password)
  std::vector<std::pair<std::string, std::string>> params;  // secrets shown as ********
  RunOutcome outcome = RunOutcome::go;
  std::string summary;  // one line: why the outcome is what it is
  bool dry_run = false;
  bool journal_written = false;
  std::vector<StepRecord> steps;
  std::vector<CaptureRecord> captures;
};

const char* to_string(RunOutcome o);
ExitCode exit_code_of(RunOutcome o);

}  // namespace runbook

#pragma once
// A run that exercises every corner of the reports: a passing gate, a
// warned gate, a skipped step, a step that failed on a lock timeout with its
// check not holding, a step never reached, and a rollback.

#include "model/run_record.h"

#include <string>

namespace runbook::test {

// A complete result of these rows.
inline ResultSet result(std::vector<std::string> columns, std::vector<Row> rows) {
  ResultSet r;
  r.columns = std::move(columns);
  r.rows = std::move(rows);
  r.row_count = static_cast<std::int64_t>(r.rows.size());
  return r;
}

inline CheckRecord check(std::string kind, bool held, std::string expected, std::string actual,
                         std::string where) {
  return CheckRecord{std::move(kind), held, std::move(expected), std::move(actual),
                     std::move(where)};
}

inline RunRecord sample_run() {
  RunRecord run;
  run.run_id = "20250115T100000Z-3f2a";
  run.runbook_id = "recipes-phase-1-4";
  run.title = "Recipe constraints & indexes <phase 1-4>";
  run.file = "runbooks/recipes.yaml";
  run.file_checksum = std::string(64, 'a');
  run.plan_checksum = std::string(64, 'b');
  run.started_at = "2025-01-15T10:00:00Z";
  run.finished_at = "2025-01-15T10:00:04.500Z";
  run.duration_ms = 4500;
  run.user = "alice";
  run.host = "ops-1";
  run.tool_version = "0.1.0";
  run.database = "host=/tmp port=5432 dbname=app user=alice";
  run.params = {{"schema", "public"}, {"api_token", "********"}};
  run.outcome = RunOutcome::step_failed;
  run.summary = "step add-fk failed: lock timeout";
  run.journal_written = true;

  StepRecord version;
  version.id = "pg-version";
  version.phase = Phase::preflight;
  version.kind = StepKind::query;
  version.status = StepStatus::done;
  version.started_at = "2025-01-15T10:00:00.100Z";
  version.duration_ms = 12;
  version.attempts = 1;
  version.checks = {
      check("value", true, "value >= 140000", "160002", "runbooks/recipes.yaml:20:5")};

  StepRecord orphans;
  orphans.id = "orphans";
  orphans.phase = Phase::preflight;
  orphans.kind = StepKind::query;
  orphans.status = StepStatus::warned;
  orphans.gate_warned = true;
  orphans.started_at = "2025-01-15T10:00:00.200Z";
  orphans.duration_ms = 30;
  orphans.attempts = 1;
  orphans.checks = {check("rows", false, "0 rows", "3 rows", "runbooks/recipes.yaml:26:5")};
  orphans.result = result({"id", "company"}, {{"7", "Acme"}, {"9", std::nullopt}, {"12", "Zed"}});

  StepRecord unique;
  unique.id = "unique-recipe-item";
  unique.name = "Composite unique on RecipeItem";
  unique.kind = StepKind::sql;
  unique.status = StepStatus::done;
  unique.started_at = "2025-01-15T10:00:01Z";
  unique.duration_ms = 1200;
  unique.attempts = 1;
  unique.rows_affected = 42;
  unique.sql_checksum = std::string(64, 'c');
  unique.rolled_back = true;

  StepRecord archive;
  archive.id = "archive";
  archive.status = StepStatus::skipped;
  archive.note = "when: params.archive is false";

  StepRecord fk;
  fk.id = "add-fk";
  fk.kind = StepKind::sql;
  fk.status = StepStatus::failed;
  fk.started_at = "2025-01-15T10:00:02.300Z";
  fk.duration_ms = 2000;
  fk.attempts = 3;
  fk.sql_checksum = std::string(64, 'd');
  fk.checks = {check("table", false,
                     " conname | convalidated\n---------+-------------\n fk_a    | t\n",
                     " conname | convalidated\n---------+-------------\n fk_a    | f\n(1 row)\n",
                     "runbooks/recipes.yaml:40:7")};
  fk.error = SqlErrorRecord{"55P03", "canceling statement due to lock timeout",
                            "while locking relation \"Company\"",
                            "Retry when traffic is low & <no> long transactions run.", ""};

  StepRecord never;
  never.id = "no-unvalidated";
  never.phase = Phase::postflight;
  never.kind = StepKind::query;
  never.status = StepStatus::pending;

  run.steps = {version, orphans, unique, archive, fk, never};
  run.captures = {
      CaptureRecord{"counts_before", "pg-version",
                    result({"table_name", "n"}, {{"Company", "120"}, {"Recipe", "4000"}})}};
  return run;
}

}  // namespace runbook::test

// report.json: the RunRecord, whole, in the shape schemas/report.schema.json
// describes. Every key is always present; what the record leaves unset
// (a step that never started, rows of a command) is null, so readers never
// need to guess whether a key was forgotten.

#include "base/strings.h"
#include "report/run_report.h"

#include <nlohmann/json.hpp>

#include <array>
#include <stdexcept>

namespace runbook::report {

namespace {

using nlohmann::json;
// Written in insertion order: "format" and the run's identity first, steps last.
using ordered = nlohmann::ordered_json;

constexpr std::array kOutcomes = {
    RunOutcome::go,          RunOutcome::go_with_warnings,  RunOutcome::no_go,
    RunOutcome::step_failed, RunOutcome::postflight_failed, RunOutcome::rollback_failed,
    RunOutcome::interrupted, RunOutcome::environment,       RunOutcome::invalid,
    RunOutcome::dry_run};
constexpr std::array kStatuses = {StepStatus::pending, StepStatus::running, StepStatus::done,
                                  StepStatus::failed,  StepStatus::skipped, StepStatus::rolled_back,
                                  StepStatus::warned};
constexpr std::array kPhases = {Phase::preflight, Phase::steps, Phase::postflight};
constexpr std::array kKinds = {StepKind::sql, StepKind::query, StepKind::command, StepKind::confirm,
                               StepKind::use};

// Text from the database or a command may not be UTF-8 (a LATIN1 column, a
// binary's stderr); the report must still be written, so bad bytes become
// U+FFFD instead of an exception.
std::string dump(const ordered& j, int indent) {
  return j.dump(indent, ' ', false, json::error_handler_t::replace);
}

ordered time_or_null(const std::string& t) {
  return t.empty() ? ordered(nullptr) : ordered(t);
}

ordered sql_error_json(const std::optional<SqlErrorRecord>& e) {
  if (!e) {
    return nullptr;
  }
  return {
      {"sqlstate", e->sqlstate}, {"message", e->message}, {"detail", e->detail}, {"hint", e->hint}};
}

ordered check_json(const CheckRecord& c) {
  return {{"kind", c.kind},
          {"held", c.held},
          {"expected", c.expected},
          {"actual", c.actual},
          {"where", c.where}};
}

ordered cell_json(const Cell& cell) {
  return cell ? ordered(*cell) : ordered(nullptr);
}

ordered result_json(const ResultSet& r) {
  ordered rows = ordered::array();
  for (const Row& row : r.rows) {
    ordered cells = ordered::array();
    for (const Cell& cell : row) {
      cells.push_back(cell_json(cell));
    }
    rows.push_back(std::move(cells));
  }
  return {{"columns", r.columns},
          {"rows", std::move(rows)},
          {"row_count", r.row_count},
          {"complete", r.complete}};
}

ordered captures_json(const std::vector<CaptureRecord>& captures) {
  ordered out = ordered::array();
  for (const CaptureRecord& c : captures) {
    out.push_back({{"name", c.name}, {"step", c.step}, {"result", result_json(c.result)}});
  }
  return out;
}

ordered step_json(const StepRecord& s) {
  ordered checks = ordered::array();
  for (const CheckRecord& c : s.checks) {
    checks.push_back(check_json(c));
  }
  return {{"id", s.id},
          {"phase", to_string(s.phase)},
          {"kind", to_string(s.kind)},
          {"name", s.name},
          {"status", to_string(s.status)},
          {"note", s.note},
          {"started_at", time_or_null(s.started_at)},
          {"duration_ms", s.duration_ms},
          {"attempts", s.attempts},
          {"rows_affected", s.rows_affected ? ordered(*s.rows_affected) : ordered(nullptr)},
          {"sql_checksum", s.sql_checksum},
          {"checks", checks},
          {"error", sql_error_json(s.error)},
          {"output", s.output},
          {"exit_code", s.exit_code ? ordered(*s.exit_code) : ordered(nullptr)},
          {"gate_warned", s.gate_warned},
          {"rolled_back", s.rolled_back},
          {"rollback_error", sql_error_json(s.rollback_error)},
          {"result", s.result ? result_json(*s.result) : ordered(nullptr)}};
}

// Derived, for dashboards that should not have to loop over steps.
ordered counts_json(const RunRecord& run) {
  ordered counts = {{"steps", run.steps.size()}};
  for (StepStatus st : kStatuses) {
    counts[to_string(st)] = 0;
  }
  int checks = 0, checks_failed = 0;
  for (const StepRecord& s : run.steps) {
    counts[to_string(s.status)] = counts[to_string(s.status)].get<int>() + 1;
    for (const CheckRecord& c : s.checks) {
      ++checks;
      checks_failed += c.held ? 0 : 1;
    }
  }
  counts["checks"] = checks;
  counts["checks_failed"] = checks_failed;
  return counts;
}

// --- reading back -------------------------------------------------------

template <typename Enum, std::size_t N>
Enum enum_named(const std::array<Enum, N>& all, const std::string& name, const char* what,
                const char* (*name_of)(Enum)) {
  for (Enum e : all) {
    if (name == name_of(e)) {
      return e;
    }
  }
  throw std::runtime_error(std::string("unknown ") + what + " " + runbook::quoted(name));
}

std::string time_from(const json& j) {
  return j.is_null() ? std::string() : j.get<std::string>();
}

std::optional<SqlErrorRecord> sql_error_from(const json& j) {
  if (j.is_null()) {
    return std::nullopt;
  }
  return SqlErrorRecord{j.at("sqlstate").get<std::string>(), j.at("message").get<std::string>(),
                        j.at("detail").get<std::string>(), j.at("hint").get<std::string>()};
}

ResultSet result_from(const json& j) {
  ResultSet r;
  r.columns = j.at("columns").get<std::vector<std::string>>();
  for (const json& row : j.at("rows")) {
    Row cells;
    for (const json& cell : row) {
      cells.push_back(cell.is_null() ? Cell() : Cell(cell.get<std::string>()));
    }
    r.rows.push_back(std::move(cells));
  }
  r.row_count = j.at("row_count").get<std::int64_t>();
  r.complete = j.at("complete").get<bool>();
  return r;
}

StepRecord step_from(const json& j) {
  StepRecord s;
  s.id = j.at("id").get<std::string>();
  s.phase = enum_named(kPhases, j.at("phase").get<std::string>(), "phase", to_string);
  s.kind = enum_named(kKinds, j.at("kind").get<std::string>(), "step kind", to_string);
  s.name = j.at("name").get<std::string>();
  s.status = enum_named(kStatuses, j.at("status").get<std::string>(), "status", to_string);
  s.note = j.at("note").get<std::string>();
  s.started_at = time_from(j.at("started_at"));
  s.duration_ms = j.at("duration_ms").get<std::int64_t>();
  s.attempts = j.at("attempts").get<int>();
  if (!j.at("rows_affected").is_null()) {
    s.rows_affected = j.at("rows_affected").get<std::int64_t>();
  }
  s.sql_checksum = j.at("sql_checksum").get<std::string>();
  for (const json& c : j.at("checks")) {
    s.checks.push_back(CheckRecord{c.at("kind").get<std::string>(), c.at("held").get<bool>(),
                                   c.at("expected").get<std::string>(),
                                   c.at("actual").get<std::string>(),
                                   c.at("where").get<std::string>()});
  }
  s.error = sql_error_from(j.at("error"));
  s.output = j.at("output").get<std::string>();
  if (!j.at("exit_code").is_null()) {
    s.exit_code = j.at("exit_code").get<int>();
  }
  s.gate_warned = j.at("gate_warned").get<bool>();
  s.rolled_back = j.at("rolled_back").get<bool>();
  s.rollback_error = sql_error_from(j.at("rollback_error"));
  if (j.contains("result") && !j.at("result").is_null()) {  // absent in older reports
    s.result = result_from(j.at("result"));
  }
  return s;
}

RunRecord run_from(const json& j) {
  if (j.at("format").get<std::string>() != kRunReportFormat) {
    throw std::runtime_error("format is " + runbook::quoted(j.at("format").get<std::string>()) +
                             ", expected " + runbook::quoted(kRunReportFormat));
  }
  RunRecord r;
  r.command = j.value("command", "run");  // reports written before rollback existed
  r.run_id = j.at("run_id").get<std::string>();
  r.runbook_id = j.at("runbook").get<std::string>();
  r.title = j.at("title").get<std::string>();
  r.file = j.at("file").get<std::string>();
  r.file_checksum = j.at("file_checksum").get<std::string>();
  r.plan_checksum = j.at("plan_checksum").get<std::string>();
  r.started_at = time_from(j.at("started_at"));
  r.finished_at = time_from(j.at("finished_at"));
  r.duration_ms = j.at("duration_ms").get<std::int64_t>();
  r.user = j.at("user").get<std::string>();
  r.host = j.at("host").get<std::string>();
  r.tool_version = j.at("tool_version").get<std::string>();
  r.database = j.at("database").get<std::string>();
  for (const json& p : j.at("params")) {
    r.params.emplace_back(p.at("name").get<std::string>(), p.at("value").get<std::string>());
  }
  r.outcome = enum_named(kOutcomes, j.at("outcome").get<std::string>(), "outcome", outcome_token);
  r.summary = j.at("summary").get<std::string>();
  r.dry_run = j.at("dry_run").get<bool>();
  r.journal_written = j.at("journal_written").get<bool>();
  for (const json& s : j.at("steps")) {
    r.steps.push_back(step_from(s));
  }
  for (const json& c : j.value("captures", json::array())) {
    r.captures.push_back(CaptureRecord{c.at("name").get<std::string>(),
                                       c.at("step").get<std::string>(),
                                       result_from(c.at("result"))});
  }
  return r;
}

}  // namespace

const char* outcome_token(RunOutcome outcome) {
  switch (outcome) {
    case RunOutcome::go:
      return "go";
    case RunOutcome::go_with_warnings:
      return "go_with_warnings";
    case RunOutcome::no_go:
      return "no_go";
    case RunOutcome::step_failed:
      return "step_failed";
    case RunOutcome::postflight_failed:
      return "postflight_failed";
    case RunOutcome::rollback_failed:
      return "rollback_failed";
    case RunOutcome::interrupted:
      return "interrupted";
    case RunOutcome::environment:
      return "environment";
    case RunOutcome::invalid:
      return "invalid";
    case RunOutcome::dry_run:
      return "dry_run";
  }
  return "environment";
}

std::string run_report_json(const RunRecord& run) {
  ordered params = ordered::array();
  for (const auto& [name, value] : run.params) {
    params.push_back({{"name", name}, {"value", value}});
  }
  ordered steps = ordered::array();
  for (const StepRecord& s : run.steps) {
    steps.push_back(step_json(s));
  }
  ordered j = {{"format", kRunReportFormat},
               {"command", run.command},
               {"run_id", run.run_id},
               {"runbook", run.runbook_id},
               {"title", run.title},
               {"file", run.file},
               {"file_checksum", run.file_checksum},
               {"plan_checksum", run.plan_checksum},
               {"started_at", time_or_null(run.started_at)},
               {"finished_at", time_or_null(run.finished_at)},
               {"duration_ms", run.duration_ms},
               {"user", run.user},
               {"host", run.host},
               {"tool_version", run.tool_version},
               {"database", run.database},
               {"params", params},
               {"outcome", outcome_token(run.outcome)},
               {"outcome_text", to_string(run.outcome)},
               {"exit_code", to_int(exit_code_of(run.outcome))},
               {"summary", run.summary},
               {"dry_run", run.dry_run},
               {"journal_written", run.journal_written},
               {"counts", counts_json(run)},
               {"steps", steps},
               {"captures", captures_json(run.captures)}};
  return dump(j, 2) + "\n";
}

std::optional<RunRecord> run_report_from_json(std::string_view text, std::string* error) {
  try {
    return run_from(json::parse(text));
  } catch (const std::exception& e) {  // nlohmann's parse/type errors, and ours
    if (error) {
      *error = e.what();
    }
    return std::nullopt;
  }
}

}  // namespace runbook::report

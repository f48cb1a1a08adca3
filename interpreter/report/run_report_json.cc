// report.json: the RunRecord, whole, in the shape schemas/report.schema.json
// describes, written as it goes (a run of thousands of steps writes its
// report in a few milliseconds). Every key is always present; what the record leaves unset
// (a step that never started, rows of a command) is null, so readers never
// need to guess whether a key was forgotten.

#include "base/strings.h"
#include "report/json_writer.h"
#include "report/run_report.h"

#include <nlohmann/json.hpp>

#include <array>
#include <map>
#include <stdexcept>

namespace runbook::report {

namespace {

// Read back with nlohmann; written with JsonWriter, in this order: "format"
// and the run's identity first, steps last.
using nlohmann::json;

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

void write_time(JsonWriter& w, const std::string& t) {
  t.empty() ? w.null() : w.value(t);
}

void write_sql_error(JsonWriter& w, const std::optional<SqlErrorRecord>& e) {
  if (!e) {
    w.null();
    return;
  }
  w.begin_object();
  w.key("sqlstate").value(e->sqlstate).key("message").value(e->message);
  w.key("detail").value(e->detail).key("hint").value(e->hint);
  if (!e->at.empty()) {
    w.key("at").value(e->at);
  }
  w.end_object();
}

void write_check(JsonWriter& w, const CheckRecord& c) {
  w.begin_object();
  w.key("kind").value(c.kind).key("held").value(c.held);
  w.key("expected").value(c.expected).key("actual").value(c.actual);
  w.key("where").value(c.where);
  w.end_object();
}

void write_result(JsonWriter& w, const ResultSet& r) {
  w.begin_object().key("columns").begin_array();
  for (const std::string& column : r.columns) {
    w.value(column);
  }
  w.end_array().key("rows").begin_array();
  for (const Row& row : r.rows) {
    w.begin_array();
    for (const Cell& cell : row) {
      w.value(cell);
    }
    w.end_array();
  }
  w.end_array();
  w.key("row_count").value(r.row_count).key("complete").value(r.complete);
  w.end_object();
}

template <typename T>
void write_or_null(JsonWriter& w, const std::optional<T>& v) {
  v ? w.value(*v) : w.null();
}

void write_step(JsonWriter& w, const StepRecord& s) {
  w.begin_object();
  w.key("id").value(s.id).key("phase").value(to_string(s.phase));
  w.key("kind").value(to_string(s.kind)).key("name").value(s.name);
  w.key("status").value(to_string(s.status)).key("note").value(s.note);
  write_time(w.key("started_at"), s.started_at);
  w.key("duration_ms").value(s.duration_ms).key("attempts").value(s.attempts);
  write_or_null(w.key("rows_affected"), s.rows_affected);
  w.key("sql_checksum").value(s.sql_checksum).key("checks").begin_array();
  for (const CheckRecord& c : s.checks) {
    write_check(w, c);
  }
  w.end_array();
  write_sql_error(w.key("error"), s.error);
  w.key("output").value(s.output);
  write_or_null(w.key("exit_code"), s.exit_code);
  w.key("gate_warned").value(s.gate_warned).key("rolled_back").value(s.rolled_back);
  write_sql_error(w.key("rollback_error"), s.rollback_error);
  w.key("result");
  s.result ? write_result(w, *s.result) : void(w.null());
  w.end_object();
}

// Derived, for dashboards that should not have to loop over steps.
void write_counts(JsonWriter& w, const RunRecord& run) {
  std::map<StepStatus, std::int64_t> by_status;
  std::int64_t checks = 0, checks_failed = 0;
  for (const StepRecord& s : run.steps) {
    ++by_status[s.status];
    for (const CheckRecord& c : s.checks) {
      ++checks;
      checks_failed += c.held ? 0 : 1;
    }
  }
  w.begin_object().key("steps").value(static_cast<std::int64_t>(run.steps.size()));
  for (StepStatus st : kStatuses) {
    w.key(to_string(st)).value(by_status[st]);
  }
  w.key("checks").value(checks).key("checks_failed").value(checks_failed);
  w.end_object();
}

void write_captures(JsonWriter& w, const std::vector<CaptureRecord>& captures) {
  w.begin_array();
  for (const CaptureRecord& c : captures) {
    w.begin_object().key("name").value(c.name).key("step").value(c.step).key("result");
    write_result(w, c.result);
    w.end_object();
  }
  w.end_array();
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
                        j.at("detail").get<std::string>(), j.at("hint").get<std::string>(),
                        j.value("at", std::string())};
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
  JsonWriter w(2);
  w.begin_object();
  w.key("format").value(kRunReportFormat).key("command").value(run.command);
  w.key("run_id").value(run.run_id).key("runbook").value(run.runbook_id);
  w.key("title").value(run.title).key("file").value(run.file);
  w.key("file_checksum").value(run.file_checksum).key("plan_checksum").value(run.plan_checksum);
  write_time(w.key("started_at"), run.started_at);
  write_time(w.key("finished_at"), run.finished_at);
  w.key("duration_ms").value(run.duration_ms);
  w.key("user").value(run.user).key("host").value(run.host);
  w.key("tool_version").value(run.tool_version).key("database").value(run.database);
  w.key("params").begin_array();
  for (const auto& [name, value] : run.params) {
    w.begin_object().key("name").value(name).key("value").value(value).end_object();
  }
  w.end_array();
  w.key("outcome")
      .value(outcome_token(run.outcome))
      .key("outcome_text")
      .value(to_string(run.outcome));
  w.key("exit_code").value(to_int(exit_code_of(run.outcome))).key("summary").value(run.summary);
  w.key("dry_run").value(run.dry_run).key("journal_written").value(run.journal_written);
  write_counts(w.key("counts"), run);
  w.key("steps").begin_array();
  for (const StepRecord& s : run.steps) {
    write_step(w, s);
  }
  w.end_array();
  write_captures(w.key("captures"), run.captures);
  w.end_object();
  return w.take() + "\n";
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

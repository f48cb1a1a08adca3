#include "report/events_jsonl.h"

#include "report/run_report.h"

#include <nlohmann/json.hpp>

#include <ostream>

namespace runbook::report {

namespace {

// Insertion order, so every line starts with "event" and "seq".
using ordered = nlohmann::ordered_json;

ordered null_if_empty(const std::string& s) {
  return s.empty() ? ordered(nullptr) : ordered(s);
}

ordered event(const char* name, std::int64_t seq) {
  return {{"event", name}, {"seq", seq}};
}

ordered step_identity(ordered j, const StepRecord& step) {
  j["id"] = step.id;
  j["phase"] = to_string(step.phase);
  return j;
}

ordered error_json(const SqlErrorRecord& e) {
  return {{"sqlstate", e.sqlstate}, {"message", e.message}, {"detail", e.detail}, {"hint", e.hint}};
}

// A finished step in brief: the failed checks in full (they are why a run
// stops), the passing ones only counted.
void add_outcome(ordered& j, const StepRecord& step) {
  ordered failed = ordered::array();
  for (const CheckRecord& c : step.checks) {
    if (!c.held) {
      failed.push_back(
          {{"kind", c.kind}, {"expected", c.expected}, {"actual", c.actual}, {"where", c.where}});
    }
  }
  j["checks"] = step.checks.size();
  j["checks_failed"] = failed;
  j["error"] = step.error ? error_json(*step.error) : ordered(nullptr);
  j["exit_code"] = step.exit_code ? ordered(*step.exit_code) : ordered(nullptr);
  j["gate_warned"] = step.gate_warned;
  j["rolled_back"] = step.rolled_back;
  j["rollback_error"] = step.rollback_error ? error_json(*step.rollback_error) : ordered(nullptr);
  j["note"] = step.note;
}

// Invalid UTF-8 from the database becomes U+FFFD rather than an exception:
// an event log must not stop a run.
std::string serialise(const ordered& j) {
  return j.dump(-1, ' ', false, ordered::error_handler_t::replace);
}

}  // namespace

EventsJsonl::EventsJsonl(std::string& buffer) : buffer_(&buffer) {}

EventsJsonl::EventsJsonl(std::ostream& out) : out_(&out) {}

void EventsJsonl::write_line(const std::string& line) {
  if (buffer_) {
    *buffer_ += line;
    *buffer_ += '\n';
  } else {
    *out_ << line << '\n';
    out_->flush();
  }
}

void EventsJsonl::run_started(const RunRecord& run) {
  ordered j = event("run_started", next_seq());
  j["run_id"] = run.run_id;
  j["runbook"] = run.runbook_id;
  j["title"] = run.title;
  j["file"] = run.file;
  j["started_at"] = null_if_empty(run.started_at);
  j["user"] = run.user;
  j["host"] = run.host;
  j["tool_version"] = run.tool_version;
  j["database"] = run.database;
  j["dry_run"] = run.dry_run;
  ordered params = ordered::array();
  for (const auto& [name, value] : run.params) {
    params.push_back({{"name", name}, {"value", value}});
  }
  j["params"] = params;
  write_line(serialise(j));
}

void EventsJsonl::phase_started(Phase phase) {
  ordered j = event("phase_started", next_seq());
  j["phase"] = to_string(phase);
  write_line(serialise(j));
}

void EventsJsonl::step_started(const StepRecord& step) {
  ordered j = step_identity(event("step_started", next_seq()), step);
  j["kind"] = to_string(step.kind);
  j["name"] = step.name;
  j["started_at"] = null_if_empty(step.started_at);
  j["attempt"] = step.attempts;
  write_line(serialise(j));
}

void EventsJsonl::step_progress(const StepRecord& step, const std::string& progress) {
  ordered j = step_identity(event("step_progress", next_seq()), step);
  j["progress"] = progress;
  j["rows_affected"] = step.rows_affected ? ordered(*step.rows_affected) : ordered(nullptr);
  write_line(serialise(j));
}

void EventsJsonl::step_finished(const StepRecord& step) {
  ordered j = step_identity(event("step_finished", next_seq()), step);
  j["status"] = to_string(step.status);
  j["started_at"] = null_if_empty(step.started_at);
  j["duration_ms"] = step.duration_ms;
  j["attempts"] = step.attempts;
  j["rows_affected"] = step.rows_affected ? ordered(*step.rows_affected) : ordered(nullptr);
  add_outcome(j, step);
  write_line(serialise(j));
}

void EventsJsonl::message(const std::string& text) {
  ordered j = event("message", next_seq());
  j["text"] = text;
  write_line(serialise(j));
}

void EventsJsonl::run_finished(const RunRecord& run) {
  ordered j = event("run_finished", next_seq());
  j["run_id"] = run.run_id;
  j["outcome"] = outcome_token(run.outcome);
  j["outcome_text"] = to_string(run.outcome);
  j["exit_code"] = to_int(exit_code_of(run.outcome));
  j["summary"] = run.summary;
  j["started_at"] = null_if_empty(run.started_at);
  j["finished_at"] = null_if_empty(run.finished_at);
  j["duration_ms"] = run.duration_ms;
  j["journal_written"] = run.journal_written;
  write_line(serialise(j));
}

}  // namespace runbook::report

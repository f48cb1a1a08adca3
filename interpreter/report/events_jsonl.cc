#include "report/events_jsonl.h"

#include "report/json_writer.h"
#include "report/run_report.h"

#include <ostream>

namespace runbook::report {

namespace {

// Every line starts with "event" and "seq"; each is one compact JSON object.
JsonWriter event(const char* name, std::int64_t seq) {
  JsonWriter w;
  w.begin_object().key("event").value(name).key("seq").value(seq);
  return w;
}

void time_or_null(JsonWriter& w, const std::string& t) {
  t.empty() ? w.null() : w.value(t);
}

void step_identity(JsonWriter& w, const StepRecord& step) {
  w.key("id").value(step.id).key("phase").value(to_string(step.phase));
}

void error_or_null(JsonWriter& w, const std::optional<SqlErrorRecord>& e) {
  if (!e) {
    w.null();
    return;
  }
  w.begin_object().key("sqlstate").value(e->sqlstate).key("message").value(e->message);
  w.key("detail").value(e->detail).key("hint").value(e->hint).end_object();
}

void rows_affected(JsonWriter& w, const StepRecord& step) {
  w.key("rows_affected");
  step.rows_affected ? w.value(*step.rows_affected) : w.null();
}

// A finished step in brief: the failed checks in full (they are why a run
// stops), the passing ones only counted.
void add_outcome(JsonWriter& w, const StepRecord& step) {
  w.key("checks").value(static_cast<std::int64_t>(step.checks.size()));
  w.key("checks_failed").begin_array();
  for (const CheckRecord& c : step.checks) {
    if (!c.held) {
      w.begin_object().key("kind").value(c.kind).key("expected").value(c.expected);
      w.key("actual").value(c.actual).key("where").value(c.where).end_object();
    }
  }
  w.end_array();
  error_or_null(w.key("error"), step.error);
  w.key("exit_code");
  step.exit_code ? w.value(*step.exit_code) : w.null();
  w.key("gate_warned").value(step.gate_warned).key("rolled_back").value(step.rolled_back);
  error_or_null(w.key("rollback_error"), step.rollback_error);
  w.key("note").value(step.note);
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
  JsonWriter w = event("run_started", next_seq());
  w.key("run_id").value(run.run_id).key("runbook").value(run.runbook_id);
  w.key("title").value(run.title).key("file").value(run.file);
  time_or_null(w.key("started_at"), run.started_at);
  w.key("user").value(run.user).key("host").value(run.host);
  w.key("tool_version").value(run.tool_version).key("database").value(run.database);
  w.key("dry_run").value(run.dry_run).key("params").begin_array();
  for (const auto& [name, value] : run.params) {
    w.begin_object().key("name").value(name).key("value").value(value).end_object();
  }
  w.end_array().end_object();
  write_line(w.take());
}

void EventsJsonl::phase_started(Phase phase) {
  JsonWriter w = event("phase_started", next_seq());
  w.key("phase").value(to_string(phase)).end_object();
  write_line(w.take());
}

void EventsJsonl::step_started(const StepRecord& step) {
  JsonWriter w = event("step_started", next_seq());
  step_identity(w, step);
  w.key("kind").value(to_string(step.kind)).key("name").value(step.name);
  time_or_null(w.key("started_at"), step.started_at);
  w.key("attempt").value(step.attempts).end_object();
  write_line(w.take());
}

void EventsJsonl::step_progress(const StepRecord& step, const std::string& progress) {
  JsonWriter w = event("step_progress", next_seq());
  step_identity(w, step);
  w.key("progress").value(progress);
  rows_affected(w, step);
  w.end_object();
  write_line(w.take());
}

void EventsJsonl::step_finished(const StepRecord& step) {
  JsonWriter w = event("step_finished", next_seq());
  step_identity(w, step);
  w.key("status").value(to_string(step.status));
  time_or_null(w.key("started_at"), step.started_at);
  w.key("duration_ms").value(step.duration_ms).key("attempts").value(step.attempts);
  rows_affected(w, step);
  add_outcome(w, step);
  w.end_object();
  write_line(w.take());
}

void EventsJsonl::message(const std::string& text) {
  JsonWriter w = event("message", next_seq());
  w.key("text").value(text).end_object();
  write_line(w.take());
}

void EventsJsonl::run_finished(const RunRecord& run) {
  JsonWriter w = event("run_finished", next_seq());
  w.key("run_id").value(run.run_id).key("outcome").value(outcome_token(run.outcome));
  w.key("outcome_text").value(to_string(run.outcome));
  w.key("exit_code").value(to_int(exit_code_of(run.outcome))).key("summary").value(run.summary);
  time_or_null(w.key("started_at"), run.started_at);
  time_or_null(w.key("finished_at"), run.finished_at);
  w.key("duration_ms").value(run.duration_ms).key("journal_written").value(run.journal_written);
  w.end_object();
  write_line(w.take());
}

}  // namespace runbook::report

#include "report/redact.h"

#include "plan/planner.h"

namespace runbook::report {

namespace {

void mask(std::string& text, const std::vector<std::string>& secrets) {
  text = plan::redact(std::move(text), secrets);
}

void mask(ResultSet& result, const std::vector<std::string>& secrets) {
  for (std::string& column : result.columns) {
    mask(column, secrets);
  }
  for (Row& row : result.rows) {
    for (Cell& cell : row) {
      if (cell) {
        mask(*cell, secrets);
      }
    }
  }
}

void mask(std::optional<SqlErrorRecord>& e, const std::vector<std::string>& secrets) {
  if (e) {
    for (std::string* s : {&e->message, &e->detail, &e->hint}) {
      mask(*s, secrets);
    }
  }
}

}  // namespace

void redact_step(StepRecord& step, const std::vector<std::string>& secrets) {
  for (std::string* s : {&step.name, &step.note, &step.output}) {
    mask(*s, secrets);
  }
  for (CheckRecord& c : step.checks) {
    mask(c.expected, secrets);
    mask(c.actual, secrets);
  }
  mask(step.error, secrets);
  mask(step.rollback_error, secrets);
  if (step.result) {
    mask(*step.result, secrets);
  }
}

void redact_run(RunRecord& run, const std::vector<std::string>& secrets) {
  for (std::string* s : {&run.summary, &run.database, &run.title}) {
    mask(*s, secrets);
  }
  for (StepRecord& step : run.steps) {
    redact_step(step, secrets);
  }
  for (CaptureRecord& capture : run.captures) {
    mask(capture.result, secrets);
  }
}

}  // namespace runbook::report

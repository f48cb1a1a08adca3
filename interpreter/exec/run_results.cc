// What the reports keep of the rows a run read: a check's result and the
// captures, bounded so that a report stays small whatever the data.

#include "exec/run_context.h"

#include <map>

namespace runbook::exec {

namespace {

// Rows and cell length kept per result: enough to see what a check found.
constexpr std::size_t kReportedRows = 20;
constexpr std::size_t kReportedCellBytes = 1024;

// The first `n` bytes of `text`, backing off so no UTF-8 sequence is split.
std::string clip_cell(const std::string& text) {
  if (text.size() <= kReportedCellBytes) {
    return text;
  }
  std::size_t n = kReportedCellBytes;
  while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) {
    --n;
  }
  return text.substr(0, n) + "…";
}

ResultSet bounded(const std::vector<std::string>& columns, const std::vector<Row>& rows,
                  std::int64_t row_count, bool complete) {
  ResultSet out;
  out.columns = columns;
  out.row_count = row_count;
  out.complete = complete;
  for (std::size_t i = 0; i < rows.size() && i < kReportedRows; ++i) {
    Row row;
    for (const Cell& cell : rows[i]) {
      row.push_back(cell ? Cell(clip_cell(*cell)) : Cell());
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

}  // namespace

ResultSet reported_result(const ResultSet& sample) {
  return bounded(sample.columns, sample.rows, sample.row_count, sample.complete);
}

void record_captures(RunContext& ctx) {
  std::map<std::string, std::string> captured_by;  // the last step that captured each name
  for (const plan::PlannedStep& planned : ctx.plan.steps) {
    if (planned.capture.empty()) {
      continue;
    }
    for (const StepRecord& step : ctx.record.steps) {
      if (step.id == planned.id && step.status != StepStatus::skipped) {
        captured_by[planned.capture] = step.id;
      }
    }
  }
  ctx.record.captures.clear();
  for (const auto& [name, step] : captured_by) {
    if (const expect::CapturedResult* c = ctx.captures.find(name)) {
      ctx.record.captures.push_back(
          CaptureRecord{name, step, bounded(c->columns, c->rows, c->row_count, true)});
    }
  }
}

}  // namespace runbook::exec

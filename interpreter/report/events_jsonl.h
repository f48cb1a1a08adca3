#pragma once
// events.jsonl: the run as it happens, one JSON object per line, for tools
// that follow a run (tail -f, a deploy dashboard) or replay it afterwards.
//
// Each line has "event" (run_started, phase_started, step_started,
// step_progress, step_finished, message, run_finished) and "seq" (1, 2, ...:
// the order, since not every event carries a time). Times are the ones the
// caller put in the records (started_at, finished_at, duration_ms); this
// class never reads a clock, so the same calls give the same bytes.
//
//   {"event":"step_finished","seq":7,"id":"add-fk","phase":"steps",
//    "status":"done","started_at":"...","duration_ms":1200,"rows_affected":42,...}

#include "exec/ports.h"

#include <cstdint>
#include <iosfwd>
#include <string>

namespace runbook::report {

class EventsJsonl final : public exec::RunObserver {
 public:
  // Appends to `buffer`, which must outlive this object.
  explicit EventsJsonl(std::string& buffer);
  // Writes to `out` and flushes after each line, so a follower sees events
  // as they happen. `out` must outlive this object.
  explicit EventsJsonl(std::ostream& out);

  void run_started(const RunRecord& run) override;
  void phase_started(Phase phase) override;
  void step_started(const StepRecord& step) override;
  void step_progress(const StepRecord& step, const std::string& progress) override;
  void step_finished(const StepRecord& step) override;
  void message(const std::string& text) override;
  void run_finished(const RunRecord& run) override;

 private:
  // Writes one serialised event and its newline.
  void write_line(const std::string& line);
  std::int64_t next_seq() { return ++seq_; }

  std::string* buffer_ = nullptr;
  std::ostream* out_ = nullptr;
  std::int64_t seq_ = 0;
};

}  // namespace runbook::report

#pragma once
// The live view of a run for the person who started it (stderr):
//
//   runbook recipes-phase-1-4: Recipe constraints and indexes
//     database: host=/tmp port=5432 dbname=app user=me
//     run: 20250115T100000Z-3f2a
//
//   preflight
//     ▶ pg-version …
//     ✓ pg-version  12 ms
//   steps
//     ✓ unique-recipe-item  1.2 s  42 rows
//     ✗ add-fk  2.0 s  ERROR 55P03: canceling statement due to lock timeout
//     – archive  skipped (when: params.archive is false)
//     ! orphans  30 ms  warning: rows: expected 0 rows, got 3 rows
//
//   NO-GO: a step failed  ·  exit 2  ·  4.5 s
//   ...each gate with ✓/✗, then where the artifacts are
//
// On a terminal the running step's line is rewritten in place (\r, padded
// with spaces, no escape codes) as progress comes in, at most ten times a
// second; elsewhere (a CI log) every line is final and progress is printed
// at most every five seconds, however often the executor reports it. ANSI
// colours only when the caller asks for them (colour_wanted()).

#include "exec/ports.h"

#include <chrono>
#include <functional>
#include <iosfwd>
#include <string>

namespace runbook::adapters {

class StatusPrinter final : public exec::RunObserver {
 public:
  using Now = std::function<std::chrono::steady_clock::time_point()>;

  // `out` must outlive the printer. `colour`: ANSI colours (the caller
  // decides, see colour_wanted). `terminal`: `out` is a terminal, so the
  // running step may be redrawn in place. `now`: the monotonic clock that
  // paces progress; steady_clock when empty (tests pass their own).
  StatusPrinter(std::ostream& out, bool colour, bool terminal, Now now = {});

  // Where the artifacts are written, named in the closing summary; "" for none.
  void set_artifacts(std::string dir) { artifacts_ = std::move(dir); }
  // Progress at most this often, on a terminal and in a log alike.
  void set_progress_interval(std::chrono::milliseconds every) {
    live_interval_ = log_interval_ = every;
  }

  void run_started(const RunRecord& run) override;
  void phase_started(Phase phase) override;
  void step_started(const StepRecord& step) override;
  void step_progress(const StepRecord& step, const std::string& progress) override;
  void step_finished(const StepRecord& step) override;
  void message(const std::string& text) override;
  void run_finished(const RunRecord& run) override;

 private:
  using TimePoint = std::chrono::steady_clock::time_point;

  // A final line; a live line in progress is cleared first and redrawn after.
  void line(const std::string& text);
  // Terminal only: shows `text` as the live line (no newline), for `step_id`.
  void live(const std::string& text, const std::string& step_id);
  // The step's live line, if it is showing, becomes this final line.
  void finish_live(const std::string& text, const std::string& step_id);
  void clear_live();
  // What clears the live line, "" when none shows.
  std::string cleared_live() const;
  // Writes and flushes `bytes` in one go.
  void emit(const std::string& bytes);

  // `text` in colour `code` when colour is on.
  std::string paint(const char* code, const std::string& text) const;
  void print_details(const StepRecord& step);
  void print_gates(const RunRecord& run);

  std::ostream& out_;
  bool colour_;
  bool terminal_;
  Now now_;
  std::string artifacts_;

  // The line being rewritten on a terminal: its text and width on screen.
  bool live_open_ = false;
  std::string live_text_;
  std::size_t live_width_ = 0;
  std::string live_step_;
  std::string live_head_;  // "▶ id …", which progress extends

  std::chrono::milliseconds live_interval_;
  std::chrono::milliseconds log_interval_;

  std::string current_step_;  // the step the times below belong to
  TimePoint step_started_at_{};
  TimePoint last_progress_at_{};
};

}  // namespace runbook::adapters

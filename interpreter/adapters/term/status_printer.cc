#include "adapters/term/status_printer.h"

#include "adapters/term/side_by_side.h"
#include "base/duration.h"
#include "base/strings.h"
#include "report/run_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <ostream>

namespace runbook::adapters {

namespace {

constexpr const char* kBold = "\x1b[1m";
constexpr const char* kDim = "\x1b[2m";
constexpr const char* kRed = "\x1b[31m";
constexpr const char* kGreen = "\x1b[32m";
constexpr const char* kYellow = "\x1b[33m";
constexpr const char* kCyan = "\x1b[36m";
constexpr const char* kReset = "\x1b[0m";

// A terminal redraw costs little, but hundreds a second would flicker and
// slow the run down; a log line every few seconds is all a CI log wants.
constexpr auto kLiveInterval = std::chrono::milliseconds(100);
constexpr auto kLogInterval = std::chrono::seconds(5);
// The live line is clipped so it never wraps on an 80-column terminal:
// \r returns only to the start of the last screen row.
constexpr std::size_t kLiveWidth = 79;
// Expected and actual side by side when they fit in this many columns.
constexpr std::size_t kDetailWidth = 116;

// Columns on screen, not counting colour escape sequences.
std::size_t visible_width(std::string_view s) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\x1b') {
      i = std::min(s.find('m', i), s.size());
    } else if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      ++width;
    }
  }
  return width;
}

// The first `width` columns of plain text.
std::string clip(const std::string& s, std::size_t width) {
  if (display_width(s) <= width) {
    return s;
  }
  std::size_t cols = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && ++cols > width - 1) {
      break;
    }
  }
  return s.substr(0, i) + "…";
}

std::string rows_text(std::int64_t n) {
  return fmt::format("{} row{}", n, n == 1 ? "" : "s");
}

bool warned(const StepRecord& s) {
  return s.status == StepStatus::warned || (s.gate_warned && s.status == StepStatus::done);
}

bool undone(const StepRecord& s) {
  return s.status == StepStatus::rolled_back || (s.rolled_back && s.status == StepStatus::done);
}

const char* symbol(const StepRecord& s) {
  if (s.rollback_error) {
    return "✗";
  }
  if (undone(s)) {
    return "↶";
  }
  if (warned(s)) {
    return "!";
  }
  switch (s.status) {
    case StepStatus::done:
      return "✓";
    case StepStatus::failed:
      return "✗";
    case StepStatus::running:
      return "✗";  // finished while running: interrupted
    case StepStatus::skipped:
      return "–";
    case StepStatus::rolled_back:
      return "↶";
    case StepStatus::pending:
      return "·";
    case StepStatus::warned:
      return "!";
  }
  return "?";
}

const char* symbol_colour(const StepRecord& s) {
  if (s.rollback_error) {
    return kRed;
  }
  if (undone(s)) {
    return kCyan;
  }
  if (warned(s)) {
    return kYellow;
  }
  switch (s.status) {
    case StepStatus::done:
      return kGreen;
    case StepStatus::failed:
    case StepStatus::running:
      return kRed;
    case StepStatus::rolled_back:
      return kCyan;
    default:
      return kDim;
  }
}

const char* outcome_colour(RunOutcome o) {
  switch (o) {
    case RunOutcome::go:
      return kGreen;
    case RunOutcome::go_with_warnings:
      return kYellow;
    case RunOutcome::dry_run:
      return kCyan;
    default:
      return kRed;
  }
}

// What follows the id on a finished step's line.
std::string finish_words(const StepRecord& s) {
  switch (s.status) {
    case StepStatus::skipped:
      return s.note.empty() ? "skipped" : "skipped (" + s.note + ")";
    case StepStatus::pending:
      return "not run";
    case StepStatus::running:
      return "interrupted";
    default:
      break;
  }
  std::string out = human_duration(Millis(s.duration_ms));
  if (s.rows_affected) {
    out += "  " + rows_text(*s.rows_affected);
  }
  if (s.attempts > 1) {
    out += fmt::format("  {} attempts", s.attempts);
  }
  if (undone(s)) {
    out += "  rolled back";
  }
  std::string problem = report::step_problem(s);
  if (warned(s) && !problem.empty()) {
    out += "  warning: " + problem;
  } else if (s.status == StepStatus::failed && !problem.empty()) {
    out += "  " + problem;
  }
  return out;
}

bool is_gate(const StepRecord& s) {
  return !s.checks.empty() || s.kind == StepKind::query || s.kind == StepKind::confirm ||
         s.status == StepStatus::failed || s.status == StepStatus::running;
}

// A gate's line in the summary: why it failed, or what held.
std::string gate_words(const StepRecord& s) {
  std::string problem = report::step_problem(s);
  if (s.status == StepStatus::failed || warned(s) || s.status == StepStatus::running) {
    return s.status == StepStatus::running ? "interrupted" : problem;
  }
  if (s.status == StepStatus::skipped || s.status == StepStatus::pending) {
    return finish_words(s);
  }
  if (s.checks.size() == 1) {
    return report::check_line(s.checks[0]);
  }
  return s.checks.empty() ? "" : fmt::format("{} checks held", s.checks.size());
}

}  // namespace

StatusPrinter::StatusPrinter(std::ostream& out, bool colour, bool terminal, Now now)
    : out_(out),
      colour_(colour),
      terminal_(terminal),
      now_(std::move(now)),
      live_interval_(kLiveInterval),
      log_interval_(kLogInterval) {
  if (!now_) {
    now_ = [] { return std::chrono::steady_clock::now(); };
  }
}

std::string StatusPrinter::paint(const char* code, const std::string& text) const {
  return colour_ ? code + text + kReset : text;
}

// Each update goes out in one write: std::cerr is unbuffered, and a line
// written piece by piece would cost a system call per piece.
std::string StatusPrinter::cleared_live() const {
  return live_open_ ? '\r' + std::string(live_width_, ' ') + '\r' : std::string();
}

void StatusPrinter::emit(const std::string& bytes) {
  out_.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out_.flush();
}

void StatusPrinter::clear_live() {
  if (live_open_) {
    emit(cleared_live());
  }
}

void StatusPrinter::line(const std::string& text) {
  emit(cleared_live() + text + '\n' + (live_open_ ? live_text_ : std::string()));
}

void StatusPrinter::live(const std::string& text, const std::string& step_id) {
  std::size_t width = visible_width(text);
  std::string bytes = '\r' + text;
  if (live_open_ && live_width_ > width) {
    // Blank out the tail of the longer line this one replaces.
    bytes += std::string(live_width_ - width, ' ') + std::string(live_width_ - width, '\b');
  }
  emit(bytes);
  live_open_ = true;
  live_text_ = text;
  live_width_ = width;
  live_step_ = step_id;
}

void StatusPrinter::finish_live(const std::string& text, const std::string& step_id) {
  if (!live_open_ || live_step_ != step_id) {
    line(text);
    return;
  }
  std::string bytes = cleared_live() + text + '\n';
  live_open_ = false;
  emit(bytes);
}

void StatusPrinter::run_started(const RunRecord& run) {
  std::string head = "runbook " + run.runbook_id + (run.title.empty() ? "" : ": " + run.title);
  line(paint(kBold, head));
  if (!run.database.empty()) {
    line("  database: " + run.database);
  }
  if (!run.run_id.empty()) {
    line((run.command == "rollback" ? "  rollback: " : "  run: ") + run.run_id);
  }
  if (run.dry_run) {
    line(paint(kCyan, run.command == "rollback" ? "  dry run: nothing is undone"
                                                : "  dry run: preflight only, nothing is written"));
  }
}

void StatusPrinter::phase_started(Phase phase) {
  line("");
  line(paint(kBold, to_string(phase)));
}

void StatusPrinter::step_started(const StepRecord& step) {
  current_step_ = step.id;
  step_started_at_ = now_();
  last_progress_at_ = step_started_at_;
  live_head_ = "  ▶ " + step.id + " …";
  if (terminal_) {
    live(clip(live_head_, kLiveWidth), step.id);
  } else {
    line(live_head_);
  }
}

void StatusPrinter::step_progress(const StepRecord& step, const std::string& progress) {
  TimePoint now = now_();
  if (step.id != current_step_) {  // progress without a start: time it from here
    current_step_ = step.id;
    step_started_at_ = last_progress_at_ = now;
    live_head_ = "  ▶ " + step.id + " …";
  }
  if (now - last_progress_at_ <
      (terminal_ ? TimePoint::duration(live_interval_) : TimePoint::duration(log_interval_))) {
    return;
  }
  last_progress_at_ = now;
  auto elapsed = std::chrono::duration_cast<Millis>(now - step_started_at_);
  std::string text = std::string(trim(progress.substr(0, progress.find('\n'))));
  if (terminal_) {
    live(clip(live_head_ + " " + text + "  " + human_duration(elapsed), kLiveWidth), step.id);
  } else {
    line("  … " + step.id + "  " + text + "  " + human_duration(elapsed));
  }
}

void StatusPrinter::step_finished(const StepRecord& step) {
  std::string text =
      "  " + paint(symbol_colour(step), symbol(step)) + " " + step.id + "  " + finish_words(step);
  finish_live(text, step.id);
  if (step.status == StepStatus::failed || warned(step) || step.rollback_error) {
    print_details(step);
  }
}

// The why of a failed or warned step, under its line: each check that did
// not hold with expected beside actual, the server's detail and hint, the
// command's output, a failed rollback.
void StatusPrinter::print_details(const StepRecord& step) {
  const std::string pad = "      ";
  for (const CheckRecord& c : step.checks) {
    if (c.held || (c.expected.find('\n') == std::string::npos &&
                   c.actual.find('\n') == std::string::npos && step.checks.size() == 1)) {
      continue;  // held, or already said in full on the step's line
    }
    line(pad + paint(kDim, "check " + c.kind + (c.where.empty() ? "" : " at " + c.where)));
    for (const std::string& l :
         side_by_side("expected", c.expected, "actual", c.actual, kDetailWidth - pad.size())) {
      line(pad + l);
    }
  }
  if (std::string rows = report::found_rows(step); !rows.empty()) {
    line(pad + paint(kDim, "rows found"));
    for (std::string_view l : split_lines(std::string_view(rows))) {
      line(pad + std::string(l));
    }
  }
  if (step.error && !step.error->at.empty()) {
    line(pad + paint(kDim, "at " + step.error->at));
  }
  if (step.error && !step.error->detail.empty()) {
    line(pad + "DETAIL: " + step.error->detail);
  }
  if (step.error && !step.error->hint.empty()) {
    line(pad + "HINT: " + step.error->hint);
  }
  if (!step.output.empty() && step.status == StepStatus::failed) {
    std::string_view output = trim(step.output);
    for (std::string_view l : split_lines(output)) {
      line(pad + "│ " + std::string(l));
    }
  }
  if (step.rollback_error) {
    line(pad + paint(kRed, "rollback failed: " + report::sql_error_line(*step.rollback_error)));
  }
}

void StatusPrinter::message(const std::string& text) {
  std::vector<std::string_view> lines = split_lines(std::string_view(text));
  for (std::size_t i = 0; i < lines.size(); ++i) {
    line(paint(kDim, std::string(i == 0 ? "    · " : "      ") + std::string(lines[i])));
  }
}

void StatusPrinter::print_gates(const RunRecord& run) {
  std::size_t id_width = 0;
  for (const StepRecord& s : run.steps) {
    if (is_gate(s)) {
      id_width = std::max(id_width, display_width(s.id));
    }
  }
  if (id_width == 0) {
    return;
  }
  line("gates:");
  for (const StepRecord& s : run.steps) {
    if (is_gate(s)) {
      std::string id = s.id + std::string(id_width - display_width(s.id), ' ');
      std::string words = gate_words(s);
      std::string text = "  " + paint(symbol_colour(s), symbol(s)) + " " + id;
      line(words.empty() ? text : text + "  " + words);
    }
  }
}

void StatusPrinter::run_finished(const RunRecord& run) {
  clear_live();
  live_open_ = false;
  line("");
  line(paint(kBold, paint(outcome_colour(run.outcome), to_string(run.outcome))) +
       fmt::format("  ·  exit {}  ·  {}", to_int(exit_code_of(run.outcome)),
                   human_duration(Millis(run.duration_ms))));
  if (!run.summary.empty()) {
    line("  " + run.summary);
  }
  print_gates(run);
  if (!artifacts_.empty()) {
    line("artifacts: " + artifacts_);
  }
}

}  // namespace runbook::adapters

// report.md: the run told to a reviewer, readable as a pull-request comment
// or pasted into a change record. Outcome first, then who/when/where, the
// params, every step in one table, and only then the details of what failed
// or warned, with expected and actual side by side.

#include "base/duration.h"
#include "base/strings.h"
#include "report/run_report.h"

#include <fmt/format.h>

namespace runbook::report {

namespace {

// A fence longer than any backtick run in `body`, so text holding ``` stays intact.
std::string fence_for(std::string_view body) {
  std::size_t longest = 0, run = 0;
  for (char c : body) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return std::string(std::max<std::size_t>(3, longest + 1), '`');
}

// Leading blank lines and trailing whitespace go; the first line keeps its
// leading spaces, which a psql table's header needs to stay aligned.
std::string_view strip_blank_edges(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) {
    s.remove_suffix(1);
  }
  std::size_t first_text = s.find_first_not_of(" \t\r\n");
  std::size_t line_start = s.rfind('\n', first_text);
  return line_start == std::string_view::npos || first_text == std::string_view::npos
             ? s
             : s.substr(line_start + 1);
}

std::string code_block(std::string_view body) {
  body = strip_blank_edges(body);
  std::string fence = fence_for(body);
  return fence + "text\n" + std::string(body) + "\n" + fence + "\n";
}

// Inline code that survives backticks in the text.
std::string code_span(std::string_view s) {
  if (s.empty()) {
    return "";
  }
  std::string ticks = s.find('`') == std::string_view::npos ? "`" : "``";
  std::string pad = s.front() == '`' || s.back() == '`' ? " " : "";
  return ticks + pad + std::string(s) + pad + ticks;
}

// Text for a table cell: pipes escaped, line breaks as spaces.
std::string cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

const char* outcome_icon(RunOutcome o) {
  switch (o) {
    case RunOutcome::go:
      return "✅";
    case RunOutcome::go_with_warnings:
      return "⚠️";
    case RunOutcome::dry_run:
      return "🔍";
    default:
      return "❌";
  }
}

std::string status_cell(const StepRecord& s) {
  std::string text;
  switch (s.status) {
    case StepStatus::done:
      text = "✅ done";
      break;
    case StepStatus::failed:
      text = "❌ failed";
      break;
    case StepStatus::warned:
      text = "⚠️ warned";
      break;
    case StepStatus::skipped:
      text = "⏭️ skipped";
      break;
    case StepStatus::rolled_back:
      text = "↩️ rolled back";
      break;
    case StepStatus::running:
      text = "⛔ interrupted";
      break;
    case StepStatus::pending:
      text = "· not run";
      break;
  }
  if (s.status == StepStatus::skipped && !s.note.empty()) {
    text += " (" + s.note + ")";
  }
  if (s.rolled_back && s.status != StepStatus::rolled_back) {
    text += ", ↩️ rolled back";
  }
  if (s.rollback_error) {
    text += ", ❌ rollback failed";
  }
  return text;
}

bool started(const StepRecord& s) {
  return !s.started_at.empty() || s.duration_ms > 0;
}

void append_facts(std::string& out, const RunRecord& run) {
  auto row = [&](const char* label, const std::string& value) {
    if (!value.empty()) {
      out += fmt::format("| {} | {} |\n", label, cell(value));
    }
  };
  out += "| | |\n| --- | --- |\n";
  row("Runbook",
      code_span(run.runbook_id) + (run.file.empty() ? "" : " in " + code_span(run.file)));
  row("Run", code_span(run.run_id));
  row("Started", run.started_at);
  row("Finished", run.finished_at);
  row("Duration", human_duration(Millis(run.duration_ms)));
  std::string who = run.user + (run.host.empty() ? "" : " on " + run.host);
  row("By", who == " on " ? "" : who);
  row("Database", code_span(run.database));
  row("Tool", run.tool_version.empty() ? "" : "runbook " + run.tool_version);
  row("File checksum", code_span(run.file_checksum));
  row("Plan checksum", code_span(run.plan_checksum));
  row("Journal", run.journal_written ? "written" : "not written");
  row("Mode", run.dry_run ? "dry run (preflight only)" : "");
  out += "\n";
}

void append_params(std::string& out, const RunRecord& run) {
  if (run.params.empty()) {
    return;
  }
  out += "## Parameters\n\n| name | value |\n| --- | --- |\n";
  for (const auto& [name, value] : run.params) {
    out += fmt::format("| {} | {} |\n", cell(code_span(name)), cell(code_span(value)));
  }
  out += "\n";
}

void append_steps(std::string& out, const RunRecord& run) {
  if (run.steps.empty()) {
    return;
  }
  out += "## Steps\n\n| phase | step | status | duration | rows |\n";
  out += "| --- | --- | --- | ---: | ---: |\n";
  for (const StepRecord& s : run.steps) {
    std::string id = code_span(s.id) + (s.name.empty() ? "" : " " + s.name);
    out += fmt::format("| {} | {} | {} | {} | {} |\n", to_string(s.phase), cell(id), status_cell(s),
                       started(s) ? human_duration(Millis(s.duration_ms)) : std::string(),
                       s.rows_affected ? std::to_string(*s.rows_affected) : std::string());
  }
  out += "\n";
}

// Expected and actual in two columns. GitHub and GitLab render markdown
// (the code blocks) inside an HTML table when blank lines surround it.
void append_check(std::string& out, const CheckRecord& c) {
  std::string where = c.where.empty() ? "" : " at " + code_span(c.where);
  out += fmt::format("**Check {}**{} did not hold:\n\n", code_span(c.kind), where);
  out += "<table>\n<tr><th>expected</th><th>actual</th></tr>\n<tr><td>\n\n";
  out += code_block(c.expected);
  out += "\n</td><td>\n\n";
  out += code_block(c.actual);
  out += "\n</td></tr>\n</table>\n\n";
}

std::string sql_error_block(const SqlErrorRecord& e) {
  std::string text = "ERROR:  " + e.message + "\n";
  if (!e.sqlstate.empty()) {
    text += "SQLSTATE: " + e.sqlstate + "\n";
  }
  if (!e.detail.empty()) {
    text += "DETAIL:  " + e.detail + "\n";
  }
  if (!e.hint.empty()) {
    text += "HINT:  " + e.hint + "\n";
  }
  if (!e.at.empty()) {
    text += "AT:  " + e.at + "\n";
  }
  return code_block(text);
}

bool worth_detailing(const StepRecord& s) {
  for (const CheckRecord& c : s.checks) {
    if (!c.held) {
      return true;
    }
  }
  return s.status == StepStatus::failed || s.status == StepStatus::warned ||
         s.status == StepStatus::running || s.error || s.rollback_error || s.gate_warned;
}

void append_detail(std::string& out, const StepRecord& s) {
  bool warn_only = !s.error && s.status != StepStatus::failed && !s.rollback_error;
  std::string what = warn_only                                            ? "warning"
                     : s.rollback_error && s.status != StepStatus::failed ? "rollback failed"
                                                                          : to_string(s.status);
  out += fmt::format("### {} {} ({}) — {}\n\n", warn_only ? "⚠️" : "❌", code_span(s.id),
                     to_string(s.phase), what);
  if (!s.note.empty()) {
    out += s.note + "\n\n";
  }
  for (const CheckRecord& c : s.checks) {
    if (!c.held) {
      append_check(out, c);
    }
  }
  if (std::string rows = found_rows(s); !rows.empty()) {
    out += "Rows found:\n\n" + code_block(rows) + "\n";
  }
  if (s.error) {
    out += fmt::format("**Error**{}:\n\n{}\n",
                       s.error->sqlstate.empty() ? "" : " " + code_span(s.error->sqlstate),
                       sql_error_block(*s.error));
  }
  if (s.exit_code) {
    out += fmt::format("Exit code: {}\n\n", *s.exit_code);
  }
  if (!s.output.empty()) {
    out += "Output:\n\n" + code_block(s.output) + "\n";
  }
  if (s.rollback_error) {
    out += "**Rollback failed:**\n\n" + sql_error_block(*s.rollback_error) + "\n";
  }
}

}  // namespace

std::string run_report_markdown(const RunRecord& run) {
  std::string out =
      fmt::format("# {} {} — {}\n\n", outcome_icon(run.outcome), to_string(run.outcome),
                  run.title.empty() ? run.runbook_id : run.title);
  out += fmt::format("**{}** · exit code {} · {}\n\n", to_string(run.outcome),
                     to_int(exit_code_of(run.outcome)), human_duration(Millis(run.duration_ms)));
  if (!run.summary.empty()) {
    out += "> " + cell(run.summary) + "\n\n";
  }
  append_facts(out, run);
  append_params(out, run);
  append_steps(out, run);
  std::string details;
  for (const StepRecord& s : run.steps) {
    if (worth_detailing(s)) {
      append_detail(details, s);
    }
  }
  if (!details.empty()) {
    out += "## Failures and warnings\n\n" + details;
  }
  while (out.size() > 1 && out.ends_with("\n\n")) {
    out.pop_back();
  }
  return out;
}

}  // namespace runbook::report

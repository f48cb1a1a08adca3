// One-line descriptions of what went wrong, shared by report.md, junit.xml
// and the terminal so a reader sees the same sentence everywhere.

#include "base/strings.h"
#include "expect/psql_table.h"
#include "report/run_report.h"

#include <fmt/format.h>

namespace runbook::report {

namespace {

// Long enough for a real message, short enough to stay one terminal line
// and one JUnit `message` attribute.
constexpr std::size_t kLineLimit = 200;

bool one_line(std::string_view s) {
  return s.find('\n') == std::string_view::npos;
}

// The first `n` bytes of `s`, backing off so no UTF-8 sequence is split.
std::string_view utf8_prefix(std::string_view s, std::size_t n) {
  if (s.size() <= n) {
    return s;
  }
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) {
    --n;
  }
  return s.substr(0, n);
}

std::string clipped(std::string_view s) {
  s = trim(s);
  std::string_view line = utf8_prefix(s.substr(0, s.find('\n')), kLineLimit);
  return line.size() < s.size() ? std::string(trim(line)) + " …" : std::string(line);
}

}  // namespace

std::string check_line(const CheckRecord& check) {
  std::string expected(trim(check.expected));
  std::string actual(trim(check.actual));
  if (check.held) {
    return fmt::format("{}: {}", check.kind, clipped(expected));
  }
  if (one_line(expected) && one_line(actual)) {
    return clipped(fmt::format("{}: expected {}, got {}", check.kind, expected, actual));
  }
  return fmt::format("{}: did not hold", check.kind);
}

std::string sql_error_line(const SqlErrorRecord& error) {
  if (error.sqlstate.empty()) {
    return "ERROR: " + clipped(error.message);
  }
  return fmt::format("ERROR {}: {}", error.sqlstate, clipped(error.message));
}

std::string found_rows(const StepRecord& step, std::size_t max_rows) {
  if (!step.result || step.result->rows.empty()) {
    return "";
  }
  bool said_in_one_line = false;
  for (const CheckRecord& c : step.checks) {
    if (!c.held && !one_line(trim(c.actual))) {
      return "";  // the check already shows the result as a table
    }
    said_in_one_line = said_in_one_line || !c.held;
  }
  if (!said_in_one_line) {
    return "";
  }
  return expect::render_psql_table(*step.result, max_rows);
}

std::string step_problem(const StepRecord& step) {
  for (const CheckRecord& c : step.checks) {
    if (!c.held) {
      return check_line(c);
    }
  }
  if (step.error) {
    return sql_error_line(*step.error);
  }
  if (step.exit_code && *step.exit_code != 0) {
    std::string line = fmt::format("exit code {}", *step.exit_code);
    return step.note.empty() ? line : line + ": " + clipped(step.note);
  }
  return clipped(step.note);
}

}  // namespace runbook::report

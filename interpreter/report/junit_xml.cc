// junit.xml: each gate a test case, so CI shows a run like a test run.
//
// One <testsuite> per phase (all three, even when empty, so dashboards keep
// their shape), one <testcase> per step. A step that failed or whose checks
// did not hold is a <failure>; skipped or never-reached steps are <skipped>;
// a `gate: warn` check that did not hold is a passing test with the warning
// in <system-out>, since the run is GO with warnings. A rollback that failed
// is a failure of the step it belonged to.

#include "base/strings.h"
#include "report/run_report.h"

#include <fmt/format.h>

#include <array>

namespace runbook::report {

namespace {

constexpr std::array kPhases = {Phase::preflight, Phase::steps, Phase::postflight};

// The code point of the UTF-8 sequence at s[i], advancing i; -1 (and one
// byte consumed) when the bytes are not valid UTF-8: truncated, overlong,
// a surrogate or beyond U+10FFFF.
long next_code_point(std::string_view s, std::size_t& i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b0 = byte(i);
  int len = b0 < 0x80 ? 1 : (b0 >> 5) == 0x6 ? 2 : (b0 >> 4) == 0xE ? 3 : (b0 >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || i + len > s.size()) {
    ++i;
    return -1;
  }
  long cp = len == 1 ? b0 : b0 & (0xFF >> (len + 1));
  for (int k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      ++i;
      return -1;
    }
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  constexpr std::array<long, 5> kMin = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return -1;
  }
  i += len;
  return cp;
}

// XML 1.0 §2.2 Char, apart from tab/newline/CR which the caller handles.
bool allowed_in_xml(long cp) {
  return cp >= 0x20 && cp != 0xFFFE && cp != 0xFFFF;
}

std::string seconds(std::int64_t ms) {
  return fmt::format("{:.3f}", static_cast<double>(ms) / 1000.0);
}

std::string attr(std::string_view s) {
  return xml_escape(s, XmlIn::attribute);
}

bool failed(const StepRecord& s) {
  return s.status == StepStatus::failed || s.status == StepStatus::running ||
         s.rollback_error.has_value();
}

bool skipped(const StepRecord& s) {
  return !failed(s) && (s.status == StepStatus::skipped || s.status == StepStatus::pending);
}

std::string sql_error_text(const SqlErrorRecord& e) {
  std::string out = "ERROR:  " + e.message + "\n";
  if (!e.sqlstate.empty()) {
    out += "SQLSTATE: " + e.sqlstate + "\n";
  }
  if (!e.detail.empty()) {
    out += "DETAIL:  " + e.detail + "\n";
  }
  if (!e.hint.empty()) {
    out += "HINT:  " + e.hint + "\n";
  }
  return out;
}

std::string_view without_trailing_newlines(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string check_text(const CheckRecord& c) {
  std::string where = c.where.empty() ? "" : " (" + c.where + ")";
  return fmt::format("check {}{} did not hold\nexpected:\n{}\nactual:\n{}\n", c.kind, where,
                     indent(without_trailing_newlines(c.expected), 2),
                     indent(without_trailing_newlines(c.actual), 2));
}

// Everything a reader of a failed test needs: each failed check with both
// sides, the error, the command's output, the rollback's error.
std::string failure_body(const StepRecord& s) {
  std::string out;
  if (!s.note.empty()) {
    out += s.note + "\n";
  }
  for (const CheckRecord& c : s.checks) {
    if (!c.held) {
      out += check_text(c);
    }
  }
  if (s.error) {
    out += sql_error_text(*s.error);
  }
  if (s.exit_code) {
    out += fmt::format("exit code {}\n", *s.exit_code);
  }
  if (!s.output.empty()) {
    out += "output:\n" + indent(s.output, 2) + "\n";
  }
  if (s.rollback_error) {
    out += "rollback failed:\n" + sql_error_text(*s.rollback_error);
  }
  return out;
}

std::string failure_message(const StepRecord& s) {
  if (s.status == StepStatus::running) {
    return "interrupted while running";
  }
  std::string problem = step_problem(s);
  if (s.rollback_error && s.status != StepStatus::failed) {
    problem = "rollback failed: " + sql_error_line(*s.rollback_error);
  }
  return problem.empty() ? std::string(to_string(s.status)) : problem;
}

const char* failure_type(const StepRecord& s) {
  if (s.status == StepStatus::running) {
    return "interrupted";
  }
  if (s.error) {
    return "error";
  }
  if (s.status != StepStatus::failed) {
    return "rollback";
  }
  for (const CheckRecord& c : s.checks) {
    if (!c.held) {
      return "check";
    }
  }
  return s.exit_code ? "exit_code" : "failed";
}

std::string system_out(const StepRecord& s) {
  std::string out;
  for (const CheckRecord& c : s.checks) {
    if (!c.held) {
      out += "warning (gate: warn): " + check_text(c);
    }
  }
  if (s.rolled_back || s.status == StepStatus::rolled_back) {
    out += "rolled back\n";
  }
  return out;
}

std::string testcase(const RunRecord& run, const StepRecord& s) {
  std::string out = fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"{}\"",
                                attr(run.runbook_id + "." + to_string(s.phase)), attr(s.id),
                                seconds(s.duration_ms));
  std::string inner;
  if (failed(s)) {
    inner += fmt::format("      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
                         attr(failure_message(s)), failure_type(s), xml_escape(failure_body(s)));
  } else if (skipped(s)) {
    std::string why = s.note.empty() ? "not run" : s.note;
    inner += fmt::format("      <skipped message=\"{}\"/>\n", attr(why));
  }
  if (std::string text = system_out(s); !failed(s) && !text.empty()) {
    inner += "      <system-out>" + xml_escape(text) + "</system-out>\n";
  }
  return inner.empty() ? out + "/>\n" : out + ">\n" + inner + "    </testcase>\n";
}

struct Tally {
  int tests = 0, failures = 0, skipped = 0;
  std::int64_t ms = 0;
};

Tally tally(const RunRecord& run, Phase phase) {
  Tally t;
  for (const StepRecord& s : run.steps) {
    if (s.phase == phase) {
      ++t.tests;
      t.failures += failed(s) ? 1 : 0;
      t.skipped += skipped(s) ? 1 : 0;
      t.ms += s.duration_ms;
    }
  }
  return t;
}

std::string properties(const RunRecord& run) {
  auto property = [](const char* name, const std::string& value) {
    return fmt::format("      <property name=\"{}\" value=\"{}\"/>\n", name, attr(value));
  };
  return "    <properties>\n" + property("run_id", run.run_id) +
         property("outcome", to_string(run.outcome)) +
         property("exit_code", std::to_string(to_int(exit_code_of(run.outcome)))) +
         property("database", run.database) + "    </properties>\n";
}

std::string testsuite(const RunRecord& run, Phase phase) {
  Tally t = tally(run, phase);
  std::string out = fmt::format(
      "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" "
      "time=\"{}\" timestamp=\"{}\" hostname=\"{}\">\n",
      attr(run.runbook_id + "." + to_string(phase)), t.tests, t.failures, t.skipped, seconds(t.ms),
      attr(run.started_at), attr(run.host));
  out += properties(run);
  for (const StepRecord& s : run.steps) {
    if (s.phase == phase) {
      out += testcase(run, s);
    }
  }
  return out + "  </testsuite>\n";
}

}  // namespace

std::string xml_escape(std::string_view text, XmlIn where) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    std::size_t start = i;
    long cp = next_code_point(text, i);
    switch (cp) {
      case -1:
        out += "\xEF\xBF\xBD";
        break;  // U+FFFD
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\r':
        out += "&#13;";
        break;  // parsers would fold CR LF to LF
      case '\t':
        out += where == XmlIn::attribute ? "&#9;" : "\t";
        break;
      case '\n':
        out += where == XmlIn::attribute ? "&#10;" : "\n";
        break;
      default:
        if (allowed_in_xml(cp)) {
          out.append(text.substr(start, i - start));
        }
    }
  }
  return out;
}

std::string junit_xml(const RunRecord& run) {
  int tests = 0, failures = 0, skips = 0;
  for (Phase p : kPhases) {
    Tally t = tally(run, p);
    tests += t.tests;
    failures += t.failures;
    skips += t.skipped;
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format(
      "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" "
      "time=\"{}\">\n",
      attr(run.runbook_id), tests, failures, skips, seconds(run.duration_ms));
  for (Phase p : kPhases) {
    out += testsuite(run, p);
  }
  return out + "</testsuites>\n";
}

}  // namespace runbook::report

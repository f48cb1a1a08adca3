#include "lint/format.h"

#include <algorithm>

namespace runbook::lint {

namespace {

std::string plural(int n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// GitHub's workflow command escapes: data escapes %, CR and LF; property
// values also `:` and `,`.
std::string escape_data(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '%') {
      out += "%25";
    } else if (c == '\r') {
      out += "%0D";
    } else if (c == '\n') {
      out += "%0A";
    } else {
      out += c;
    }
  }
  return out;
}

std::string escape_property(const std::string& s) {
  std::string out;
  for (char c : escape_data(s)) {
    if (c == ':') {
      out += "%3A";
    } else if (c == ',') {
      out += "%2C";
    } else {
      out += c;
    }
  }
  return out;
}

const char* github_level(Severity s) {
  switch (s) {
    case Severity::error:
      return "error";
    case Severity::warning:
      return "warning";
    case Severity::info:
      break;
  }
  return "notice";
}

}  // namespace

Counts count(const std::vector<Finding>& findings) {
  Counts c;
  for (const Finding& f : findings) {
    if (f.suppressed) {
      ++c.suppressed;
    } else if (f.severity == Severity::error) {
      ++c.errors;
    } else if (f.severity == Severity::warning) {
      ++c.warnings;
    } else {
      ++c.infos;
    }
  }
  return c;
}

bool fails(const std::vector<Finding>& findings) {
  return std::any_of(findings.begin(), findings.end(), [](const Finding& f) {
    return !f.suppressed && f.severity == Severity::error;
  });
}

std::string format_text(const Finding& f) {
  if (f.suppressed) {
    return "";
  }
  std::string out = f.where.str() + ": " + std::string(severity_name(f.severity)) + ": [" + f.rule +
                    "] " + f.message + "\n";
  if (!f.hint.empty()) {
    out += "  hint: " + f.hint + "\n";
  }
  for (const Location& use : f.used_at) {
    out += "  note: used at " + use.str() + "\n";
  }
  return out;
}

std::string format_github(const Finding& f) {
  if (f.suppressed) {
    return "";
  }
  std::string props = "file=" + escape_property(f.where.file);
  if (f.where.known()) {
    props += ",line=" + std::to_string(f.where.line);
    if (f.where.column > 0) {
      props += ",col=" + std::to_string(f.where.column);
    }
  }
  props += ",title=" + escape_property("runbook lint " + f.rule);
  std::string message = f.message + (f.hint.empty() ? "" : "\nhint: " + f.hint);
  return std::string("::") + github_level(f.severity) + " " + props + "::" + escape_data(message) +
         "\n";
}

std::string summary_line(const Counts& c, int files) {
  std::string out = plural(c.errors, "error") + ", " + plural(c.warnings, "warning") + ", " +
                    plural(c.infos, "info");
  if (c.suppressed > 0) {
    out += " (" + std::to_string(c.suppressed) + " suppressed)";
  }
  return out + " in " + plural(files, "file");
}

}  // namespace runbook::lint

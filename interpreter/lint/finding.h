#pragma once
// A lint finding: one rule's verdict on one statement, step or check.

#include "base/location.h"

#include <string>
#include <string_view>
#include <vector>

namespace runbook::lint {

// error: fails `runbook lint` (exit 1) unless the step allows the rule;
// warning: worth a reviewer's look; info: a fact a reviewer may want.
enum class Severity { error, warning, info };

struct Finding {
  std::string rule;  // the rule id, e.g. "require-concurrent-index"
  Severity severity = Severity::warning;
  std::string message;            // one line, names the statement by its first words
  std::string hint;               // the safe alternative
  Location where;                 // the statement, check or step in its file
  std::vector<Location> used_at;  // `use:` lines that led to a template's step
  std::string step;               // planned step id ("" for the runbook as a whole)
  bool in_rollback = false;       // about the step's rollback SQL
  // Silenced by the step's `lint: { allow: [...], why }`; kept for JSON output.
  bool suppressed = false;
  std::string why;
};

std::string_view severity_name(Severity s);  // "error", "warning", "info"

// Where a finding sorts in its runbook: the `use:` line in the runbook file
// for a step from a template, the finding's own place otherwise.
const Location& anchor(const Finding& f);

// By anchor (file, line, column), then by place, rule id and message.
bool comes_before(const Finding& a, const Finding& b);

}  // namespace runbook::lint

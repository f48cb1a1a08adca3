#pragma once
// Findings as text for people and as GitHub Actions workflow commands.
// (JSON is written by the command, with the JSON library.)

#include "lint/finding.h"

#include <string>
#include <vector>

namespace runbook::lint {

struct Counts {
  int errors = 0;
  int warnings = 0;
  int infos = 0;
  int suppressed = 0;  // not counted in the three above
};

Counts count(const std::vector<Finding>& findings);
// Whether `runbook lint` fails: an error that no allow list silences.
bool fails(const std::vector<Finding>& findings);

// "FILE:LINE:COL: error: [rule-id] message", then "  hint: ..." and, for a
// step from a template, "  note: used at FILE:LINE:COL". Suppressed
// findings are for JSON only: "" for them.
std::string format_text(const Finding& f);
// "::error file=F,line=L,col=C,title=runbook lint rule-id::message"
// (warning for warnings, notice for infos); "" for suppressed findings.
std::string format_github(const Finding& f);
// "2 errors, 1 warning, 0 infos (1 suppressed) in 3 files".
std::string summary_line(const Counts& c, int files);

}  // namespace runbook::lint

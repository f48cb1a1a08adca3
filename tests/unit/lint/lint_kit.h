#pragma once
// Linting runbooks written in a test: plan YAML text in memory, lint it,
// and ask which rules spoke. Header-only (each *_test.cc includes it).

#include "base/strings.h"
#include "lint/linter.h"
#include "load/runbook_loader.h"
#include "plan/plan_fixture.h"
#include "plan/planner.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lint_kit {

using runbook::lint::Finding;

using runbook::testing::first_error;
using runbook::testing::MemoryFiles;
using runbook::testing::Planned;

// Plans the runbook `yaml` (file "rb/main.yaml") and lints it. A runbook
// that does not plan fails the test.
inline std::vector<Finding> lint_yaml(const std::string& yaml, MemoryFiles files = {}) {
  Planned p = runbook::testing::plan_of(yaml, std::move(files));
  REQUIRE_MESSAGE(p.plan.has_value(), first_error(p.diags));
  return runbook::lint::lint_plan(*p.plan);
}

// One step per entry of `steps`, each its SQL, with timeouts in the session
// and every rollback declared irreversible: only the rule under test speaks.
// `step_options` is added to the last step (indented YAML lines, e.g.
// "    batch: { size: 10 }\n").
inline std::vector<Finding> lint_steps(const std::vector<std::string>& steps,
                                       const std::string& step_options = "",
                                       const std::string& session =
                                           "session:\n  lock_timeout: 2s\n"
                                           "  statement_timeout: 1min\n") {
  std::string yaml = "runbook: t\n" + session + "steps:\n";
  for (std::size_t i = 0; i < steps.size(); ++i) {
    yaml += "  - id: s" + std::to_string(i + 1) + "\n    sql: |\n" + runbook::indent(steps[i], 6) +
            "\n    rollback: { irreversible: test }\n";
    if (i + 1 == steps.size()) {
      yaml += step_options;
    }
  }
  return lint_yaml(yaml);
}

inline std::vector<Finding> lint_sql(const std::string& sql, const std::string& step_options = "") {
  return lint_steps({sql}, step_options);
}

inline std::vector<Finding> with_rule(const std::vector<Finding>& findings,
                                      const std::string& rule) {
  std::vector<Finding> out;
  std::copy_if(findings.begin(), findings.end(), std::back_inserter(out),
               [&](const Finding& f) { return f.rule == rule; });
  return out;
}

inline bool fired(const std::vector<Finding>& findings, const std::string& rule) {
  return !with_rule(findings, rule).empty();
}

// The one finding of `rule`; fails the test unless there is exactly one.
inline Finding only(const std::vector<Finding>& findings, const std::string& rule) {
  std::vector<Finding> of = with_rule(findings, rule);
  std::string times = rule + " found " + std::to_string(of.size()) + " times";
  REQUIRE_MESSAGE(of.size() == 1, times);
  return of.front();
}

}  // namespace lint_kit

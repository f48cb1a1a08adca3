#include "lint/suppression.h"

#include "base/edit_distance.h"
#include "base/strings.h"
#include "lint/registry.h"
#include "lint/rule_kit.h"

#include <algorithm>
#include <map>
#include <set>

namespace runbook::lint {

namespace {

constexpr std::string_view kUnknown = "unknown-lint-rule";
constexpr std::string_view kUnused = "unused-lint-allow";

Finding about_allow(std::string_view rule, const plan::PlannedStep& step, std::string message,
                    std::string hint) {
  Finding f;
  f.rule = rule;
  f.severity = find_rule(rule)->severity;
  f.message = std::move(message);
  f.hint = std::move(hint);
  f.where = step.step().lint->where;
  f.used_at = step.used_at;
  f.step = step.id;
  return f;
}

void unknown_ids(const plan::PlannedStep& step, std::vector<Finding>& out) {
  for (const std::string& id : step.step().lint->rules) {
    if (find_rule(id) == nullptr) {
      std::string hint = did_you_mean(id, rule_ids());
      out.push_back(about_allow(kUnknown, step, "`lint.allow` names no rule " + quoted(id),
                                hint.empty() ? "`runbook lint --list-rules` lists them" : hint));
    }
  }
}

// Rules that found something in any expansion of each model step.
std::map<const Step*, std::set<std::string>> rules_found(const plan::ExecutionPlan& plan,
                                                         const std::vector<Finding>& findings) {
  std::map<std::string, const Step*> source;
  for (const plan::PlannedStep& s : plan.steps) {
    source[s.id] = s.source;
  }
  std::map<const Step*, std::set<std::string>> found;
  for (const Finding& f : findings) {
    auto it = source.find(f.step);
    if (it != source.end()) {
      found[it->second].insert(f.rule);
    }
  }
  return found;
}

void unused_ids(const plan::PlannedStep& step, const std::set<std::string>& found,
                std::vector<Finding>& out) {
  for (const std::string& id : step.step().lint->rules) {
    if (find_rule(id) != nullptr && found.count(id) == 0) {
      out.push_back(about_allow(
          kUnused, step,
          "`lint.allow` lists " + id + " but it finds nothing in step " + quoted(step.id),
          "remove it from the allow list"));
    }
  }
}

void suppress(const plan::PlannedStep& step, std::vector<Finding>& findings) {
  const LintAllow& allow = *step.step().lint;
  for (Finding& f : findings) {
    bool listed = std::find(allow.rules.begin(), allow.rules.end(), f.rule) != allow.rules.end();
    if (f.step == step.id && listed && f.rule != kUnknown && f.rule != kUnused) {
      f.suppressed = true;
      f.why = allow.why;
    }
  }
}

}  // namespace

void apply_allow_lists(const plan::ExecutionPlan& plan, std::vector<Finding>& findings) {
  std::map<const Step*, std::set<std::string>> found = rules_found(plan, findings);
  std::vector<Finding> more;
  for (const plan::PlannedStep& step : plan.steps) {
    if (step.source == nullptr || !step.step().lint) {
      continue;
    }
    suppress(step, findings);
    unknown_ids(step, more);
    unused_ids(step, found[step.source], more);
  }
  findings.insert(findings.end(), more.begin(), more.end());
}

void add_suppression_rules(std::vector<Rule>& rules) {
  rules.push_back({kUnknown, Severity::error, "`lint.allow` names a rule that does not exist",
                   "use an id from `runbook lint --list-rules`"});
  rules.push_back({kUnused, Severity::info, "`lint.allow` lists a rule that finds nothing there",
                   "remove it from the allow list"});
}

}  // namespace runbook::lint

#include "report/plan_formats.h"

#include <nlohmann/json.hpp>

namespace runbook::report {

namespace {

nlohmann::json step_json(const StepView& v) {
  const plan::PlannedStep& s = *v.step;
  nlohmann::json j = {{"number", v.number},
                      {"id", s.id},
                      {"phase", to_string(s.phase)},
                      {"kind", v.kind},
                      {"name", v.name},
                      {"description", v.description},
                      {"transaction", to_string(s.tx)},
                      {"body", v.body},
                      {"expect", v.expect},
                      {"options", v.options},
                      {"lint", v.lint}};
  if (!s.sql.text.empty()) {
    j["sql_checksum"] = s.sql.checksum;
    j["deferred"] = s.sql.deferred;
  }
  nlohmann::json statements = nlohmann::json::array();
  for (const StatementLine& st : v.statements) {
    statements.push_back({{"tag", st.tag}, {"runs", st.mode}, {"lock_impact", st.summary}});
  }
  j["statements"] = statements;
  if (!v.condition.empty()) {
    j["when"] = v.condition;
  }
  if (!v.condition_query.empty()) {
    j["when_query"] = v.condition_query;
  }
  if (!v.verify_query.empty()) {
    j["verify"] = {{"query", v.verify_query}, {"expect", v.verify_expect}};
  }
  if (s.rollback) {
    j["rollback"] = {{"sql", s.rollback->text}, {"transaction", to_string(s.rollback_tx)}};
  } else if (s.rollback_command) {
    nlohmann::json environment = nlohmann::json::array();
    for (const auto& [name, value] : s.rollback_command->environment) {
      environment.push_back(name);  // the values may hold connections: never shown
    }
    j["rollback"] = {{"command", s.rollback_command->argv},
                     {"shell", s.rollback_command->shell},
                     {"environment", environment}};
  } else if (!s.irreversible.empty()) {
    j["rollback"] = {{"irreversible", s.irreversible}};
  }
  if (!v.block_id.empty()) {
    j["block"] = v.block_id;
  }
  if (!v.block_condition_query.empty()) {
    j["block_when_query"] = v.block_condition_query;
  }
  j["skipped"] = v.skipped;
  if (!s.used_at.empty()) {
    j["template_file"] = s.where.file;
    j["used_at"] = s.used_at.back().str();
  }
  return j;
}

nlohmann::json phase_json(const std::vector<StepView>& steps) {
  nlohmann::json arr = nlohmann::json::array();
  for (const StepView& v : steps) {
    arr.push_back(step_json(v));
  }
  return arr;
}

}  // namespace

std::string plan_json(const PlanView& view) {
  nlohmann::json params = nlohmann::json::array();
  for (const ParamLine& p : view.params) {
    params.push_back({{"name", p.name},
                      {"type", p.type},
                      {"value", p.value},
                      {"secret", p.secret},
                      {"description", p.description}});
  }
  nlohmann::json session = nlohmann::json::object();
  for (const auto& [name, value] : view.session) {
    session[name] = value;
  }
  nlohmann::json j = {{"runbook", view.id},
                      {"title", view.title},
                      {"description", view.description},
                      {"file", view.file},
                      {"checksum", view.checksum},
                      {"plan_checksum", view.plan_checksum},
                      {"params", params},
                      {"session", session},
                      {"on_failure", view.on_failure},
                      {"preflight", phase_json(view.preflight)},
                      {"steps", phase_json(view.steps)},
                      {"postflight", phase_json(view.postflight)},
                      {"warnings", view.warnings},
                      {"lint", view.lint}};
  return j.dump(2) + "\n";
}

}  // namespace runbook::report

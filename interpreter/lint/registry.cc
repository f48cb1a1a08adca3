#include "lint/registry.h"

#include "lint/rule_kit.h"

namespace runbook::lint {

const std::vector<Rule>& all_rules() {
  static const std::vector<Rule> kRules = [] {
    std::vector<Rule> rules;
    add_index_rules(rules);
    add_constraint_rules(rules);
    add_column_rules(rules);
    add_type_rules(rules);
    add_destructive_rules(rules);
    add_transaction_rules(rules);
    add_step_rules(rules);
    add_check_rules(rules);
    add_suppression_rules(rules);
    return rules;
  }();
  return kRules;
}

const Rule* find_rule(std::string_view id) {
  for (const Rule& r : all_rules()) {
    if (r.id == id) {
      return &r;
    }
  }
  return nullptr;
}

std::vector<std::string> rule_ids() {
  std::vector<std::string> ids;
  for (const Rule& r : all_rules()) {
    ids.emplace_back(r.id);
  }
  return ids;
}

}  // namespace runbook::lint

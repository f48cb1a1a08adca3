#pragma once
// Every lint rule, by id, in the order docs/lint.md describes them.

#include "lint/rule.h"

#include <string>
#include <string_view>
#include <vector>

namespace runbook::lint {

const std::vector<Rule>& all_rules();
// nullptr when no rule has this id.
const Rule* find_rule(std::string_view id);
std::vector<std::string> rule_ids();

}  // namespace runbook::lint

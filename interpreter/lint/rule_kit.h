#pragma once
// What the rule families share (internal to lint/): the families
// themselves, for the registry, and the questions several rules ask.

#include "lint/rule.h"

#include <string>
#include <string_view>
#include <vector>

namespace runbook::lint {

// Each family appends its rules, in the order docs/lint.md lists them.
void add_index_rules(std::vector<Rule>& rules);
void add_constraint_rules(std::vector<Rule>& rules);
void add_column_rules(std::vector<Rule>& rules);
void add_type_rules(std::vector<Rule>& rules);
void add_destructive_rules(std::vector<Rule>& rules);
void add_transaction_rules(std::vector<Rule>& rules);
void add_step_rules(std::vector<Rule>& rules);
void add_check_rules(std::vector<Rule>& rules);
void add_suppression_rules(std::vector<Rule>& rules);

// The strongest lock `a` certainly takes on a relation other sessions can
// be using (not created by the runbook, not conditional) that blocks reads
// or writes; nullptr when it takes none.
const sql::RelationLock* blocking_lock(const Analysed& a, const History& history);

// "ACCESS EXCLUSIVE on t (blocks reads and writes)".
std::string lock_words(const sql::RelationLock& lock);

// Whether `name` (lock_timeout, statement_timeout) is set to a non-zero
// value by `a` (SET or SET LOCAL; SET LOCAL only inside a transaction).
bool sets_timeout(const Analysed& a, std::string_view name, bool in_transaction);

// The ALTER TABLE subcommands of `f` with `subtype`.
std::vector<const sql::AlterCommand*> commands_of(const sql::StatementFacts& f,
                                                  std::string_view subtype);

// The statement's text on one line, cut after `max` characters with "...".
std::string first_words(std::string_view text, std::size_t max = 50);

// `"t"` for messages: the name as SQL.
inline std::string name_of(const sql::RelationName& r) {
  return r.sql();
}

}  // namespace runbook::lint

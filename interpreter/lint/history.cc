#include "lint/history.h"

#include <algorithm>

namespace runbook::lint {

using sql::may_be_same;
using sql::RelationName;

Analysed analyse(const sql::Statement& statement) {
  return Analysed{&statement, sql::statement_facts(statement), sql::analyze_locks(statement)};
}

void History::record(const Analysed& a) {
  for (const sql::RelationLock& l : a.locks.locks) {
    if (l.created && !l.relation.empty()) {
      created_[l.relation.name].push_back(l.relation.schema);
    }
  }
  if (a.facts.index && !a.facts.index->name.empty()) {
    indexes_.push_back(
        {RelationName{a.facts.index->table.schema, a.facts.index->name}, a.facts.index->table});
  }
  if (a.facts.drop && a.facts.drop->kind == sql::ObjectKind::index) {
    dropped_indexes_.insert(dropped_indexes_.end(), a.facts.drop->objects.begin(),
                            a.facts.drop->objects.end());
  }
  record_alter(a.facts);
  if (a.facts.rename) {
    record_rename(*a.facts.rename);
  }
}

void History::record_alter(const sql::StatementFacts& f) {
  for (const sql::AlterCommand& c : f.commands) {
    if (c.subtype == "AT_AddColumn" && c.column) {
      columns_.push_back({f.relation, c.column->name});
    } else if (c.constraint && c.constraint->kind == sql::ConstraintKind::check &&
               !c.constraint->not_null_of.empty()) {
      checks_.push_back(
          {f.relation, c.constraint->name, c.constraint->not_null_of, !c.constraint->not_valid});
    } else if (c.subtype == "AT_ValidateConstraint") {
      if (const NotNullCheck* check = find_check(f.relation, c.name); check && !check->validated) {
        NotNullCheck validated = *check;  // the layer below stays as it was
        validated.validated = true;
        checks_.push_back(std::move(validated));
      }
    }
  }
}

const History::NotNullCheck* History::find_check(const RelationName& table,
                                                 std::string_view name) const {
  for (auto it = checks_.rbegin(); it != checks_.rend(); ++it) {
    if (it->name == name && may_be_same(it->table, table)) {
      return &*it;
    }
  }
  return base_ ? base_->find_check(table, name) : nullptr;
}

// A new relation keeps being new under its new name; a new column too.
void History::record_rename(const sql::RenameFacts& r) {
  if (r.from.empty() && created(r.relation)) {
    created_[r.to].push_back(r.relation.schema);
  } else if (r.kind == sql::ObjectKind::column && column_added(r.relation, r.from)) {
    columns_.push_back({r.relation, r.to});
  }
}

bool History::created(const RelationName& relation) const {
  auto it = created_.find(relation.name);
  bool here = it != created_.end() &&
              std::any_of(it->second.begin(), it->second.end(), [&](const std::string& schema) {
                return may_be_same(RelationName{schema, relation.name}, relation);
              });
  return here || (base_ && base_->created(relation));
}

bool History::column_added(const RelationName& table, std::string_view column) const {
  bool here = std::any_of(columns_.begin(), columns_.end(), [&](const Column& c) {
    return c.name == column && may_be_same(c.table, table);
  });
  return here || created(table) || (base_ && base_->column_added(table, column));
}

bool History::not_null_proven(const RelationName& table, std::string_view column) const {
  bool here = std::any_of(checks_.begin(), checks_.end(), [&](const NotNullCheck& c) {
    return c.validated && c.column == column && may_be_same(c.table, table);
  });
  return here || (base_ && base_->not_null_proven(table, column));
}

bool History::index_dropped(const RelationName& index) const {
  bool here = std::any_of(dropped_indexes_.begin(), dropped_indexes_.end(),
                          [&](const RelationName& d) { return may_be_same(d, index); });
  return here || (base_ && base_->index_dropped(index));
}

RelationName History::table_of_index(const RelationName& index) const {
  for (const Index& i : indexes_) {
    if (may_be_same(i.name, index)) {
      return i.table;
    }
  }
  return base_ ? base_->table_of_index(index) : RelationName{};
}

}  // namespace runbook::lint

#pragma once
// What a runbook has done by the time a statement runs, as far as the SQL
// says: the relations and columns it created, the NOT NULL checks it added
// and validated, the indexes it built. Rules use it to exempt new tables
// (no one else is using them yet) and to follow multi-step recipes such as
// CHECK NOT VALID -> VALIDATE -> SET NOT NULL.
//
// Names are matched as written, with sql::may_be_same: an unqualified name
// matches the same name in any schema, since the search path decides.

#include "sql/facts.h"
#include "sql/lock_impact.h"

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace runbook::lint {

// One statement with what sql/ says about it.
struct Analysed {
  const sql::Statement* statement = nullptr;
  sql::StatementFacts facts;
  sql::LockImpact locks;
};

Analysed analyse(const sql::Statement& statement);

class History {
 public:
  History() = default;
  // A history that starts where `base` is and records on top of it, leaving
  // `base` as it is (a rollback's own changes are not the runbook's). `base`
  // must outlive it; nothing is copied.
  explicit History(const History* base) : base_(base) {}

  // Adds what `a` creates, adds or validates.
  void record(const Analysed& a);

  // A table, index, view or sequence created earlier in the runbook.
  bool created(const sql::RelationName& relation) const;
  // A column added to `table` earlier (or the table itself is new).
  bool column_added(const sql::RelationName& table, std::string_view column) const;
  // A validated CHECK (column IS NOT NULL) on `table`: SET NOT NULL skips its scan.
  bool not_null_proven(const sql::RelationName& table, std::string_view column) const;
  // An index of this name dropped earlier (say, the INVALID leftover of a
  // failed concurrent build).
  bool index_dropped(const sql::RelationName& index) const;
  // The table of an index the runbook built; empty when it did not build it.
  sql::RelationName table_of_index(const sql::RelationName& index) const;

 private:
  struct Column {
    sql::RelationName table;
    std::string name;
  };
  struct NotNullCheck {
    sql::RelationName table;
    std::string name;  // the constraint
    std::string column;
    bool validated = false;
  };

  void record_alter(const sql::StatementFacts& f);
  // The validated-or-not NOT NULL check named `name` on `table`, in this
  // layer or below.
  const NotNullCheck* find_check(const sql::RelationName& table, std::string_view name) const;
  void record_rename(const sql::RenameFacts& r);

  struct Index {
    sql::RelationName name;
    sql::RelationName table;
  };

  // Created relations by name, each with the schemas it was written with
  // ("" when unqualified): rules ask about every relation of every
  // statement, so a long runbook must not make each question a scan.
  std::unordered_map<std::string, std::vector<std::string>> created_;
  std::vector<Index> indexes_;
  std::vector<sql::RelationName> dropped_indexes_;
  std::vector<Column> columns_;
  std::vector<NotNullCheck> checks_;
  const History* base_ = nullptr;
};

}  // namespace runbook::lint

#pragma once
// The pieces of lock analysis (internal to sql/; see lock_impact.h).
//
// Each analyse_* function reads one kind of statement and records what it
// locks into a LockSet. The lock modes follow PostgreSQL 15:
// AlterTableGetLockLevel() for ALTER TABLE, each command's own
// table_open/RangeVarGetRelid call otherwise.

#include "sql/lock_impact.h"
#include "sql/parse_node.h"

#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace runbook::sql {

// Locks collected while reading a statement, one entry per relation.
// References returned stay valid while more locks are added.
class LockSet {
 public:
  // The entry for `relation`, created or raised to `mode` (modes only grow).
  RelationLock& lock(const RelationName& relation, LockMode mode,
                     RelationKind kind = RelationKind::table);
  // A relation the statement creates: ACCESS EXCLUSIVE, seen by no one else.
  RelationLock& create(const RelationName& relation, RelationKind kind);
  // A relation the statement does not name, e.g. `the table of index "i"`.
  RelationLock& implied(std::string described, LockMode mode,
                        RelationKind kind = RelationKind::table);
  void note(std::string text);
  // The statement runs code the parser cannot see.
  void unknown(std::string why);
  // Keeps the locks but drops scans, rewrites, notes and conditional locks:
  // for statements that only plan or store a query (EXPLAIN without
  // ANALYZE, CREATE VIEW).
  void planning_only();
  std::deque<RelationLock>& entries() { return locks_; }

  LockImpact finish();

 private:
  std::deque<RelationLock> locks_;
  std::vector<std::string> notes_;
  bool known_ = true;
};

Effect yes(std::string why);
Effect depends(std::string on);
// The stronger of two effects: yes over depends over no.
Effect stronger(const Effect& a, const Effect& b);
// The kind of relation an ObjectType names ("OBJECT_MATVIEW", ...).
RelationKind kind_of_object(std::string_view objtype);

// ALTER TABLE ... ADD COLUMN: what the new column costs on `table_lock`,
// and the sequences, indexes and referenced tables it brings.
void add_column_effects(const Node& column_def, RelationLock& table_lock, LockSet& out);
// ALTER TABLE ... ALTER COLUMN `column` TYPE: whether the table is rewritten.
void column_type_effects(std::string_view column, const Node& column_def, RelationLock& table_lock);

// The statement families. `s` is the statement's body.
void analyse_alter_table(const Node& s, LockSet& out);
void analyse_query(const Node& stmt, LockSet& out);  // SELECT, INSERT, UPDATE, DELETE, MERGE
void analyse_explain(const Node& s, LockSet& out);
void analyse_copy(const Node& s, LockSet& out);
void analyse_create_table(const Node& s, LockSet& out);
void analyse_create_table_as(const Node& s, LockSet& out);
void analyse_create_view(const Node& s, LockSet& out);
void analyse_create_index(const Node& s, LockSet& out);
void analyse_drop(const Node& s, LockSet& out);
void analyse_reindex(const Node& s, LockSet& out);
void analyse_rename(const Node& s, LockSet& out);
void analyse_maintenance(std::string_view node, const Node& s, LockSet& out);  // VACUUM, CLUSTER
void analyse_truncate(const Node& s, LockSet& out);
void analyse_lock(const Node& s, LockSet& out);
void analyse_object_ddl(std::string_view node, const Node& s, LockSet& out);  // the rest

}  // namespace runbook::sql

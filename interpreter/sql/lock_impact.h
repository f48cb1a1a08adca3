#pragma once
// What a statement locks, for reviewers (`runbook plan`) and lint rules.
//
// From the parse tree alone, without a database: every relation a statement
// locks, the table-level lock mode PostgreSQL 15 takes on it and holds until
// the transaction ends, whether the statement rewrites the relation or reads
// all of it while holding that lock, and what the lock blocks. The facts are
// PostgreSQL 15's: its documentation, checked by observing pg_locks,
// relfilenodes and scan counters on a 15 server
// (tests/integration/locks/cases.yaml replays every case).
//
// Where the answer depends on the catalog — the column's current type, a
// function's volatility, an existing validated CHECK, whether a constraint
// is a foreign key, the session TimeZone — the answer is `depends` with the
// reason, or a lock with a `condition`, never a guess.
//
// Catalog locks that PostgreSQL releases at once, locks on TOAST tables and
// locks on the indexes of a table that ordinary DML takes are left out: they
// follow from the table's lock and add nothing for a reviewer.

#include "sql/lock_mode.h"
#include "sql/relation_name.h"
#include "sql/statements.h"

#include <optional>
#include <string>
#include <vector>

namespace runbook::sql {

enum class Answer { no, yes, depends };

// Whether a rewrite or a full read happens, and why.
struct Effect {
  Answer answer = Answer::no;
  // For `yes`, what the work is ("builds the index"); for `depends`, what it
  // depends on, in words. Empty for a plain `no`.
  std::string reason;

  bool operator==(const Effect&) const = default;
};

enum class RelationKind { table, index, sequence, view, materialized_view, relation };

struct RelationLock {
  // The relation as the statement writes it (schema-qualified when written
  // so). Empty when the statement does not name it; `described` says which
  // it is then, e.g. `the table of index "i"`.
  RelationName relation;
  std::string described;
  RelationKind kind = RelationKind::table;
  LockMode mode = LockMode::access_share;
  // Made by this statement: no one else can see it before commit, so its
  // lock blocks nobody.
  bool created = false;
  // When non-empty, the lock is taken only if the catalog says so, e.g.
  // `if "t_p_fk" is a foreign key`.
  std::string condition;
  Effect rewrite;  // new files for the relation (and its indexes), filled from the old ones
  // Reads every row while holding the lock (a validation, an index build, a
  // rewrite). A query under a lock that blocks no one (SELECT, DML) is
  // reported only when it certainly reads everything (UPDATE without WHERE);
  // what else it reads is its plan's business.
  Effect scan;
  std::vector<std::string> notes;

  Blocks blocks() const { return sql::blocks(mode); }
  // `"t"`, `public."Recipe"`, or the description of an unnamed relation.
  std::string target() const;
};

struct LockImpact {
  // False when the statement runs code the parser cannot see (DO, CALL,
  // EXECUTE): `locks` is empty and `notes` says so.
  bool known = true;
  // One entry per relation, with the strongest mode any part of the
  // statement takes on it (ALTER TABLE with several subcommands takes the
  // strongest of theirs), in the order the statement reaches them.
  std::vector<RelationLock> locks;
  // Facts about the statement as a whole: row locks, waits, what may fail.
  std::vector<std::string> notes;
  // One line for people, e.g.
  // `ACCESS EXCLUSIVE on "Recipe" (blocks reads and writes) — instant, no rewrite`.
  std::string summary;

  // The strongest mode taken for certain on a relation that already exists
  // (neither created by the statement nor conditional); nullopt if none.
  std::optional<LockMode> strongest() const;
  // The lock on a relation the statement names, or nullptr.
  const RelationLock* find(const RelationName& relation) const;
  bool rewrites() const;  // some relation is rewritten for certain
  bool scans() const;     // some relation is read in full for certain
};

// REQUIRES: `statement` comes from parse_statements (its tree is set).
LockImpact analyze_locks(const Statement& statement);

std::string_view answer_words(Answer a);               // "no", "yes", "depends"
std::string_view relation_kind_words(RelationKind k);  // "table", "index", "materialized view", ...

}  // namespace runbook::sql

#pragma once
// What a statement is made of, for rules that judge it (lint/).
//
// lock_impact.h says what a statement locks; this says what it contains: the
// subcommands of an ALTER TABLE, the columns and constraints it adds, the
// index it builds, what it drops, renames or truncates. Plain data, so that
// code outside sql/ never reads libpg_query's shapes. Like the rest of sql/,
// everything comes from the parse tree alone; where PostgreSQL decides from
// the catalog (a column's current type, a function's volatility) the Effect
// says `depends`, as in lock_impact.h.

#include "sql/lock_impact.h"
#include "sql/relation_name.h"
#include "sql/statements.h"

#include <optional>
#include <string>
#include <vector>

namespace runbook::sql {

// A type as the statement writes it. The grammar rewrites SQL-standard names
// into pg_catalog ones: `int` is {"pg_catalog", "int4"}, `varchar(20)` is
// {"pg_catalog", "varchar"} with a length; `text`, `json` and `serial` stay
// as written, without a schema.
struct TypeRef {
  std::string schema;
  std::string name;
  bool has_length = false;  // varchar(20), numeric(10,2), ...
  bool array = false;       // int[]

  bool empty() const { return name.empty(); }
  // True for `name` unqualified or in pg_catalog.
  bool is(std::string_view builtin) const;
  // As people write it: integer, bigint, varchar, timestamp, my_schema.money.
  std::string sql() const;
};

enum class ConstraintKind {
  check,
  foreign_key,
  unique,
  primary_key,
  exclusion,
  not_null,
  default_value,
  identity,
  generated,
  other,  // NULL, collation, deferrable markers, ...
};

struct ConstraintFacts {
  ConstraintKind kind = ConstraintKind::other;
  std::string name;                  // "" when the statement leaves it unnamed
  bool not_valid = false;            // NOT VALID: existing rows are not checked
  std::string using_index;           // UNIQUE/PRIMARY KEY USING INDEX i
  RelationName references;           // FOREIGN KEY / REFERENCES
  std::vector<std::string> columns;  // the constrained columns, when listed
  // CHECK (col IS NOT NULL): the column; "" for any other CHECK.
  std::string not_null_of;
};

struct ColumnFacts {
  std::string name;
  TypeRef type;
  std::vector<ConstraintFacts> constraints;
  // What adding this column to an existing table costs (ADD COLUMN only),
  // as lock_impact.h judges it: a volatile default, identity, serial or
  // stored generated column rewrites the table.
  Effect rewrite;
  Effect scan;

  const ConstraintFacts* find(ConstraintKind kind) const;
  bool serial() const;  // serial, bigserial, smallserial (and serial4, ...)
};

// One subcommand of ALTER TABLE.
struct AlterCommand {
  std::string subtype;  // as libpg_query names it: "AT_AddColumn", "AT_SetNotNull", ...
  // The column or constraint the subcommand names (SET NOT NULL, DROP
  // COLUMN, VALIDATE/DROP CONSTRAINT, ALTER COLUMN TYPE); "" otherwise.
  std::string name;
  std::optional<ColumnFacts> column;          // ADD COLUMN; ALTER COLUMN TYPE (its new type)
  std::optional<ConstraintFacts> constraint;  // ADD CONSTRAINT
  RelationName partition;                     // ATTACH/DETACH PARTITION
  bool concurrently = false;                  // DETACH PARTITION ... CONCURRENTLY
  bool has_using = false;                     // ALTER COLUMN TYPE ... USING
  Effect rewrite;                             // ALTER COLUMN TYPE: as lock_impact.h judges it
};

enum class ObjectKind {
  table,
  index,
  view,
  materialized_view,
  sequence,
  column,
  constraint,
  schema,
  database,
  type,
  domain,
  other,
};

struct DropFacts {
  ObjectKind kind = ObjectKind::other;
  std::vector<RelationName> objects;  // as written; for a schema/database the name alone
  bool if_exists = false;
  bool cascade = false;
};

struct RenameFacts {
  ObjectKind kind = ObjectKind::other;
  RelationName relation;  // the table (or the relation renamed)
  std::string from;       // the column/constraint renamed; "" for a relation
  std::string to;
};

struct IndexFacts {
  std::string name;  // "" when PostgreSQL picks it
  RelationName table;
  bool unique = false;
  bool if_not_exists = false;
  bool only = false;  // ON ONLY a partitioned table: no build
};

// A string constant, with the type it is cast to when written 'x'::t.
struct Literal {
  std::string value;
  TypeRef cast;
};

struct StatementFacts {
  // The relation the statement is about: ALTER TABLE's table, CREATE
  // INDEX's table, the target of UPDATE/DELETE/TRUNCATE/VACUUM/CLUSTER/
  // REFRESH, the table CREATE TABLE makes. Empty for others.
  RelationName relation;
  std::vector<AlterCommand> commands;              // ALTER TABLE
  std::vector<ColumnFacts> columns;                // CREATE TABLE: its columns
  std::vector<ConstraintFacts> table_constraints;  // CREATE TABLE: table constraints
  std::optional<IndexFacts> index;                 // CREATE INDEX
  std::optional<DropFacts> drop;                   // DROP ...
  std::optional<RenameFacts> rename;               // ALTER ... RENAME
  std::vector<RelationName> truncated;             // TRUNCATE
  bool cascade = false;                            // TRUNCATE ... CASCADE
  bool missing_where = false;                      // UPDATE or DELETE without WHERE
  bool vacuum_full = false;                        // VACUUM FULL
  bool cluster = false;                            // CLUSTER
  bool refresh = false;                            // REFRESH MATERIALIZED VIEW
  // CREATE DOMAIN with constraints, or ALTER DOMAIN ADD CONSTRAINT (the
  // constraint's NOT VALID in `domain_not_valid`).
  bool domain_constraint = false;
  bool domain_not_valid = false;
  RelationName domain;
  // ALTER TYPE ... ADD VALUE: the enum and the value.
  RelationName enum_type;
  std::string enum_value;
  // Code the parser cannot see into: DO, CALL, CREATE FUNCTION/PROCEDURE
  // (its body runs later, when called). The keyword, e.g. "DO"; "" otherwise.
  std::string opaque;
  std::vector<Literal> literals;  // every string constant, in order
};

// REQUIRES: `statement` comes from parse_statements (its tree is set).
StatementFacts statement_facts(const Statement& statement);

// Whether two names can be the same relation: same name, and same schema
// unless one of them is unqualified (the search path decides).
bool may_be_same(const RelationName& a, const RelationName& b);

}  // namespace runbook::sql

#pragma once
// A relation as a statement names it.

#include <string>
#include <string_view>

namespace runbook::sql {

struct RelationName {
  std::string schema;  // empty when the statement does not qualify the name
  std::string name;    // as PostgreSQL reads it: unquoted identifiers folded to lower case

  bool empty() const { return name.empty(); }
  // The name as SQL, quoted only where needed: t, public."Recipe".
  std::string sql() const;
  bool operator==(const RelationName&) const = default;
};

// `name` as an SQL identifier: bare when it is lower case letters, digits,
// `_` and `$` (not starting with a digit or `$`), double-quoted otherwise.
// Reserved words are not detected, so a table named "select" shows bare:
// this is for people reading a plan, not for building SQL.
std::string identifier_sql(std::string_view name);

// A type as people write it: `bigint`, not `pg_catalog.int8` (the SQL-standard
// names the grammar rewrites to pg_catalog internals); other types as
// RelationName::sql() shows a name.
std::string type_sql(const std::string& schema, const std::string& name);

}  // namespace runbook::sql

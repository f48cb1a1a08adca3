#pragma once
// Command tags and object type words (internal to sql/).

#include "sql/parse_node.h"

#include <string>
#include <string_view>

namespace runbook::sql {

// The words PostgreSQL reports for the statement, e.g. "CREATE INDEX",
// "ALTER TABLE", "DROP MATERIALIZED VIEW", "START TRANSACTION". `stmt` is the
// statement's wrapper node ({"IndexStmt": {...}}).
std::string command_tag(const Node& stmt);

// An ObjectType enum name in words: "OBJECT_MATVIEW" -> "MATERIALIZED VIEW".
std::string object_type_words(std::string_view object_type);

}  // namespace runbook::sql

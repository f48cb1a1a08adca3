#pragma once
// Reading the shapes libpg_query uses again and again (internal to sql/).

#include "sql/parse_node.h"
#include "sql/relation_name.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace runbook::sql {

// {"String": {"sval": "x"}} -> "x"; "" for anything else.
std::string_view string_value(const Node& node);
// The strings of a name list: [{"String":..}, ...] or {"List": {"items": [...]}}.
std::vector<std::string> name_list(const Node& list);
// A RangeVar, wrapped or not.
RelationName relation_name(const Node& range_var);
// A qualified name list (["s", "t"]) as a relation: the last part is the name.
RelationName relation_from_names(const std::vector<std::string>& names);

// The DefElem named `name` in an option list, or nullptr.
const Node* find_option(const Node& options, std::string_view name);
// A boolean option as PostgreSQL reads it: present without a value means
// true; "false", "off", "no", "0" or a false/zero constant mean false.
bool option_is_true(const Node& options, std::string_view name);
// The option's value as text (a string or a keyword), or "" when it has none.
std::string option_text(const Node& options, std::string_view name);

// The type of a node for walk(): its wrapper name, or "RangeVar" for a
// RangeVar body printed without its wrapper (fields typed RangeVar*, such as
// AlterTableStmt.relation and Constraint.pktable); "" for other bodies.
std::string_view walk_type(const Node& node);

// Calls `visit(type, body)` for every typed node under `node` (see
// walk_type), in document order, including `node` itself. When `visit`
// returns false the children of that node are skipped.
template <typename Visit>
void walk(const Node& node, Visit&& visit) {
  std::string_view type = walk_type(node);
  if (!type.empty() && !visit(type, node.body())) {
    return;
  }
  for (const Node& child : node.body().items()) {
    walk(child, visit);
  }
}

// True when a node of one of `types` occurs under `node`.
bool contains_node(const Node& node, std::initializer_list<std::string_view> types);

}  // namespace runbook::sql

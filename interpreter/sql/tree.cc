#include "sql/tree.h"

namespace runbook::sql {

std::string_view string_value(const Node& node) {
  return node.type() == "String" ? node.body()["sval"].str() : "";
}

std::vector<std::string> name_list(const Node& list) {
  const Node& items = list.type() == "List" ? list.body()["items"] : list;
  std::vector<std::string> names;
  for (const Node& item : items.items()) {
    names.emplace_back(string_value(item));
  }
  return names;
}

RelationName relation_name(const Node& range_var) {
  const Node& rv = range_var.body();
  return RelationName{std::string(rv["schemaname"].str()), std::string(rv["relname"].str())};
}

RelationName relation_from_names(const std::vector<std::string>& names) {
  RelationName rel;
  if (!names.empty()) {
    rel.name = names.back();
  }
  if (names.size() >= 2) {
    rel.schema = names[names.size() - 2];
  }
  return rel;
}

const Node* find_option(const Node& options, std::string_view name) {
  for (const Node& item : options.items()) {
    const Node& def = item.body();
    if (item.type() == "DefElem" && def["defname"].str() == name) {
      return &def;
    }
  }
  return nullptr;
}

bool option_is_true(const Node& options, std::string_view name) {
  const Node* def = find_option(options, name);
  if (def == nullptr) {
    return false;
  }
  const Node& arg = (*def)["arg"];
  if (arg.is_null()) {
    return true;
  }
  std::string_view type = arg.type();
  if (type == "String") {
    std::string_view v = arg.body()["sval"].str();
    return !(v == "false" || v == "off" || v == "no" || v == "0");
  }
  if (type == "Integer") {
    return arg.body()["ival"].integer() != 0;  // 0 prints as {} and reads as 0
  }
  if (type == "Boolean") {
    return arg.body()["boolval"].boolean();
  }
  return true;
}

std::string option_text(const Node& options, std::string_view name) {
  const Node* def = find_option(options, name);
  if (def == nullptr) {
    return "";
  }
  const Node& arg = (*def)["arg"];
  if (arg.type() == "String") {
    return std::string(arg.body()["sval"].str());
  }
  if (arg.type() == "TypeName") {  // a keyword such as `full`: parsed as a type name
    std::vector<std::string> names = name_list(arg.body()["names"]);
    return names.empty() ? "" : names.back();
  }
  return "";
}

std::string_view walk_type(const Node& node) {
  std::string_view type = node.type();
  if (type.empty() && node.is_object() && node.has("relpersistence") && node.has("relname")) {
    return "RangeVar";
  }
  return type;
}

bool contains_node(const Node& node, std::initializer_list<std::string_view> types) {
  bool found = false;
  walk(node, [&](std::string_view type, const Node&) {
    for (std::string_view t : types) {
      if (type == t) {
        found = true;
      }
    }
    return !found;
  });
  return found;
}

}  // namespace runbook::sql

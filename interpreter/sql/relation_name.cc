#include "sql/relation_name.h"

namespace runbook::sql {

namespace {

bool is_plain_identifier(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9') || name[0] == '$') {
    return false;
  }
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
    if (!ok) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string identifier_sql(std::string_view name) {
  if (is_plain_identifier(name)) {
    return std::string(name);
  }
  std::string out = "\"";
  for (char c : name) {
    out += c;
    if (c == '"') {
      out += '"';
    }
  }
  out += '"';
  return out;
}

std::string RelationName::sql() const {
  return schema.empty() ? identifier_sql(name)
                        : identifier_sql(schema) + "." + identifier_sql(name);
}

}  // namespace runbook::sql

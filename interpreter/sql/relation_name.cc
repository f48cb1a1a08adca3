#include "sql/relation_name.h"

#include <array>
#include <utility>

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

std::string type_sql(const std::string& schema, const std::string& name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kStandardNames = {{
      {"int2", "smallint"},
      {"int4", "integer"},
      {"int8", "bigint"},
      {"float4", "real"},
      {"float8", "double precision"},
      {"bool", "boolean"},
      {"bpchar", "char"},
      {"timestamptz", "timestamp with time zone"},
      {"timetz", "time with time zone"},
  }};
  if (schema != "pg_catalog") {
    return RelationName{schema, name}.sql();
  }
  for (const auto& [internal, standard] : kStandardNames) {
    if (internal == name) {
      return std::string(standard);
    }
  }
  return name;
}

}  // namespace runbook::sql

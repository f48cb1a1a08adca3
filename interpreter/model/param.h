#pragma once
// A declared parameter of a runbook or template file.

#include "base/location.h"
#include "model/value.h"

#include <optional>
#include <string>
#include <vector>

namespace runbook {

enum class ParamType { identifier, qualified_name, string, integer, number, boolean, sql, list };

struct ParamSpec {
  std::string name;
  Location where;
  ParamType type = ParamType::string;
  ParamType element_type = ParamType::string;  // for lists
  bool has_elements = false;                   // `elements:` was given
  std::optional<Value> default_value;          // already typed
  std::optional<double> min, max;
  std::vector<Value> one_of;
  bool secret = false;
  std::string description;

  bool required() const { return !default_value.has_value(); }
};

const char* to_string(ParamType t);
std::optional<ParamType> param_type_from(std::string_view name);
SqlType sql_type_of(ParamType t);

}  // namespace runbook

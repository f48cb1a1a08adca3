#pragma once
// Parameters: their declarations (`params:`) and their values.
//
// A value reaches a runbook from its declared default, a `--params FILE`
// mapping, or `--set name=value` (in rising precedence). Every value is typed
// by its declaration — `--set batch_size=abc` is an error naming the param —
// and carries its SqlType and secret flag so that templates quote it right
// and reports mask it.

#include "base/diagnostic.h"
#include "load/yaml_reader.h"
#include "model/param.h"
#include "model/value.h"

#include <string>
#include <utility>
#include <vector>

namespace runbook::load {

// Reads a `params:` mapping.
std::vector<ParamSpec> load_param_specs(const Node& params, Diagnostics& diags);

// A value given from outside the file, with where it came from for messages.
struct ParamInput {
  std::string name;
  Value value;                     // strings from --set are typed by the declaration
  Location where;                  // "--set" or the params file position
  bool from_command_line = false;  // --set: text to be parsed by type
};

enum class MissingParams {
  error,        // a required param without a value is an error (plan, run)
  placeholder,  // use a typed placeholder value (validate: check the rest)
};

// Binds declarations and inputs into the `params` map templates see.
// Reports unknown names (with did-you-mean), missing required params and
// ill-typed values; returns the map even when errors were reported.
// `how_to_give` names how a missing value is given, for the hint ("--set" for
// a runbook, "with:" for a template).
Value bind_params(const std::vector<ParamSpec>& specs, const std::vector<ParamInput>& inputs,
                  MissingParams missing, Diagnostics& diags,
                  const std::string& how_to_give = "--set");

// Types one value by a declaration. On failure returns nullopt and sets
// `error` to what was wrong ("expected an integer, got \"abc\"").
std::optional<Value> type_value(const ParamSpec& spec, const Value& raw, bool from_text,
                                std::string* error);

// Parses `--set name=value` arguments.
std::vector<ParamInput> parse_set_arguments(const std::vector<std::string>& args,
                                            Diagnostics& diags);
// Reads a --params YAML file: a mapping of name -> value.
std::vector<ParamInput> read_params_file(std::string_view text, const std::string& file,
                                         Diagnostics& diags);

}  // namespace runbook::load

#include "load/params.h"

#include "base/edit_distance.h"
#include "base/strings.h"
#include "load/fields.h"
#include "load/yaml_reader.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace runbook::load {

namespace {

bool valid_param_name(std::string_view name) {
  if (name.empty() || !(std::islower(static_cast<unsigned char>(name[0])) || name[0] == '_')) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) ||
           std::isdigit(static_cast<unsigned char>(c)) || c == '_';
  });
}

const std::vector<std::string> kParamKeys = {"type", "elements", "default", "min",
                                             "max",  "one_of",   "secret",  "description"};

std::vector<std::string> type_names() {
  return {"identifier", "qualified_name", "string", "integer", "number", "boolean", "sql", "list"};
}

std::optional<ParamType> read_type(const Fields& f, std::string_view key) {
  auto index = f.choice(key, type_names());
  if (!index) {
    return std::nullopt;
  }
  return param_type_from(type_names()[*index]);
}

void check_default(ParamSpec& spec, const Node& node, Diagnostics& diags) {
  std::string error;
  auto typed = type_value(spec, to_value(node), false, &error);
  if (!typed) {
    diags.error(node.where, "default of param " + quoted(spec.name) + ": " + error);
    return;
  }
  spec.default_value = std::move(typed);
}

void read_bounds(ParamSpec& spec, const Fields& f) {
  spec.min = f.number("min");
  spec.max = f.number("max");
  bool numeric = spec.type == ParamType::integer || spec.type == ParamType::number;
  for (const char* key : {"min", "max"}) {
    if (f.has(key) && !numeric) {
      f.diags().error(f.get(key)->where,
                      std::string("`") + key + "` applies only to integer and number params");
    }
  }
}

std::optional<ParamSpec> load_spec(const Node& key, const Node& value, Diagnostics& diags) {
  ParamSpec spec;
  spec.name = key.scalar();
  spec.where = key.where;
  if (!valid_param_name(spec.name)) {
    diags.error(key.where, "param name " + quoted(spec.name) + " is not valid",
                "use lower-case letters, digits and _, starting with a letter");
  }
  if (value.is_scalar()) {  // shorthand: `schema: identifier`
    auto t = param_type_from(value.scalar());
    if (!t) {
      diags.error(value.where, "unknown param type " + quoted(value.scalar()),
                  "use one of: " + join(type_names(), ", "));
      return std::nullopt;
    }
    spec.type = *t;
    return spec;
  }
  if (!value.is_mapping()) {
    report_shape(diags, value, "param " + quoted(spec.name), "a mapping like { type: string }");
    return std::nullopt;
  }
  Fields f(value, "param", diags);
  f.only(kParamKeys);
  if (!f.has("type")) {
    diags.error(value.where, "param " + quoted(spec.name) + " has no `type`",
                "add type: identifier | qualified_name | string | integer | number | boolean "
                "| sql | list");
    return std::nullopt;
  }
  auto type = read_type(f, "type");
  if (!type) {
    return std::nullopt;
  }
  spec.type = *type;
  if (f.has("elements")) {
    auto elements = read_type(f, "elements");
    if (spec.type != ParamType::list) {
      diags.error(f.get("elements")->where, "`elements` applies only to list params");
    } else if (elements == ParamType::list) {
      diags.error(f.get("elements")->where, "lists of lists are not supported");
    } else if (elements) {
      spec.element_type = *elements;
      spec.has_elements = true;
    }
  }
  spec.secret = f.boolean("secret").value_or(false);
  spec.description = f.string("description").value_or("");
  read_bounds(spec, f);
  if (const Node* one_of = f.get("one_of")) {
    if (!one_of->is_sequence() || one_of->items.empty()) {
      report_shape(diags, *one_of, "`one_of`", "a non-empty list");
    } else {
      ParamSpec element = spec;
      element.one_of.clear();
      for (const Node& item : one_of->items) {
        std::string error;
        auto typed = type_value(element, to_value(item), false, &error);
        if (!typed) {
          diags.error(item.where, "`one_of` entry: " + error);
        } else {
          spec.one_of.push_back(*typed);
        }
      }
    }
  }
  if (const Node* def = f.get("default")) {
    check_default(spec, *def, diags);
  }
  return spec;
}

}  // namespace

std::vector<ParamSpec> load_param_specs(const Node& params, Diagnostics& diags) {
  std::vector<ParamSpec> specs;
  if (params.is_null()) {
    return specs;
  }
  if (!params.is_mapping()) {
    report_shape(diags, params, "`params`", "a mapping of name -> declaration");
    return specs;
  }
  for (const auto& [key, value] : params.entries) {
    if (auto spec = load_spec(key, value, diags)) {
      specs.push_back(std::move(*spec));
    }
  }
  return specs;
}

namespace {

std::string describe_raw(const Value& raw) {
  if (raw.is_string()) {
    return quoted(raw.as_string());
  }
  return raw.kind_name() + std::string(" ") + raw.to_text();
}

std::optional<Value> type_scalar(ParamType type, const Value& raw, bool from_text,
                                 std::string* error);

std::optional<Value> type_integer(const Value& raw, std::string* error) {
  if (raw.is_integer()) {
    return raw;
  }
  if (raw.is_string()) {
    std::string_view s = trim(raw.as_string());
    std::int64_t i = 0;
    auto r = std::from_chars(s.data(), s.data() + s.size(), i);
    if (r.ec == std::errc() && r.ptr == s.data() + s.size() && !s.empty()) {
      return Value(i);
    }
  }
  *error = "expected a whole number, got " + describe_raw(raw);
  return std::nullopt;
}

std::optional<Value> type_number(const Value& raw, std::string* error) {
  if (raw.is_integer()) {
    return Value(static_cast<double>(raw.as_integer()));
  }
  if (raw.is_number() && std::isfinite(raw.as_number())) {
    return raw;
  }
  if (raw.is_string()) {
    std::string_view s = trim(raw.as_string());
    double d = 0;
    auto r = std::from_chars(s.data(), s.data() + s.size(), d);
    if (r.ec == std::errc() && r.ptr == s.data() + s.size() && !s.empty() && std::isfinite(d)) {
      return Value(d);
    }
  }
  *error = "expected a number, got " + describe_raw(raw);
  return std::nullopt;
}

std::optional<Value> type_boolean(const Value& raw, bool from_text, std::string* error) {
  if (raw.is_bool()) {
    return raw;
  }
  if (raw.is_string() && from_text) {
    std::string v = to_lower(trim(raw.as_string()));
    if (v == "true" || v == "yes" || v == "on" || v == "1") {
      return Value(true);
    }
    if (v == "false" || v == "no" || v == "off" || v == "0") {
      return Value(false);
    }
  }
  *error = "expected true or false, got " + describe_raw(raw);
  return std::nullopt;
}

std::optional<Value> type_text(ParamType type, const Value& raw, std::string* error) {
  if (raw.is_list() || raw.is_map() || raw.is_null()) {
    *error = std::string("expected ") + (type == ParamType::sql ? "SQL text" : "text") + ", got " +
             raw.kind_name();
    return std::nullopt;
  }
  std::string s = raw.to_text();
  if (s.find('\0') != std::string::npos) {
    *error = "a NUL byte cannot reach SQL";
    return std::nullopt;
  }
  if (type == ParamType::identifier) {
    if (s.empty()) {
      *error = "an identifier cannot be empty";
      return std::nullopt;
    }
    if (s.size() > 63) {
      *error = "an identifier is at most 63 bytes (PostgreSQL would truncate " + quoted(s) + ")";
      return std::nullopt;
    }
  }
  if (type == ParamType::qualified_name) {
    for (std::string_view part : split(s, '.')) {
      if (part.empty()) {
        *error = "expected schema.name, got " + quoted(s);
        return std::nullopt;
      }
    }
  }
  return Value(std::move(s));
}

std::optional<Value> type_scalar(ParamType type, const Value& raw, bool from_text,
                                 std::string* error) {
  switch (type) {
    case ParamType::integer:
      return type_integer(raw, error);
    case ParamType::number:
      return type_number(raw, error);
    case ParamType::boolean:
      return type_boolean(raw, from_text, error);
    default:
      return type_text(type, raw, error);
  }
}

// `--set tables=[orders, "line items"]`: a YAML flow list, so that items may
// hold commas and spaces when quoted. Its items stay text, typed afterwards
// like the items of `a,b,c`.
std::optional<ValueList> flow_list_items(const std::string& text, std::string* error) {
  Diagnostics diags;
  std::optional<Node> list = read_yaml(text, "--set", diags);
  if (!list || !list->is_sequence()) {
    *error = diags.all().empty() ? "expected a list like [a, b]"
                                 : "not a list like [a, b]: " + diags.all()[0].message;
    return std::nullopt;
  }
  ValueList items;
  for (const Node& item : list->items) {
    if (!item.is_scalar()) {
      *error = "element " + std::to_string(items.size()) + ": expected a single value, got " +
               item.kind_name();
      return std::nullopt;
    }
    items.emplace_back(item.scalar());
  }
  return items;
}

std::optional<Value> type_list(const ParamSpec& spec, const Value& raw, bool from_text,
                               std::string* error) {
  ValueList items;
  if (raw.is_list()) {
    items = raw.as_list();
  } else if (raw.is_string() && from_text && trim(raw.as_string()).starts_with("[")) {
    std::optional<ValueList> flow = flow_list_items(raw.as_string(), error);
    if (!flow) {
      return std::nullopt;
    }
    items = std::move(*flow);
  } else if (raw.is_string() && from_text) {
    for (std::string_view part : split(raw.as_string(), ',')) {
      if (!trim(part).empty()) {
        items.emplace_back(std::string(trim(part)));
      }
    }
  } else {
    *error = "expected a list, got " + describe_raw(raw);
    return std::nullopt;
  }
  ValueList typed;
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto v = type_scalar(spec.element_type, items[i], from_text, error);
    if (!v) {
      *error = "element " + std::to_string(i) + ": " + *error;
      return std::nullopt;
    }
    v->with_sql_type(sql_type_of(spec.element_type)).with_secret(spec.secret);
    typed.push_back(std::move(*v));
  }
  return Value(std::move(typed));
}

bool within_bounds(const ParamSpec& spec, const Value& v, std::string* error) {
  if (!v.is_integer() && !v.is_number()) {
    return true;
  }
  double x = v.is_integer() ? static_cast<double>(v.as_integer()) : v.as_number();
  if (spec.min && x < *spec.min) {
    *error = "must be at least " + format_number(*spec.min) + ", got " + v.to_text();
    return false;
  }
  if (spec.max && x > *spec.max) {
    *error = "must be at most " + format_number(*spec.max) + ", got " + v.to_text();
    return false;
  }
  return true;
}

bool among_one_of(const ParamSpec& spec, const Value& v, std::string* error) {
  if (spec.one_of.empty()) {
    return true;
  }
  for (const Value& allowed : spec.one_of) {
    if (allowed == v) {
      return true;
    }
  }
  std::vector<std::string> names;
  for (const Value& allowed : spec.one_of) {
    names.push_back(allowed.to_text());
  }
  *error = "must be one of " + join(names, ", ") + ", got " + quoted(v.to_text());
  return false;
}

}  // namespace

std::optional<Value> type_value(const ParamSpec& spec, const Value& raw, bool from_text,
                                std::string* error) {
  std::optional<Value> v = spec.type == ParamType::list
                               ? type_list(spec, raw, from_text, error)
                               : type_scalar(spec.type, raw, from_text, error);
  if (!v) {
    return std::nullopt;
  }
  if (!within_bounds(spec, *v, error) || !among_one_of(spec, *v, error)) {
    return std::nullopt;
  }
  v->with_sql_type(sql_type_of(spec.type)).with_secret(spec.secret);
  return v;
}

namespace {

Value placeholder(const ParamSpec& spec) {
  auto one = [](ParamType t, const ParamSpec& s) -> Value {
    switch (t) {
      case ParamType::identifier:
        return Value("example");
      case ParamType::qualified_name:
        return Value("public.example");
      case ParamType::integer:
        return Value(static_cast<std::int64_t>(s.min ? std::ceil(*s.min) : 1));
      case ParamType::number:
        return Value(s.min ? *s.min : 1.0);
      case ParamType::boolean:
        return Value(false);
      case ParamType::sql:
        return Value("TRUE");
      default:
        return Value("example");
    }
  };
  if (!spec.one_of.empty()) {
    return spec.one_of.front();
  }
  if (spec.type == ParamType::list) {
    Value element = one(spec.element_type, spec);
    element.with_sql_type(sql_type_of(spec.element_type)).with_secret(spec.secret);
    Value list(ValueList{element});
    return list.with_sql_type(SqlType::untyped).with_secret(spec.secret);
  }
  Value v = one(spec.type, spec);
  return v.with_sql_type(sql_type_of(spec.type)).with_secret(spec.secret);
}

std::vector<std::string> names_of(const std::vector<ParamSpec>& specs) {
  std::vector<std::string> names;
  for (const ParamSpec& s : specs) {
    names.push_back(s.name);
  }
  return names;
}

}  // namespace

Value bind_params(const std::vector<ParamSpec>& specs, const std::vector<ParamInput>& inputs,
                  MissingParams missing, Diagnostics& diags, const std::string& how_to_give) {
  Value params{ValueMap{}};
  std::vector<std::string> rejected;  // given, but not valid: already reported
  for (const ParamInput& input : inputs) {
    auto spec = std::find_if(specs.begin(), specs.end(),
                             [&](const ParamSpec& s) { return s.name == input.name; });
    if (spec == specs.end()) {
      std::string hint = did_you_mean(input.name, names_of(specs));
      diags.error(input.where, "unknown param " + quoted(input.name),
                  hint.empty() ? "declare it under `params:` first" : hint);
      continue;
    }
    std::string error;
    auto typed = type_value(*spec, input.value, input.from_command_line, &error);
    if (!typed) {
      if (spec->secret) {  // never echo a secret, not even a wrong one
        error = std::string("the value is not a valid ") + to_string(spec->type) +
                " (not shown: the param is secret)";
      }
      diags.error(input.where, "param " + quoted(input.name) + ": " + error);
      rejected.push_back(input.name);
      continue;
    }
    params.set(input.name, std::move(*typed));
  }
  ValueMap ordered;  // in declaration order, so plans list params as written
  for (const ParamSpec& spec : specs) {
    if (const Value* given = params.find(spec.name)) {
      ordered.emplace_back(spec.name, *given);
    } else if (spec.default_value) {
      ordered.emplace_back(spec.name, *spec.default_value);
    } else if (missing == MissingParams::placeholder) {
      ordered.emplace_back(spec.name, placeholder(spec));
    } else if (std::find(rejected.begin(), rejected.end(), spec.name) == rejected.end()) {
      diags.error(spec.where, "missing required param " + quoted(spec.name),
                  how_to_give == "--set"
                      ? "pass --set " + spec.name + "=VALUE or give it a default"
                      : "add `" + spec.name + ": VALUE` under `with:`, or give it a default");
    }
  }
  return Value(std::move(ordered));
}

std::vector<ParamInput> parse_set_arguments(const std::vector<std::string>& args,
                                            Diagnostics& diags) {
  std::vector<ParamInput> inputs;
  for (const std::string& arg : args) {
    std::size_t eq = arg.find('=');
    Location where{"--set " + arg.substr(0, eq), 0, 0};
    if (eq == std::string::npos || eq == 0) {
      diags.error(where, "--set needs name=value, got " + quoted(arg));
      continue;
    }
    inputs.push_back(ParamInput{arg.substr(0, eq), Value(arg.substr(eq + 1)), where, true});
  }
  return inputs;
}

std::vector<ParamInput> read_params_file(std::string_view text, const std::string& file,
                                         Diagnostics& diags) {
  std::vector<ParamInput> inputs;
  auto root = read_yaml(text, file, diags);
  if (!root) {
    return inputs;
  }
  if (root->is_null()) {
    return inputs;
  }
  if (!root->is_mapping()) {
    report_shape(diags, *root, "a params file", "a mapping of name: value");
    return inputs;
  }
  for (const auto& [key, value] : root->entries) {
    inputs.push_back(ParamInput{key.scalar(), to_value(value), key.where, false});
  }
  return inputs;
}

}  // namespace runbook::load

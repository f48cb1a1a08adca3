#include "model/value.h"

#include "base/strings.h"

namespace runbook {

const Value* Value::find(std::string_view key) const {
  if (!is_map()) {
    return nullptr;
  }
  for (const auto& [k, v] : as_map()) {
    if (k == key) {
      return &v;
    }
  }
  return nullptr;
}

void Value::set(std::string key, Value v) {
  if (!is_map()) {
    data_ = ValueMap{};
  }
  for (auto& [k, existing] : as_map()) {
    if (k == key) {
      existing = std::move(v);
      return;
    }
  }
  as_map().emplace_back(std::move(key), std::move(v));
}

std::string Value::to_text() const {
  struct Visitor {
    std::string operator()(std::monostate) const { return ""; }
    std::string operator()(bool b) const { return b ? "t" : "f"; }
    std::string operator()(std::int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const { return format_number(d); }
    std::string operator()(const std::string& s) const { return s; }
    std::string operator()(const ValueList& l) const {
      std::vector<std::string> parts;
      for (const Value& v : l) {
        parts.push_back(v.to_text());
      }
      return join(parts, ", ");
    }
    std::string operator()(const ValueMap& m) const {
      std::vector<std::string> parts;
      for (const auto& [k, v] : m) {
        parts.push_back(k + "=" + v.to_text());
      }
      return join(parts, ", ");
    }
    std::string operator()(const Deferred& d) const { return "<" + d.path + ">"; }
  };
  return std::visit(Visitor{}, data_);
}

std::string Value::kind_name() const {
  struct Visitor {
    const char* operator()(std::monostate) const { return "null"; }
    const char* operator()(bool) const { return "boolean"; }
    const char* operator()(std::int64_t) const { return "integer"; }
    const char* operator()(double) const { return "number"; }
    const char* operator()(const std::string&) const { return "string"; }
    const char* operator()(const ValueList&) const { return "list"; }
    const char* operator()(const ValueMap&) const { return "mapping"; }
    const char* operator()(const Deferred&) const { return "run-time value"; }
  };
  return std::visit(Visitor{}, data_);
}

}  // namespace runbook

#pragma once
// A value that can reach a template: a parameter, a foreach item, a captured
// result, run metadata or an environment variable.
//
// Besides its data a value carries how it is quoted when it is written into
// SQL (its declared parameter type, or `untyped`) and whether it is secret.
// A `deferred` value stands for something known only at run time (a capture
// while planning): templates render it as a placeholder.

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace runbook {

// How a value is written into SQL. Mirrors the parameter types of a runbook.
enum class SqlType {
  untyped,         // strings as literals, numbers and booleans bare
  identifier,      // "Recipe"
  qualified_name,  // "public"."Recipe"
  string,          // 'it''s'
  integer,
  number,
  boolean,
  sql,  // written as is
};

class Value;
using ValueList = std::vector<Value>;
// Ordered: row columns and params keep the order the author wrote them in.
using ValueMap = std::vector<std::pair<std::string, Value>>;

struct Deferred {
  std::string path;  // e.g. "captures.baseline.value"
  friend bool operator==(const Deferred&, const Deferred&) = default;
};

class Value {
 public:
  using Data = std::variant<std::monostate, bool, std::int64_t, double, std::string, ValueList,
                            ValueMap, Deferred>;

  Value() = default;
  Value(bool b) : data_(b) {}
  Value(std::int64_t i) : data_(i) {}
  Value(int i) : data_(static_cast<std::int64_t>(i)) {}
  Value(double d) : data_(d) {}
  Value(std::string s) : data_(std::move(s)) {}
  Value(const char* s) : data_(std::string(s)) {}
  Value(ValueList l) : data_(std::move(l)) {}
  Value(ValueMap m) : data_(std::move(m)) {}
  Value(Deferred d) : data_(std::move(d)) {}

  bool is_null() const { return std::holds_alternative<std::monostate>(data_); }
  bool is_bool() const { return std::holds_alternative<bool>(data_); }
  bool is_integer() const { return std::holds_alternative<std::int64_t>(data_); }
  bool is_number() const { return std::holds_alternative<double>(data_); }
  bool is_string() const { return std::holds_alternative<std::string>(data_); }
  bool is_list() const { return std::holds_alternative<ValueList>(data_); }
  bool is_map() const { return std::holds_alternative<ValueMap>(data_); }
  bool is_deferred() const { return std::holds_alternative<Deferred>(data_); }

  bool as_bool() const { return std::get<bool>(data_); }
  std::int64_t as_integer() const { return std::get<std::int64_t>(data_); }
  double as_number() const { return std::get<double>(data_); }
  const std::string& as_string() const { return std::get<std::string>(data_); }
  const ValueList& as_list() const { return std::get<ValueList>(data_); }
  ValueList& as_list() { return std::get<ValueList>(data_); }
  const ValueMap& as_map() const { return std::get<ValueMap>(data_); }
  ValueMap& as_map() { return std::get<ValueMap>(data_); }
  const Deferred& as_deferred() const { return std::get<Deferred>(data_); }
  const Data& data() const { return data_; }

  // The entry `key` of a map value, or nullptr.
  const Value* find(std::string_view key) const;
  // Sets `key` in a map value (replacing an existing entry).
  void set(std::string key, Value v);

  SqlType sql_type() const { return sql_type_; }
  Value& with_sql_type(SqlType t) {
    sql_type_ = t;
    return *this;
  }
  bool secret() const { return secret_; }
  Value& with_secret(bool s) {
    secret_ = s;
    return *this;
  }

  // The value as plain text: psql's rendering (t/f for booleans, numbers
  // without needless digits, list elements joined with ", ", null as "").
  std::string to_text() const;
  // A short name of the kind, for messages: "string", "integer", "list", ...
  std::string kind_name() const;

  friend bool operator==(const Value& a, const Value& b) { return a.data_ == b.data_; }

 private:
  Data data_;
  SqlType sql_type_ = SqlType::untyped;
  bool secret_ = false;
};

}  // namespace runbook

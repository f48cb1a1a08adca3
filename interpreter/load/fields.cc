#include "load/fields.h"

#include "base/edit_distance.h"
#include "base/strings.h"

#include <cctype>
#include <charconv>

namespace runbook::load {

Fields::Fields(const Node& mapping, std::string what, Diagnostics& diags)
    : mapping_(mapping), what_(std::move(what)), diags_(diags) {}

void Fields::only(const std::vector<std::string>& allowed) const {
  for (const auto& [key, value] : mapping_.entries) {
    bool known = false;
    for (const std::string& a : allowed) {
      known = known || a == key.scalar();
    }
    if (!known) {
      std::string hint = did_you_mean(key.scalar(), allowed);
      if (hint.empty()) {
        hint = "allowed keys of a " + what_ + ": " + join(allowed, ", ");
      }
      diags_.error(key.where, "unknown key " + quoted(key.scalar()) + " in " + what_, hint);
    }
  }
}

void report_shape(Diagnostics& diags, const Node& node, std::string_view what,
                  std::string_view expected) {
  diags.error(node.where, std::string(what) + " must be " + std::string(expected) + ", not " +
                              node.kind_name());
}

std::optional<std::string> Fields::string(std::string_view key) const {
  const Node* n = get(key);
  if (n == nullptr) {
    return std::nullopt;
  }
  if (!n->is_scalar()) {
    report_shape(diags_, *n, "`" + std::string(key) + "`", "text");
    return std::nullopt;
  }
  return n->scalar();
}

std::optional<SourceText> Fields::text(std::string_view key) const {
  const Node* n = get(key);
  if (n == nullptr) {
    return std::nullopt;
  }
  if (!n->is_scalar()) {
    report_shape(diags_, *n, "`" + std::string(key) + "`", "text");
    return std::nullopt;
  }
  return n->text;
}

static std::optional<bool> parse_bool(std::string_view s) {
  std::string v = to_lower(s);
  if (v == "true" || v == "yes" || v == "on") {
    return true;
  }
  if (v == "false" || v == "no" || v == "off") {
    return false;
  }
  return std::nullopt;
}

std::optional<bool> Fields::boolean(std::string_view key) const {
  const Node* n = get(key);
  if (n == nullptr) {
    return std::nullopt;
  }
  auto b = n->is_scalar() ? parse_bool(n->scalar()) : std::nullopt;
  if (!b) {
    diags_.error(n->where, "`" + std::string(key) + "` must be true or false");
  }
  return b;
}

std::optional<std::int64_t> Fields::integer(std::string_view key, std::int64_t min) const {
  const Node* n = get(key);
  if (n == nullptr) {
    return std::nullopt;
  }
  Value v = to_value(*n);
  if (!v.is_integer()) {
    diags_.error(n->where, "`" + std::string(key) + "` must be a whole number");
    return std::nullopt;
  }
  if (v.as_integer() < min) {
    diags_.error(n->where, "`" + std::string(key) + "` must be at least " + std::to_string(min));
    return std::nullopt;
  }
  return v.as_integer();
}

std::optional<double> Fields::number(std::string_view key) const {
  const Node* n = get(key);
  if (n == nullptr) {
    return std::nullopt;
  }
  Value v = to_value(*n);
  if (v.is_integer()) {
    return static_cast<double>(v.as_integer());
  }
  if (!v.is_number()) {
    diags_.error(n->where, "`" + std::string(key) + "` must be a number");
    return std::nullopt;
  }
  return v.as_number();
}

std::optional<Millis> Fields::duration(std::string_view key) const {
  const Node* n = get(key);
  if (n == nullptr) {
    return std::nullopt;
  }
  auto d = n->is_scalar() ? parse_duration(n->scalar()) : std::nullopt;
  if (!d) {
    diags_.error(n->where, "`" + std::string(key) + "` must be a duration",
                 "write a number with a unit: 500ms, 2s, 5min, 1h");
  }
  return d;
}

std::optional<std::size_t> Fields::choice(std::string_view key,
                                          const std::vector<std::string>& choices) const {
  const Node* n = get(key);
  if (n == nullptr) {
    return std::nullopt;
  }
  return choice_of(*n, "`" + std::string(key) + "`", choices, diags_);
}

std::optional<std::size_t> choice_of(const Node& node, std::string_view what,
                                     const std::vector<std::string>& choices, Diagnostics& diags) {
  if (node.is_scalar()) {
    for (std::size_t i = 0; i < choices.size(); ++i) {
      if (choices[i] == node.scalar()) {
        return i;
      }
    }
  }
  std::string got = node.is_scalar() ? quoted(node.scalar()) : std::string(node.kind_name());
  std::string hint = node.is_scalar() ? did_you_mean(node.scalar(), choices) : "";
  diags.error(node.where, std::string(what) + " cannot be " + got,
              hint.empty() ? "use one of: " + join(choices, ", ") : hint);
  return std::nullopt;
}

std::optional<std::vector<std::string>> Fields::string_list(std::string_view key) const {
  const Node* n = get(key);
  if (n == nullptr) {
    return std::nullopt;
  }
  if (!n->is_sequence()) {
    report_shape(diags_, *n, "`" + std::string(key) + "`", "a list");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const Node& item : n->items) {
    if (!item.is_scalar()) {
      report_shape(diags_, item, "each entry of `" + std::string(key) + "`", "text");
      return std::nullopt;
    }
    out.push_back(item.scalar());
  }
  return out;
}

static bool looks_numeric(std::string_view s) {
  return !s.empty() && (std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '-' ||
                        s[0] == '+' || s[0] == '.');
}

static Value plain_scalar(const std::string& s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") {
    return Value();
  }
  if (s == "true" || s == "True" || s == "TRUE") {
    return Value(true);
  }
  if (s == "false" || s == "False" || s == "FALSE") {
    return Value(false);
  }
  if (looks_numeric(s)) {
    std::int64_t i = 0;
    const char* end = s.data() + s.size();
    const char* begin = s.data() + (s[0] == '+' ? 1 : 0);
    auto r = std::from_chars(begin, end, i);
    if (r.ec == std::errc() && r.ptr == end) {
      return Value(i);
    }
    double d = 0;
    auto rd = std::from_chars(begin, end, d);
    if (rd.ec == std::errc() && rd.ptr == end) {
      return Value(d);
    }
  }
  return Value(s);
}

Value to_value(const Node& node) {
  switch (node.kind) {
    case Node::Kind::null:
      return Value();
    case Node::Kind::scalar:
      return node.plain ? plain_scalar(node.scalar()) : Value(node.scalar());
    case Node::Kind::sequence: {
      ValueList list;
      for (const Node& item : node.items) {
        list.push_back(to_value(item));
      }
      return Value(std::move(list));
    }
    case Node::Kind::mapping: {
      ValueMap map;
      for (const auto& [k, v] : node.entries) {
        map.emplace_back(k.scalar(), to_value(v));
      }
      return Value(std::move(map));
    }
  }
  return Value();
}

}  // namespace runbook::load

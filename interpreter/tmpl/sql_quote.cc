#include "tmpl/sql_quote.h"

#include "base/strings.h"
#include "tmpl/limits.h"

#include <cmath>

namespace runbook::tmpl {

std::string quote_identifier(std::string_view name) {
  std::string out;
  out.reserve(name.size() + 2);
  out += '"';
  for (char c : name) {
    if (c == '"') {
      out += '"';
    }
    out += c;
  }
  out += '"';
  return out;
}

std::string quote_literal(std::string_view text) {
  bool has_backslash = text.find('\\') != std::string_view::npos;
  std::string out;
  out.reserve(text.size() + 3);
  if (has_backslash) {
    out += 'E';
  }
  out += '\'';
  for (char c : text) {
    if (c == '\'' || c == '\\') {
      out += c;
    }
    out += c;
  }
  out += '\'';
  return out;
}

namespace {

// The end of the double-quoted part starting at `begin` (just past its closing
// quote), or npos when the quote is not closed. `""` inside is an escaped quote.
std::size_t quoted_part_end(std::string_view name, std::size_t begin) {
  for (std::size_t i = begin + 1; i < name.size(); ++i) {
    if (name[i] != '"') {
      continue;
    }
    if (i + 1 < name.size() && name[i + 1] == '"') {
      ++i;
      continue;
    }
    return i + 1;
  }
  return std::string_view::npos;
}

}  // namespace

std::optional<std::string> quote_qualified_name(std::string_view name) {
  if (name.empty() || name.find('\0') != std::string_view::npos) {
    return std::nullopt;
  }
  std::string out;
  std::size_t i = 0;
  while (true) {
    std::size_t end = 0;
    if (name[i] == '"') {
      end = quoted_part_end(name, i);
      if (end == std::string_view::npos || end == i + 2) {
        return std::nullopt;  // unclosed, or "" (PostgreSQL rejects empty names)
      }
      out.append(name.substr(i, end - i));
    } else {
      end = std::min(name.find('.', i), name.size());
      std::string_view part = name.substr(i, end - i);
      if (part.empty() || part.find('"') != std::string_view::npos) {
        return std::nullopt;
      }
      out += quote_identifier(part);
    }
    if (end == name.size()) {
      return out;
    }
    if (name[end] != '.' || end + 1 == name.size()) {
      return std::nullopt;  // text after a quoted part, or a trailing dot
    }
    out += '.';
    i = end + 1;
  }
}

namespace {

bool fail(std::string* error, std::string message) {
  if (error != nullptr) {
    *error = std::move(message);
  }
  return false;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::size_t skip_digits(std::string_view s, std::size_t i) {
  while (i < s.size() && is_digit(s[i])) {
    ++i;
  }
  return i;
}

// [+-]digits
bool is_integer_text(std::string_view s) {
  std::size_t i = (!s.empty() && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
  std::size_t end = skip_digits(s, i);
  return end > i && end == s.size();
}

// [+-](digits[.digits] | .digits)[e[+-]digits], as PostgreSQL reads a numeric constant.
bool is_number_text(std::string_view s) {
  std::size_t i = (!s.empty() && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
  std::size_t int_end = skip_digits(s, i);
  std::size_t frac_end = int_end;
  if (frac_end < s.size() && s[frac_end] == '.') {
    frac_end = skip_digits(s, frac_end + 1);
  }
  if (frac_end - i - (frac_end > int_end ? 1 : 0) == 0) {
    return false;  // no digit at all
  }
  if (frac_end < s.size() && (s[frac_end] == 'e' || s[frac_end] == 'E')) {
    std::size_t e = frac_end + 1;
    if (e < s.size() && (s[e] == '+' || s[e] == '-')) {
      ++e;
    }
    std::size_t exp_end = skip_digits(s, e);
    return exp_end > e && exp_end == s.size();
  }
  return frac_end == s.size();
}

// The spellings PostgreSQL accepts for a boolean.
std::optional<bool> parse_boolean(const Value& v) {
  if (v.is_bool()) {
    return v.as_bool();
  }
  if (v.is_integer() && (v.as_integer() == 0 || v.as_integer() == 1)) {
    return v.as_integer() == 1;
  }
  if (!v.is_string()) {
    return std::nullopt;
  }
  std::string s = to_lower(trim(v.as_string()));
  if (s == "true" || s == "t" || s == "yes" || s == "y" || s == "on" || s == "1") {
    return true;
  }
  if (s == "false" || s == "f" || s == "no" || s == "n" || s == "off" || s == "0") {
    return false;
  }
  return std::nullopt;
}

bool write_number(double d, std::string& out, std::string* error) {
  if (!std::isfinite(d)) {
    return fail(error, "a number written into SQL must be finite");
  }
  out += format_number(d);
  return true;
}

bool write_numeric(const Value& v, SqlType type, std::string& out, std::string* error) {
  const char* kind = type == SqlType::integer ? "an integer" : "a number";
  if (v.is_integer()) {
    out += std::to_string(v.as_integer());
    return true;
  }
  if (v.is_number()) {
    if (type == SqlType::integer && v.as_number() != std::floor(v.as_number())) {
      return fail(error, format_number(v.as_number()) + " is not " + kind);
    }
    return write_number(v.as_number(), out, error);
  }
  if (v.is_string()) {
    std::string_view s = trim(v.as_string());
    bool ok = type == SqlType::integer ? is_integer_text(s) : is_number_text(s);
    if (!ok) {
      return fail(error, quoted(v.as_string()) + " is not " + kind);
    }
    out += s;
    return true;
  }
  return fail(error,
              (v.is_null() ? std::string("null") : "a " + v.kind_name()) + " is not " + kind);
}

bool write_name(const Value& v, SqlType type, std::string& out, std::string* error) {
  if (!v.is_string() && !v.is_integer() && !v.is_number()) {
    return fail(error, "a " + v.kind_name() + " cannot be written as an identifier");
  }
  std::string text = v.to_text();
  if (text.empty()) {
    return fail(error, "an identifier cannot be empty");
  }
  if (type == SqlType::identifier) {
    out += quote_identifier(text);
    return true;
  }
  auto qualified = quote_qualified_name(text);
  if (!qualified) {
    return fail(error, quoted(text) + " is not a valid qualified name");
  }
  out += *qualified;
  return true;
}

bool write_scalar(const Value& v, SqlType type, std::string& out, std::string* error) {
  if (v.is_null() && type != SqlType::identifier && type != SqlType::qualified_name) {
    out += type == SqlType::sql ? "" : "NULL";
    return true;
  }
  switch (type) {
    case SqlType::identifier:
    case SqlType::qualified_name:
      return write_name(v, type, out, error);
    case SqlType::string:
      out += quote_literal(v.to_text());
      return true;
    case SqlType::integer:
    case SqlType::number:
      return write_numeric(v, type, out, error);
    case SqlType::boolean: {
      auto b = parse_boolean(v);
      if (!b) {
        return fail(error, quoted(v.to_text()) + " is not a boolean");
      }
      out += *b ? "true" : "false";
      return true;
    }
    case SqlType::sql:
      out += v.to_text();
      return true;
    case SqlType::untyped:
      break;
  }
  if (v.is_bool()) {
    out += v.as_bool() ? "true" : "false";
  } else if (v.is_integer()) {
    out += std::to_string(v.as_integer());
  } else if (v.is_number()) {
    return write_number(v.as_number(), out, error);
  } else {
    out += quote_literal(v.to_text());
  }
  return true;
}

// `forced` overrides every scalar's own type; otherwise an untyped value takes
// `inherited` (the type of the list holding it).
bool write_value(const Value& v, SqlType inherited, std::optional<SqlType> forced, std::string& out,
                 std::string* error, int depth) {
  SqlType type = forced ? *forced : v.sql_type() != SqlType::untyped ? v.sql_type() : inherited;
  if (v.is_deferred()) {
    out += "<" + v.as_deferred().path + ">";
    return true;
  }
  if (v.is_map()) {
    return fail(error, "a mapping cannot be written into SQL");
  }
  if (v.is_string() && v.as_string().find('\0') != std::string::npos) {
    return fail(error, "the value holds a NUL byte");
  }
  if (!v.is_list()) {
    return write_scalar(v, type, out, error);
  }
  if (depth >= kMaxValueDepth) {
    return fail(error, "the list is nested too deeply");
  }
  bool first = true;
  for (const Value& element : v.as_list()) {
    if (!first) {
      out += ", ";
    }
    first = false;
    if (!write_value(element, type, forced, out, error, depth + 1)) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<std::string> quote_value(const Value& v, std::string* error) {
  std::string out;
  if (!write_value(v, SqlType::untyped, std::nullopt, out, error, 0)) {
    return std::nullopt;
  }
  return out;
}

std::optional<std::string> quote_value_as(const Value& v, SqlType type, std::string* error) {
  std::string out;
  if (!write_value(v, type, type, out, error, 0)) {
    return std::nullopt;
  }
  return out;
}

}  // namespace runbook::tmpl

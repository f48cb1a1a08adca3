#include "tmpl/filters.h"

#include "base/strings.h"
#include "tmpl/limits.h"
#include "tmpl/sql_quote.h"

#include <array>

namespace runbook::tmpl {

namespace {

constexpr std::array<FilterDef, 8> kFilters = {{
    {FilterId::ident, "ident", 0, 0},
    {FilterId::literal, "literal", 0, 0},
    {FilterId::raw, "raw", 0, 0},
    {FilterId::join, "join", 0, 1},
    {FilterId::default_value, "default", 1, 1},
    {FilterId::lower, "lower", 0, 0},
    {FilterId::upper, "upper", 0, 0},
    {FilterId::length, "length", 0, 0},
}};

std::optional<Item> fail(std::string* error, std::string message) {
  *error = std::move(message);
  return std::nullopt;
}

// Already-quoted SQL: written as is, and not raw (nothing unquoted is in it).
Item quoted_sql(std::string text, const Item& input) {
  Value v(std::move(text));
  v.with_sql_type(SqlType::sql);
  Item r = Item::make(std::move(v));
  r.secret = input.tainted();
  r.constant = input.constant;
  return r;
}

std::optional<Item> quote_as(const Item& input, SqlType type, std::string* error) {
  auto text = quote_value_as(input.get(), type, error);
  if (!text) {
    return std::nullopt;
  }
  return quoted_sql(std::move(*text), input);
}

std::optional<Item> raw(const Item& input, Context context) {
  Value v(input.get().to_text());
  if (context == Context::sql) {
    v.with_sql_type(SqlType::sql);
  }
  Item r = derived(std::move(v), input);
  r.raw = context == Context::sql;
  return r;
}

// In SQL the separator is written as is, so it must be trusted: written in
// the template (or a `sql` value).
std::optional<Item> join(const Item& input, const std::vector<Item>& args, Context context,
                         std::string* error) {
  if (!input.get().is_list()) {
    return fail(error, "join needs a list, not " + kind_with_article(input.get()));
  }
  std::string sep = args.empty() ? ", " : args[0].get().to_text();
  bool sql = context == Context::sql;
  if (sql && !args.empty() && !args[0].constant && args[0].get().sql_type() != SqlType::sql) {
    return fail(error, "the separator of join must be written in the template");
  }
  std::string out;
  for (std::size_t i = 0; i < input.get().as_list().size(); ++i) {
    Item e = element_of(input, i);
    std::optional<std::string> text = sql ? quote_value(e.get(), error) : e.get().to_text();
    if (!text) {
      return std::nullopt;
    }
    if (out.size() + sep.size() + text->size() > kMaxOutputBytes) {
      return fail(error, "the joined text is larger than 16 MiB");
    }
    out += i > 0 ? sep : "";
    out += *text;
  }
  Value v(std::move(out));
  v.with_sql_type(sql ? SqlType::sql : SqlType::untyped);
  return args.empty() ? derived(std::move(v), input) : derived(std::move(v), input, &args[0]);
}

Value change_case(const Value& v, FilterId id, int depth) {
  if (v.is_string()) {
    Value r(id == FilterId::lower ? to_lower(v.as_string()) : to_upper(v.as_string()));
    r.with_sql_type(v.sql_type()).with_secret(v.secret());
    return r;
  }
  if (!v.is_list() || depth >= kMaxValueDepth) {
    return v;
  }
  ValueList items;
  items.reserve(v.as_list().size());
  for (const Value& e : v.as_list()) {
    items.push_back(change_case(e, id, depth + 1));
  }
  Value r(std::move(items));
  r.with_sql_type(v.sql_type()).with_secret(v.secret());
  return r;
}

std::size_t count_characters(const std::string& s) {
  std::size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++n;  // not a UTF-8 continuation byte
    }
  }
  return n;
}

std::optional<Item> length(const Item& input, std::string* error) {
  const Value& v = input.get();
  std::int64_t n = 0;
  if (v.is_list()) {
    n = static_cast<std::int64_t>(v.as_list().size());
  } else if (v.is_map()) {
    n = static_cast<std::int64_t>(v.as_map().size());
  } else if (v.is_string()) {
    n = static_cast<std::int64_t>(count_characters(v.as_string()));
  } else {
    return fail(error, kind_with_article(v) + " has no length");
  }
  Item r = Item::make(Value(n));
  r.constant = input.constant;
  return r;
}

}  // namespace

const FilterDef* find_filter(std::string_view name) {
  for (const FilterDef& f : kFilters) {
    if (f.name == name) {
      return &f;
    }
  }
  return nullptr;
}

std::vector<std::string> filter_names() {
  std::vector<std::string> names;
  for (const FilterDef& f : kFilters) {
    names.emplace_back(f.name);
  }
  return names;
}

std::optional<Item> apply_filter(const FilterDef& filter, const Item& input,
                                 const std::vector<Item>& args, Context context,
                                 std::string* error) {
  switch (filter.id) {
    case FilterId::ident:
      return quote_as(input, SqlType::identifier, error);
    case FilterId::literal:
      return quote_as(input, SqlType::string, error);
    case FilterId::raw:
      return raw(input, context);
    case FilterId::join:
      return join(input, args, context, error);
    case FilterId::lower:
    case FilterId::upper:
      return derived(change_case(input.get(), filter.id, 0), input);
    case FilterId::length:
      return length(input, error);
    case FilterId::default_value:
      break;
  }
  return Item(input);
}

}  // namespace runbook::tmpl

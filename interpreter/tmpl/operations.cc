#include "tmpl/operations.h"

#include "tmpl/limits.h"
#include "tmpl/template.h"

#include <cmath>
#include <cstdint>
#include <limits>

namespace runbook::tmpl {

Item Item::borrow(const Value& v) {
  Item item;
  item.ref_ = &v;
  return item;
}

Item Item::make(Value v) {
  Item item;
  item.own_ = std::move(v);
  item.built = true;
  return item;
}

Value Item::take() && {
  if (ref_ != nullptr) {
    return *ref_;
  }
  return std::move(own_);
}

bool Item::uses_raw() const {
  return raw || (!built && holds_sql(get()));
}

bool Item::tainted() const {
  return secret || holds_secret(get());
}

namespace {

// Past kMaxValueDepth a value is assumed secret (safe) and not raw (only a
// warning is lost).
bool any_inside(const Value& v, bool (*test)(const Value&), bool beyond, int depth) {
  if (test(v)) {
    return true;
  }
  if (depth >= kMaxValueDepth) {
    return beyond;
  }
  if (v.is_list()) {
    for (const Value& e : v.as_list()) {
      if (any_inside(e, test, beyond, depth + 1)) {
        return true;
      }
    }
  } else if (v.is_map()) {
    for (const auto& entry : v.as_map()) {
      if (any_inside(entry.second, test, beyond, depth + 1)) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

bool holds_secret(const Value& v) {
  return any_inside(
      v, [](const Value& x) { return x.secret(); }, true, 0);
}

bool holds_sql(const Value& v) {
  return any_inside(
      v, [](const Value& x) { return x.sql_type() == SqlType::sql; }, false, 0);
}

Item derived(Value result, const Item& a, const Item* b) {
  Item r = Item::make(std::move(result));
  r.raw = a.uses_raw() || (b != nullptr && b->uses_raw());
  r.secret = a.tainted() || (b != nullptr && b->tainted());
  r.constant = a.constant && (b == nullptr || b->constant);
  return r;
}

namespace {

// A part of `whole` (an element or an entry), borrowed when `whole` is.
Item part_of(const Item& whole, const Value& part, SqlType inherited) {
  bool retype = part.sql_type() == SqlType::untyped && inherited != SqlType::untyped;
  Item r;
  if (whole.borrowed() && !retype) {
    r = Item::borrow(part);
  } else {
    Value copy = part;
    if (retype) {
      copy.with_sql_type(inherited);
    }
    r = Item::make(std::move(copy));
  }
  r.built = whole.built;
  r.raw = whole.raw;
  r.secret = whole.secret || whole.get().secret();
  r.constant = whole.constant;
  return r;
}

}  // namespace

Item element_of(const Item& list, std::size_t i) {
  const Value& l = list.get();
  return part_of(list, l.as_list()[i], l.sql_type());
}

Item entry_of(const Item& map, const Value& entry) {
  return part_of(map, entry, SqlType::untyped);
}

bool is_truthy(const Value& v) {
  struct Visitor {
    bool operator()(std::monostate) const { return false; }
    bool operator()(bool b) const { return b; }
    bool operator()(std::int64_t i) const { return i != 0; }
    bool operator()(double d) const { return d != 0.0; }
    bool operator()(const std::string& s) const { return !s.empty(); }
    bool operator()(const ValueList& l) const { return !l.empty(); }
    bool operator()(const ValueMap& m) const { return !m.empty(); }
    bool operator()(const Deferred&) const { return true; }
  };
  return std::visit(Visitor{}, v.data());
}

namespace {

bool is_numeric(const Value& v) {
  return v.is_integer() || v.is_number();
}

double as_double(const Value& v) {
  return v.is_integer() ? static_cast<double>(v.as_integer()) : v.as_number();
}

const char* op_text(Op op) {
  switch (op) {
    case Op::lt:
      return "<";
    case Op::le:
      return "<=";
    case Op::gt:
      return ">";
    case Op::ge:
      return ">=";
    case Op::add:
      return "+";
    case Op::sub:
      return "-";
    case Op::mul:
      return "*";
    case Op::div:
      return "/";
    case Op::mod:
      return "%";
    case Op::negate:
      return "-";
    default:
      return "?";
  }
}

std::optional<Item> fail(std::string* error, std::string message) {
  *error = std::move(message);
  return std::nullopt;
}

}  // namespace

std::string kind_with_article(const Value& v) {
  std::string kind = v.kind_name();
  bool vowel = kind[0] == 'a' || kind[0] == 'i' || kind[0] == 'o' || kind[0] == 'u';
  return (vowel ? "an " : "a ") + kind;
}

bool values_equal(const Value& a, const Value& b) {
  if (is_numeric(a) && is_numeric(b)) {
    if (a.is_integer() && b.is_integer()) {
      return a.as_integer() == b.as_integer();
    }
    return as_double(a) == as_double(b);
  }
  if (a.is_list() && b.is_list()) {
    const ValueList& x = a.as_list();
    const ValueList& y = b.as_list();
    if (x.size() != y.size()) {
      return false;
    }
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (!values_equal(x[i], y[i])) {
        return false;
      }
    }
    return true;
  }
  return a == b;
}

namespace {

std::optional<Item> order(Op op, const Item& a, const Item& b, std::string* error) {
  const Value& x = a.get();
  const Value& y = b.get();
  int c = 0;
  if (is_numeric(x) && is_numeric(y)) {
    if (x.is_integer() && y.is_integer()) {
      c = x.as_integer() < y.as_integer() ? -1 : x.as_integer() > y.as_integer() ? 1 : 0;
    } else {
      double dx = as_double(x), dy = as_double(y);
      c = dx < dy ? -1 : dx > dy ? 1 : 0;
    }
  } else if (x.is_string() && y.is_string()) {
    int r = x.as_string().compare(y.as_string());
    c = r < 0 ? -1 : r > 0 ? 1 : 0;
  } else {
    return fail(error, "cannot compare " + kind_with_article(x) + " with " + kind_with_article(y) +
                           " using " + op_text(op));
  }
  bool result = op == Op::lt ? c < 0 : op == Op::le ? c <= 0 : op == Op::gt ? c > 0 : c >= 0;
  Item r = Item::make(Value(result));
  r.constant = a.constant && b.constant;
  return r;
}

std::optional<Item> membership(Op op, const Item& a, const Item& b, std::string* error) {
  const Value& x = a.get();
  const Value& y = b.get();
  bool found = false;
  if (y.is_list()) {
    for (const Value& e : y.as_list()) {
      if (values_equal(x, e)) {
        found = true;
        break;
      }
    }
  } else if (y.is_string() && x.is_string()) {
    found = y.as_string().find(x.as_string()) != std::string::npos;
  } else if (y.is_map() && x.is_string()) {
    found = y.find(x.as_string()) != nullptr;
  } else {
    return fail(error,
                "`in` needs a list, a string or a mapping on its right (and text to find "
                "in a string or a mapping), not " +
                    kind_with_article(x) + " in " + kind_with_article(y));
  }
  Item r = Item::make(Value(op == Op::in ? found : !found));
  r.constant = a.constant && b.constant;
  return r;
}

int name_rank(SqlType t) {
  switch (t) {
    case SqlType::qualified_name:
      return 3;
    case SqlType::identifier:
      return 2;
    case SqlType::string:
      return 1;
    default:
      return 0;
  }
}

// A text literal of the template takes the type of what it joins, so that
// 'idx_' ~ params.table is still an identifier; otherwise the value that is
// most a name wins. Every outcome is quoted safely.
SqlType concat_type(const Item& a, const Item& b) {
  SqlType ta = a.get().sql_type();
  SqlType tb = b.get().sql_type();
  if (a.constant && ta == SqlType::untyped) {
    return tb;
  }
  if (b.constant && tb == SqlType::untyped) {
    return ta;
  }
  if (ta == SqlType::sql && tb == SqlType::sql) {
    return SqlType::sql;
  }
  int ra = name_rank(ta), rb = name_rank(tb);
  if (ra == 0 && rb == 0) {
    return SqlType::untyped;
  }
  return ra >= rb ? ta : tb;
}

std::optional<Item> concat(const Item& a, const Item& b, std::string* error) {
  std::string text = a.get().to_text();
  std::string right = b.get().to_text();
  if (text.size() + right.size() > kMaxOutputBytes) {
    return fail(error, "the joined text is larger than 16 MiB");
  }
  text += right;
  Value v(std::move(text));
  v.with_sql_type(concat_type(a, b));
  return derived(std::move(v), a, &b);
}

std::optional<std::int64_t> integer_op(Op op, std::int64_t x, std::int64_t y, std::string* error) {
  std::int64_t r = 0;
  bool overflow = false;
  switch (op) {
    case Op::add:
      overflow = __builtin_add_overflow(x, y, &r);
      break;
    case Op::sub:
      overflow = __builtin_sub_overflow(x, y, &r);
      break;
    case Op::mul:
      overflow = __builtin_mul_overflow(x, y, &r);
      break;
    default:  // mod, floored as in Jinja: the result has the sign of y
      if (y == 0) {
        *error = "division by zero";
        return std::nullopt;
      }
      r = y == -1 ? 0 : x % y;
      if (r != 0 && ((r < 0) != (y < 0))) {
        r += y;
      }
  }
  if (overflow) {
    *error = "integer overflow";
    return std::nullopt;
  }
  return r;
}

std::optional<double> double_op(Op op, double x, double y, std::string* error) {
  if ((op == Op::div || op == Op::mod) && y == 0.0) {
    *error = "division by zero";
    return std::nullopt;
  }
  switch (op) {
    case Op::add:
      return x + y;
    case Op::sub:
      return x - y;
    case Op::mul:
      return x * y;
    case Op::div:
      return x / y;
    default: {
      double r = std::fmod(x, y);
      return (r != 0.0 && ((r < 0) != (y < 0))) ? r + y : r;
    }
  }
}

std::optional<Item> arithmetic(Op op, const Item& a, const Item& b, std::string* error) {
  const Value& x = a.get();
  const Value& y = b.get();
  if (!is_numeric(x) || !is_numeric(y)) {
    std::string message = std::string("cannot use ") + op_text(op) + " on " + kind_with_article(x) +
                          " and " + kind_with_article(y);
    if (op == Op::add) {
      message += " (use ~ to join text)";
    }
    return fail(error, message);
  }
  if (x.is_integer() && y.is_integer() && op != Op::div) {
    auto r = integer_op(op, x.as_integer(), y.as_integer(), error);
    return r ? std::optional(derived(Value(*r), a, &b)) : std::nullopt;
  }
  auto r = double_op(op, as_double(x), as_double(y), error);
  return r ? std::optional(derived(Value(*r), a, &b)) : std::nullopt;
}

}  // namespace

std::optional<Item> apply_binary(Op op, const Item& a, const Item& b, std::string* error) {
  switch (op) {
    case Op::eq:
    case Op::ne: {
      bool eq = values_equal(a.get(), b.get());
      Item r = Item::make(Value(op == Op::eq ? eq : !eq));
      r.constant = a.constant && b.constant;
      return r;
    }
    case Op::lt:
    case Op::le:
    case Op::gt:
    case Op::ge:
      return order(op, a, b, error);
    case Op::in:
    case Op::not_in:
      return membership(op, a, b, error);
    case Op::concat:
      return concat(a, b, error);
    default:
      return arithmetic(op, a, b, error);
  }
}

std::optional<Item> apply_unary(Op op, const Item& a, std::string* error) {
  const Value& x = a.get();
  if (op == Op::not_) {
    Item r = Item::make(Value(!is_truthy(x)));
    r.constant = a.constant;
    return r;
  }
  if (!is_numeric(x)) {
    return fail(error, std::string("cannot use ") + (op == Op::negate ? "-" : "+") + " on " +
                           kind_with_article(x));
  }
  if (op == Op::plus) {
    return derived(Value(x), a);
  }
  if (x.is_integer()) {
    if (x.as_integer() == std::numeric_limits<std::int64_t>::min()) {
      return fail(error, "integer overflow");
    }
    return derived(Value(-x.as_integer()), a);
  }
  return derived(Value(-x.as_number()), a);
}

}  // namespace runbook::tmpl

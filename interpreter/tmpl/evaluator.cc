#include "tmpl/evaluator.h"

#include "base/edit_distance.h"
#include "base/strings.h"
#include "tmpl/filters.h"
#include "tmpl/limits.h"

#include <algorithm>

namespace runbook::tmpl {

namespace {

// What a value built during evaluation cost to make: its elements, and its
// text by 64-byte blocks. Counting stops at `limit`.
std::size_t weight(const Value& v, std::size_t limit, int depth = 0) {
  if (v.is_string()) {
    return 1 + v.as_string().size() / 64;
  }
  if (!v.is_list() && !v.is_map()) {
    return 1;
  }
  std::size_t total = 1;
  auto add = [&](const Value& e) {
    total += depth < kMaxValueDepth ? weight(e, limit - std::min(limit, total), depth + 1) : 1;
    return total < limit;
  };
  if (v.is_list()) {
    for (const Value& e : v.as_list()) {
      if (!add(e)) {
        break;
      }
    }
  } else {
    for (const auto& entry : v.as_map()) {
      if (!add(entry.second)) {
        break;
      }
    }
  }
  return total;
}

std::string shorten(std::string_view s) {
  return s.size() <= 60 ? std::string(s) : std::string(s.substr(0, 57)) + "...";
}

// A hint naming what does exist, when nothing is close to what was written.
std::string hint_for(std::string_view prefix, std::string_view word,
                     const std::vector<std::string>& names) {
  if (auto match = closest_match(word, names)) {
    std::string full = prefix.empty() ? *match : std::string(prefix) + "." + *match;
    return "did you mean \"" + full + "\"?";
  }
  for (const std::string& n : names) {
    if (n.size() > word.size() && n.compare(0, word.size(), word) == 0 && n[word.size()] == '-') {
      return "a name with a dash needs brackets: " + std::string(prefix) + "['" + n + "']";
    }
  }
  if (names.empty()) {
    return prefix.empty() ? "no names are defined here" : std::string(prefix) + " is empty";
  }
  std::vector<std::string> shown(names.begin(),
                                 names.begin() + std::min<std::size_t>(10, names.size()));
  std::string what = prefix.empty() ? "names here" : std::string(prefix) + " has";
  return what + ": " + join(shown, ", ") + (names.size() > 10 ? ", ..." : "");
}

bool is_lookup(const Expr& e) {
  return e.kind == ExprKind::name || e.kind == ExprKind::attribute || e.kind == ExprKind::index;
}

}  // namespace

Evaluator::Evaluator(const SourceText& source, const Scope& scope, Context context,
                     ErrorSink& errors)
    : source_(source), scope_(scope), context_(context), errors_(errors) {}

std::string_view Evaluator::text_of(const Expr& e) const {
  std::string_view all = source_.text;
  return trim(all.substr(std::min(e.begin, all.size()), e.end - std::min(e.begin, e.end)));
}

bool Evaluator::charge(std::size_t units, std::size_t offset) {
  if (stopped_) {
    return false;
  }
  work_ += units;
  if (work_ <= kMaxWork) {
    return true;
  }
  errors_.error(
      offset,
      "the template does too much work (over " + std::to_string(kMaxWork) + " evaluation steps)",
      "loop over fewer or smaller lists");
  stopped_ = true;
  return false;
}

std::optional<Item> Evaluator::fail(std::size_t offset, std::string message, std::string hint) {
  errors_.error(offset, std::move(message), std::move(hint));
  return std::nullopt;
}

std::optional<Item> Evaluator::eval(const Expr& e) {
  if (!charge(1, e.begin)) {
    return std::nullopt;
  }
  std::optional<Item> r;
  switch (e.kind) {
    case ExprKind::literal: {
      Item item = Item::make(e.literal);
      item.constant = true;
      return item;
    }
    case ExprKind::name:
    case ExprKind::attribute:
    case ExprKind::index:
      return resolve(e, false, nullptr);
    case ExprKind::list:
      r = list(e);
      break;
    case ExprKind::unary:
      return unary(e);
    case ExprKind::binary:
      r = e.op == Op::and_ || e.op == Op::or_ ? logical(e) : binary(e);
      break;
    case ExprKind::filter:
      r = filter(e);
      break;
  }
  if (r && r->built && !charge(weight(r->get(), kMaxWork), e.begin)) {
    return std::nullopt;
  }
  return r;
}

// An operand of a lookup: itself a lookup (lenient if we are), or any expression.
std::optional<Item> Evaluator::operand(const Expr& e, bool lenient, bool* missing) {
  if (is_lookup(e)) {
    if (!charge(1, e.begin)) {
      return std::nullopt;
    }
    return resolve(e, lenient, missing);
  }
  return eval(e);
}

std::optional<Item> Evaluator::resolve(const Expr& e, bool lenient, bool* missing) {
  switch (e.kind) {
    case ExprKind::name:
      return name(e, lenient, missing);
    case ExprKind::attribute:
      return attribute(e, lenient, missing);
    default:
      return index(e, lenient, missing);
  }
}

std::optional<Item> Evaluator::name(const Expr& e, bool lenient, bool* missing) {
  for (auto it = loops_.rbegin(); it != loops_.rend(); ++it) {
    if (it->variable == e.name) {
      return it->item;
    }
  }
  if (e.name == "loop" && !loops_.empty()) {
    return loop_info();
  }
  if (scope_.is_deferred(e.name)) {
    return Item::make(Value(Deferred{e.name}));
  }
  if (const Value* v = scope_.find(e.name)) {
    return Item::borrow(*v);
  }
  if (lenient) {
    *missing = true;
    return std::nullopt;
  }
  return fail(e.name_offset, "undefined name \"" + e.name + "\"",
              hint_for("", e.name, visible_names()));
}

std::vector<std::string> Evaluator::visible_names() const {
  std::vector<std::string> names;
  for (const LoopFrame& f : loops_) {
    names.emplace_back(f.variable);
  }
  if (!loops_.empty()) {
    names.emplace_back("loop");
  }
  for (std::string& n : scope_.names()) {
    names.push_back(std::move(n));
  }
  return names;
}

Item Evaluator::loop_info() const {
  const LoopFrame& f = loops_.back();
  auto i = static_cast<std::int64_t>(f.index);
  auto n = static_cast<std::int64_t>(f.length);
  ValueMap m = {{"index", Value(i + 1)},    {"index0", Value(i)},
                {"revindex", Value(n - i)}, {"revindex0", Value(n - i - 1)},
                {"first", Value(i == 0)},   {"last", Value(i + 1 == n)},
                {"length", Value(n)}};
  return Item::make(Value(std::move(m)));
}

std::optional<Item> Evaluator::attribute(const Expr& e, bool lenient, bool* missing) {
  std::optional<Item> object = operand(*e.children[0], lenient, missing);
  if (!object) {
    return object;
  }
  if (object->deferred()) {
    return deferred_entry(e, e.name_offset, std::move(*object), e.name, lenient, missing);
  }
  return map_entry(e, e.name_offset, *object, e.name, lenient, missing);
}

// `captures.x` before run time: the value is not known yet, but when the
// scope knows which names exist under the root (the captures of earlier
// steps), a name that is not one of them is reported now.
std::optional<Item> Evaluator::deferred_entry(const Expr& e, std::size_t at, Item object,
                                              const std::string& key, bool lenient, bool* missing) {
  const Expr& root = *e.children[0];
  const std::vector<std::string>* keys =
      root.kind == ExprKind::name && object.get().as_deferred().path == root.name
          ? scope_.deferred_keys(root.name)
          : nullptr;
  if (!keys || std::find(keys->begin(), keys->end(), key) != keys->end()) {
    return object;
  }
  if (lenient) {
    *missing = true;
    return std::nullopt;
  }
  std::string hint;
  if (auto match = closest_match(key, *keys)) {
    hint = "did you mean \"" + root.name + "." + *match + "\"?";
  } else if (keys->empty()) {
    hint = "no earlier step captures anything: add `capture: " + key +
           "` to a query step that runs before this one";
  } else {
    hint = "earlier steps capture: " + join(*keys, ", ");
  }
  return fail(at, "\"" + root.name + "." + key + "\" is not captured by an earlier step", hint);
}

std::optional<Item> Evaluator::map_entry(const Expr& e, std::size_t at, const Item& map,
                                         const std::string& key, bool lenient, bool* missing) {
  const Value& m = map.get();
  if (m.is_map()) {
    if (const Value* v = m.find(key)) {
      return entry_of(map, *v);
    }
  }
  if (lenient) {
    *missing = true;
    return std::nullopt;
  }
  std::string path = shorten(text_of(*e.children[0]));
  if (!m.is_map()) {
    std::string what = m.is_null() ? "null" : kind_with_article(m) + ", not a mapping";
    return fail(at, "\"" + path + "\" is " + what + ": it has no \"" + key + "\"");
  }
  std::vector<std::string> keys;
  for (const auto& entry : m.as_map()) {
    keys.push_back(entry.first);
  }
  return fail(at, "undefined name \"" + path + "." + key + "\"", hint_for(path, key, keys));
}

std::optional<Item> Evaluator::index(const Expr& e, bool lenient, bool* missing) {
  std::optional<Item> object = operand(*e.children[0], lenient, missing);
  if (!object) {
    return object;
  }
  std::optional<Item> key = eval(*e.children[1]);
  if (!key || key->deferred()) {
    return key;
  }
  if (object->deferred()) {
    return key->get().is_string() ? deferred_entry(e, e.children[1]->begin, std::move(*object),
                                                   key->get().as_string(), lenient, missing)
                                  : object;
  }
  if (object->get().is_list()) {
    return list_index(e, *object, *key, lenient, missing);
  }
  if (key->get().is_string()) {
    return map_entry(e, e.children[1]->begin, *object, key->get().as_string(), lenient, missing);
  }
  if (lenient) {
    *missing = true;
    return std::nullopt;
  }
  return fail(e.children[1]->begin, "cannot index " + kind_with_article(object->get()) + " with " +
                                        kind_with_article(key->get()));
}

std::optional<Item> Evaluator::list_index(const Expr& e, const Item& list, const Item& key,
                                          bool lenient, bool* missing) {
  const Value& k = key.get();
  std::size_t at = e.children[1]->begin;
  if (!k.is_integer()) {
    return fail(at, "a list index must be an integer, not " + kind_with_article(k));
  }
  auto size = static_cast<std::int64_t>(list.get().as_list().size());
  std::int64_t i = k.as_integer();
  if (i < 0 && i >= -size) {
    i += size;  // -1 is the last element, as in Jinja
  }
  if (i >= 0 && i < size) {
    return element_of(list, static_cast<std::size_t>(i));
  }
  if (lenient) {
    *missing = true;
    return std::nullopt;
  }
  return fail(at, "index " + std::to_string(k.as_integer()) + " is out of range: \"" +
                      shorten(text_of(*e.children[0])) + "\" has " + std::to_string(size) +
                      " element" + (size == 1 ? "" : "s"));
}

// `and` and `or` return one of their operands, as in Jinja, and evaluate the
// right one only when the left one does not decide.
std::optional<Item> Evaluator::logical(const Expr& e) {
  std::optional<Item> left = eval(*e.children[0]);
  if (!left || left->deferred()) {
    return left;
  }
  bool truthy = is_truthy(left->get());
  if ((e.op == Op::and_) != truthy) {
    return left;
  }
  return eval(*e.children[1]);
}

std::optional<Item> Evaluator::binary(const Expr& e) {
  std::optional<Item> left = eval(*e.children[0]);
  if (!left || left->deferred()) {
    return left;
  }
  std::optional<Item> right = eval(*e.children[1]);
  if (!right || right->deferred()) {
    return right;
  }
  std::string error;
  std::optional<Item> r = apply_binary(e.op, *left, *right, &error);
  return r ? r : fail(e.name_offset, error);
}

std::optional<Item> Evaluator::unary(const Expr& e) {
  std::optional<Item> x = eval(*e.children[0]);
  if (!x || x->deferred()) {
    return x;
  }
  std::string error;
  std::optional<Item> r = apply_unary(e.op, *x, &error);
  return r ? r : fail(e.begin, error);
}

std::optional<Item> Evaluator::list(const Expr& e) {
  ValueList values;
  values.reserve(e.children.size());
  bool raw = false, secret = false, constant = true;
  for (const ExprPtr& c : e.children) {
    std::optional<Item> x = eval(*c);
    if (!x || x->deferred()) {
      return x;
    }
    raw = raw || x->uses_raw();
    secret = secret || x->tainted();
    constant = constant && x->constant;
    bool secret_part = x->secret;
    values.push_back(std::move(*x).take());
    if (secret_part) {
      values.back().with_secret(true);
    }
  }
  Item r = Item::make(Value(std::move(values)));
  r.raw = raw;
  r.secret = secret;
  r.constant = constant;
  return r;
}

std::optional<Item> Evaluator::filter(const Expr& e) {
  if (e.filter->id == FilterId::default_value) {
    return default_filter(e);
  }
  std::optional<Item> input = eval(*e.children[0]);
  if (!input || input->deferred()) {
    return input;
  }
  std::vector<Item> args;
  for (std::size_t i = 1; i < e.children.size(); ++i) {
    std::optional<Item> a = eval(*e.children[i]);
    if (!a || a->deferred()) {
      return a;
    }
    args.push_back(std::move(*a));
  }
  std::string error;
  std::optional<Item> r = apply_filter(*e.filter, *input, args, context_, &error);
  return r ? r : fail(e.name_offset, error);
}

// `x | default(v)`: v when x is undefined or null. Only a missing name is
// forgiven; an error inside x (a bad index type, a failing filter) is not.
std::optional<Item> Evaluator::default_filter(const Expr& e) {
  bool missing = false;
  const Expr& x = *e.children[0];
  std::optional<Item> value = operand(x, true, &missing);
  if (!value && !missing) {
    return std::nullopt;
  }
  if (value && !value->get().is_null()) {
    return value;
  }
  return eval(*e.children[1]);
}

void Evaluator::push_loop(std::string_view variable, std::size_t length) {
  loops_.push_back(LoopFrame{variable, Item(), 0, length});
}

void Evaluator::next_item(Item item, std::size_t index) {
  loops_.back().item = std::move(item);
  loops_.back().index = index;
}

void Evaluator::pop_loop() {
  loops_.pop_back();
}

}  // namespace runbook::tmpl

#pragma once
// Values while a template is evaluated, and the operators of the language.
//
// An Item is a value on its way through an expression. Values looked up in
// the scope are borrowed, not copied: `{{ params.tables }}` in a loop costs no
// copy of the list. Besides the value, an Item carries what quoting and
// reports need to know about where it came from: whether it holds raw SQL
// (a `sql` value, or `| raw`), whether a secret went into it (secrets stay
// secret through `~`, `upper`, `join`...), and whether it was built only from
// literals written in the template (trusted as SQL, e.g. join's separator).

#include "model/value.h"
#include "tmpl/ast.h"

#include <optional>
#include <string>

namespace runbook::tmpl {

class Item {
 public:
  Item() = default;
  // A value of the scope or of a loop frame, which outlives the Item.
  static Item borrow(const Value& v);
  // A value computed during evaluation.
  static Item make(Value v);

  const Value& get() const { return ref_ != nullptr ? *ref_ : own_; }
  bool deferred() const { return get().is_deferred(); }
  bool borrowed() const { return ref_ != nullptr; }
  // The value, moved out when owned and copied when borrowed.
  Value take() &&;

  // Holds SQL to write as is that an author did not quote (a `sql` value or
  // the result of `| raw`), as opposed to the output of `ident` or `join`.
  bool uses_raw() const;
  // A secret value went into this one.
  bool tainted() const;

  bool raw = false;       // raw SQL went into this value
  bool secret = false;    // a secret went into this value
  bool constant = false;  // only literals written in the template went into it
  // Built during evaluation: `raw` is then exact (a `sql`-typed value inside
  // may be the already-quoted output of a filter).
  bool built = false;

 private:
  const Value* ref_ = nullptr;
  Value own_;
};

// The flags of `result` from those of the operands it was computed from.
Item derived(Value result, const Item& a, const Item* b = nullptr);

bool holds_secret(const Value& v);
bool holds_sql(const Value& v);

// Element `i` of a list value, or the value at `key` of a mapping, carrying
// the container's type and secrecy (an untyped element of a list of
// identifiers is an identifier).
Item element_of(const Item& list, std::size_t i);
Item entry_of(const Item& map, const Value& entry);

// Binary operators other than `and`/`or` (which the evaluator short-circuits).
// On failure returns nullopt with `error` set.
std::optional<Item> apply_binary(Op op, const Item& a, const Item& b, std::string* error);
std::optional<Item> apply_unary(Op op, const Item& a, std::string* error);

// "an integer", "a list": the kind of `v` for messages.
std::string kind_with_article(const Value& v);

// Equality as the language defines it: numbers compare by value (1 == 1.0).
bool values_equal(const Value& a, const Value& b);

}  // namespace runbook::tmpl

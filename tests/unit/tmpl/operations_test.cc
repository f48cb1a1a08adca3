#include "tmpl/operations.h"

#include "tmpl/tmpl_test_support.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>

using namespace runbook;
using namespace runbook::tmpl;
using runbook::tmpl::testing::eval_as;
using runbook::tmpl::testing::typed;

namespace {

Item constant(Value v) {
  Item i = Item::make(std::move(v));
  i.constant = true;
  return i;
}

std::string binary(Op op, Value a, Value b) {
  std::string error;
  auto r = apply_binary(op, Item::make(std::move(a)), Item::make(std::move(b)), &error);
  return r ? r->get().kind_name() + " " + r->get().to_text() : "error: " + error;
}

}  // namespace

TEST_SUITE("tmpl::operations") {
  TEST_CASE("equality compares numbers by value and lists element-wise") {
    CHECK(values_equal(Value(1), Value(1.0)));
    CHECK_FALSE(values_equal(Value(1), Value("1")));
    CHECK(values_equal(Value(ValueList{Value(1), Value("a")}),
                       Value(ValueList{Value(1.0), Value("a")})));
    CHECK_FALSE(values_equal(Value(ValueList{Value(1)}), Value(ValueList{})));
    CHECK(values_equal(Value(), Value()));
    CHECK_FALSE(values_equal(Value(true), Value(1)));
  }

  TEST_CASE("ordering of numbers and of text; nothing else") {
    CHECK(binary(Op::lt, Value(1), Value(1.5)) == "boolean t");
    CHECK(binary(Op::ge, Value("b"), Value("a")) == "boolean t");
    CHECK(binary(Op::le, Value(2), Value(2)) == "boolean t");
    CHECK(binary(Op::gt, Value("10"), Value(9)) ==
          "error: cannot compare a string with an integer using >");
  }

  TEST_CASE("membership in lists, text and mappings") {
    CHECK(binary(Op::in, Value(2), Value(ValueList{Value(1), Value(2.0)})) == "boolean t");
    CHECK(binary(Op::in, Value("ell"), Value("hello")) == "boolean t");
    CHECK(binary(Op::not_in, Value("x"), Value(ValueMap{{"x", Value(1)}})) == "boolean f");
    CHECK(binary(Op::in, Value(1), Value(5)).rfind("error: `in` needs a list", 0) == 0);
  }

  TEST_CASE("arithmetic") {
    CHECK(binary(Op::add, Value(2), Value(3)) == "integer 5");
    CHECK(binary(Op::div, Value(7), Value(2)) == "number 3.5");
    CHECK(binary(Op::mod, Value(-7), Value(3)) == "integer 2");
    CHECK(binary(Op::mod, Value(7), Value(-3)) == "integer -2");
    CHECK(binary(Op::mul, Value(1.5), Value(2)) == "number 3");
    CHECK(binary(Op::div, Value(1), Value(0)) == "error: division by zero");
    CHECK(binary(Op::mod, Value(1), Value(0)) == "error: division by zero");
    CHECK(binary(Op::add, Value(std::numeric_limits<std::int64_t>::max()), Value(1)) ==
          "error: integer overflow");
    CHECK(binary(Op::mod, Value(std::numeric_limits<std::int64_t>::min()), Value(-1)) ==
          "integer 0");
    CHECK(binary(Op::add, Value("a"), Value("b")) ==
          "error: cannot use + on a string and a string (use ~ to join text)");
    CHECK(binary(Op::sub, Value(true), Value(1)) ==
          "error: cannot use - on a boolean and an integer");
  }

  TEST_CASE("unary operators") {
    std::string error;
    auto neg = apply_unary(Op::negate, Item::make(Value(5)), &error);
    REQUIRE(neg);
    CHECK(neg->get().as_integer() == -5);
    CHECK_FALSE(apply_unary(Op::negate, Item::make(Value(std::numeric_limits<std::int64_t>::min())),
                            &error));
    CHECK(error == "integer overflow");
    CHECK_FALSE(apply_unary(Op::negate, Item::make(Value("x")), &error));
    CHECK(error == "cannot use - on a string");
    auto n = apply_unary(Op::not_, Item::make(Value("")), &error);
    REQUIRE(n);
    CHECK(n->get().as_bool());
  }

  TEST_CASE("~ joins text and keeps the type that matters for quoting") {
    std::string error;
    Item table = Item::make(typed("Recipe", SqlType::identifier));
    auto a = apply_binary(Op::concat, constant("idx_"), table, &error);
    REQUIRE(a);
    CHECK(a->get().as_string() == "idx_Recipe");
    CHECK(a->get().sql_type() == SqlType::identifier);
    auto b = apply_binary(Op::concat, Item::make(typed("x", SqlType::string)), table, &error);
    REQUIRE(b);
    CHECK(b->get().sql_type() == SqlType::identifier);
    auto c = apply_binary(Op::concat, Item::make(Value("a")), Item::make(Value(1)), &error);
    REQUIRE(c);
    CHECK(c->get().sql_type() == SqlType::untyped);
    CHECK(c->get().as_string() == "a1");
    auto d = apply_binary(Op::concat, Item::make(typed("\"a\"", SqlType::sql)),
                          Item::make(typed("\"b\"", SqlType::sql)), &error);
    REQUIRE(d);
    CHECK(d->get().sql_type() == SqlType::sql);
    CHECK(eval_as("'p_' ~ params.qname ~ '_x'") == "string p_public.Recipe_x");
  }

  TEST_CASE("secrets and raw SQL follow what is derived from them") {
    std::string error;
    Item token = Item::make(Value("s").with_secret(true));
    auto joined = apply_binary(Op::concat, token, constant("!"), &error);
    REQUIRE(joined);
    CHECK(joined->tainted());
    auto compared = apply_binary(Op::eq, token, constant("s"), &error);
    REQUIRE(compared);
    CHECK_FALSE(compared->tainted());
    Value frag = typed("now()", SqlType::sql);
    CHECK(Item::borrow(frag).uses_raw());
    Item quoted = Item::make(typed("\"a\"", SqlType::sql));
    CHECK_FALSE(quoted.uses_raw());  // built: the output of a quoting filter
  }

  TEST_CASE("elements of a typed list take its type and secrecy") {
    Value list(ValueList{Value("a"), typed("b", SqlType::string)});
    list.with_sql_type(SqlType::identifier).with_secret(true);
    Item l = Item::borrow(list);
    Item a = element_of(l, 0);
    Item b = element_of(l, 1);
    CHECK(a.get().sql_type() == SqlType::identifier);
    CHECK(b.get().sql_type() == SqlType::string);
    CHECK(b.borrowed());
    CHECK(a.tainted());
    CHECK(b.tainted());
  }
}

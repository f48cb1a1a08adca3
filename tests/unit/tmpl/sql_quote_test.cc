#include "tmpl/sql_quote.h"

#include "tmpl/tmpl_test_support.h"

#include <doctest/doctest.h>

using namespace runbook;
using namespace runbook::tmpl;
using runbook::tmpl::testing::typed;

namespace {

std::string quoted_or_error(const Value& v) {
  std::string error;
  auto q = quote_value(v, &error);
  return q ? *q : "error: " + error;
}

}  // namespace

TEST_SUITE("tmpl::sql_quote") {
  TEST_CASE("identifiers follow PQescapeIdentifier") {
    CHECK(quote_identifier("Recipe") == "\"Recipe\"");
    CHECK(quote_identifier("we\"ird name") == "\"we\"\"ird name\"");
    CHECK(quote_identifier("") == "\"\"");
    CHECK(quote_identifier("it's") == "\"it's\"");
  }

  TEST_CASE("literals follow PQescapeLiteral") {
    CHECK(quote_literal("it's") == "'it''s'");
    CHECK(quote_literal("") == "''");
    CHECK(quote_literal("C:\\dir") == "E'C:\\\\dir'");
    CHECK(quote_literal("a\\'b") == "E'a\\\\''b'");
    CHECK(quote_literal("x'; DROP TABLE users; --") == "'x''; DROP TABLE users; --'");
  }

  TEST_CASE("qualified names quote each part") {
    CHECK(quote_qualified_name("public.Recipe") == "\"public\".\"Recipe\"");
    CHECK(quote_qualified_name("Recipe") == "\"Recipe\"");
    CHECK(quote_qualified_name("db.public.t") == "\"db\".\"public\".\"t\"");
    CHECK(quote_qualified_name("\"My.Schema\".t") == "\"My.Schema\".\"t\"");
    CHECK(quote_qualified_name("\"a\"\"b\".c") == "\"a\"\"b\".\"c\"");
    CHECK_FALSE(quote_qualified_name(""));
    CHECK_FALSE(quote_qualified_name("a..b"));
    CHECK_FALSE(quote_qualified_name(".a"));
    CHECK_FALSE(quote_qualified_name("a."));
    CHECK_FALSE(quote_qualified_name("\"open.t"));
    CHECK_FALSE(quote_qualified_name("\"a\"b.c"));
    CHECK_FALSE(quote_qualified_name("\"\".t"));
    CHECK_FALSE(quote_qualified_name("a\"b.c"));
    CHECK_FALSE(quote_qualified_name(std::string("a\0b", 3)));
  }

  TEST_CASE("each type is validated and written") {
    CHECK(quoted_or_error(typed(5000, SqlType::integer)) == "5000");
    CHECK(quoted_or_error(typed(" 42 ", SqlType::integer)) == "42");
    CHECK(quoted_or_error(typed("-7", SqlType::integer)) == "-7");
    CHECK(quoted_or_error(typed("4x", SqlType::integer)) == "error: \"4x\" is not an integer");
    CHECK(quoted_or_error(typed(1.5, SqlType::integer)) == "error: 1.5 is not an integer");
    CHECK(quoted_or_error(typed(2.0, SqlType::integer)) == "2");
    CHECK(quoted_or_error(typed("1.5e3", SqlType::number)) == "1.5e3");
    CHECK(quoted_or_error(typed(".5", SqlType::number)) == ".5");
    CHECK(quoted_or_error(typed("1;DROP", SqlType::number)) == "error: \"1;DROP\" is not a number");
    CHECK(quoted_or_error(typed(".", SqlType::number)) == "error: \".\" is not a number");
    CHECK(quoted_or_error(typed(true, SqlType::integer)) == "error: a boolean is not an integer");
    CHECK(quoted_or_error(typed(false, SqlType::boolean)) == "false");
    CHECK(quoted_or_error(typed("yes", SqlType::boolean)) == "true");
    CHECK(quoted_or_error(typed("maybe", SqlType::boolean)) == "error: \"maybe\" is not a boolean");
    CHECK(quoted_or_error(typed("", SqlType::identifier)) ==
          "error: an identifier cannot be empty");
    CHECK(quoted_or_error(typed("a..b", SqlType::qualified_name)) ==
          "error: \"a..b\" is not a valid qualified name");
    CHECK(quoted_or_error(typed("now()", SqlType::sql)) == "now()");
    CHECK(quoted_or_error(typed(Value(), SqlType::string)) == "NULL");
    CHECK(quoted_or_error(typed(Value(), SqlType::identifier)) ==
          "error: a null cannot be written as an identifier");
  }

  TEST_CASE("untyped values") {
    CHECK(quoted_or_error(Value("it's")) == "'it''s'");
    CHECK(quoted_or_error(Value(7)) == "7");
    CHECK(quoted_or_error(Value(-0.25)) == "-0.25");
    CHECK(quoted_or_error(Value(true)) == "true");
    CHECK(quoted_or_error(Value()) == "NULL");
    CHECK(quoted_or_error(Value(1.0 / 0.0)) == "error: a number written into SQL must be finite");
    CHECK(quoted_or_error(Value(ValueMap{{"a", Value(1)}})) ==
          "error: a mapping cannot be written into SQL");
    CHECK(quoted_or_error(Value(Deferred{"captures.x"})) == "<captures.x>");
  }

  TEST_CASE("a NUL byte is refused whatever the type") {
    Value nul(std::string("a\0b", 3));
    CHECK(quoted_or_error(nul) == "error: the value holds a NUL byte");
    CHECK(quoted_or_error(typed(nul, SqlType::identifier)) == "error: the value holds a NUL byte");
    CHECK(quoted_or_error(typed(nul, SqlType::sql)) == "error: the value holds a NUL byte");
  }

  TEST_CASE("lists quote each element by its own type, or the list's") {
    ValueList mixed = {typed("T", SqlType::identifier), Value("s"), Value(1)};
    CHECK(quoted_or_error(Value(mixed)) == "\"T\", 's', 1");
    Value of_idents(ValueList{Value("a"), Value("b")});
    of_idents.with_sql_type(SqlType::identifier);
    CHECK(quoted_or_error(of_idents) == "\"a\", \"b\"");
    CHECK(quoted_or_error(Value(ValueList{})) == "");
    Value nested(ValueList{Value(ValueList{Value(1), Value(2)}), Value(3)});
    CHECK(quoted_or_error(nested) == "1, 2, 3");
  }

  TEST_CASE("quote_value_as forces the type of every element") {
    Value l(ValueList{typed("a", SqlType::string), Value(2)});
    std::string error;
    CHECK(quote_value_as(l, SqlType::identifier, &error) == "\"a\", \"2\"");
    CHECK(quote_value_as(l, SqlType::string, &error) == "'a', '2'");
  }

  TEST_CASE("deeply nested lists are refused, not recursed into") {
    Value v(1);
    for (int i = 0; i < 100; ++i) {
      v = Value(ValueList{v});
    }
    CHECK(quoted_or_error(v) == "error: the list is nested too deeply");
  }
}

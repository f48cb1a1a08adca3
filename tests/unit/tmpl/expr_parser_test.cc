#include "tmpl/expr_parser.h"

#include <doctest/doctest.h>

using namespace runbook;
using namespace runbook::tmpl;

namespace {

// The tree in prefix form, or "error COL: MESSAGE".
std::string show(const Expr& e, const std::string& text) {
  switch (e.kind) {
    case ExprKind::literal:
      return e.literal.is_string() ? "'" + e.literal.as_string() + "'"
             : e.literal.is_null() ? "none"
                                   : e.literal.to_text();
    case ExprKind::name:
      return e.name;
    case ExprKind::attribute:
      return "(. " + show(*e.children[0], text) + " " + e.name + ")";
    default:
      break;
  }
  std::string head = e.kind == ExprKind::index    ? "[]"
                     : e.kind == ExprKind::list   ? "list"
                     : e.kind == ExprKind::filter ? "|" + e.name
                                                  : std::string("?");
  if (e.kind == ExprKind::unary || e.kind == ExprKind::binary) {
    static const char* ops[] = {"neg", "pos", "not",    "or", "and", "==", "!=", "<", "<=", ">",
                                ">=",  "in",  "not in", "~",  "+",   "-",  "*",  "/", "%"};
    head = ops[static_cast<int>(e.op)];
  }
  std::string out = "(" + head;
  for (const ExprPtr& c : e.children) {
    out += " " + show(*c, text);
  }
  return out + ")";
}

std::string parse(const std::string& text) {
  SourceText src{text, TextOrigin::block("f.yaml", 1, 0)};
  Diagnostics diags;
  ErrorSink sink(src, diags);
  ExprPtr e = ExprParser(lex_expression(text, 0, text.size()), sink).parse_all();
  if (!e) {
    return diags.all().empty() ? "error (none reported)"
                               : "error " + std::to_string(diags.all()[0].where.column) + ": " +
                                     diags.all()[0].message;
  }
  return show(*e, text);
}

}  // namespace

TEST_SUITE("tmpl::ExprParser") {
  TEST_CASE("names, attributes, indexes") {
    CHECK(parse("params.schema") == "(. params schema)");
    CHECK(parse("captures.x.rows[0]['name']") == "([] ([] (. (. captures x) rows) 0) 'name')");
    CHECK(parse("a.if") == "(. a if)");
  }

  TEST_CASE("literals") {
    CHECK(parse("'it\\'s'") == "'it's'");
    CHECK(parse("\"a\\nb\"") == "'a\nb'");
    CHECK(parse("'a\\db'") == "'a\\db'");
    CHECK(parse("42") == "42");
    CHECK(parse("2.5") == "2.5");
    CHECK(parse("true") == "t");
    CHECK(parse("False") == "f");
    CHECK(parse("null") == "none");
    CHECK(parse("[1, 'a', [],]") == "(list 1 'a' (list))");
  }

  TEST_CASE("precedence as in Jinja") {
    CHECK(parse("a or b and not c") == "(or a (and b (not c)))");
    CHECK(parse("a == 1 and b != 2") == "(and (== a 1) (!= b 2))");
    CHECK(parse("x ~ y | upper") == "(~ x (|upper y))");
    CHECK(parse("1 + 2 * 3 - -4") == "(- (+ 1 (* 2 3)) (neg 4))");
    CHECK(parse("(1 + 2) * 3") == "(* (+ 1 2) 3)");
    CHECK(parse("'a' ~ 1 + 2") == "(~ 'a' (+ 1 2))");
    CHECK(parse("x not in y") == "(not in x y)");
    CHECK(parse("not x in y") == "(not (in x y))");
  }

  TEST_CASE("filter chains with arguments") {
    CHECK(parse("t | join(', ') | upper") == "(|upper (|join t ', '))");
    CHECK(parse("x | default(none)") == "(|default x none)");
  }

  TEST_CASE("syntax errors say what was expected, at the right column") {
    CHECK(parse("a +") == "error 4: expected a value, found end of expression");
    CHECK(parse("a b") == "error 3: expected the end of the expression, found \"b\"");
    CHECK(parse("(a") == "error 3: expected \")\", found end of expression");
    CHECK(parse("a = 1") == "error 3: expected the end of the expression, found \"=\"");
    CHECK(parse("x | nope") == "error 5: unknown filter \"nope\"");
    CHECK(parse("x | join(1, 2)") == "error 5: filter \"join\" takes 0 or 1 arguments, not 2");
    CHECK(parse("x | default") == "error 5: filter \"default\" takes 1 argument, not 0");
    CHECK(parse("'open") == "error 1: unterminated string");
    CHECK(parse("a < b < c") == "error 7: comparisons cannot be chained");
    CHECK(parse("99999999999999999999") == "error 1: integer 99999999999999999999 is too large");
    CHECK(parse("a.") == "error 3: expected a name after \".\", found end of expression");
    CHECK(parse("and") == "error 1: expected a value, found \"and\"");
    CHECK(parse("a @ b") == "error 3: expected the end of the expression, found \"@\"");
  }

  TEST_CASE("unknown filters get a did-you-mean hint") {
    std::string text = "x | lowr";
    SourceText src{text, {}};
    Diagnostics diags;
    ErrorSink sink(src, diags);
    CHECK_FALSE(ExprParser(lex_expression(text, 0, text.size()), sink).parse_all());
    REQUIRE(diags.all().size() == 1);
    CHECK(diags.all()[0].hint == "did you mean \"lower\"?");
  }

  TEST_CASE("braces in a bare expression get a hint") {
    std::string text = "{{ params.x }}";
    SourceText src{text, {}};
    Diagnostics diags;
    ErrorSink sink(src, diags);
    CHECK_FALSE(ExprParser(lex_expression(text, 0, text.size()), sink).parse_all());
    REQUIRE(diags.all().size() == 1);
    CHECK(diags.all()[0].message == "expected a value, found \"{\"");
    CHECK(diags.all()[0].hint == "an expression here is written without {{ }}");
  }

  TEST_CASE("nesting is bounded") {
    std::string deep = std::string(500, '(') + "1" + std::string(500, ')');
    CHECK(parse(deep).rfind("error 1", 0) == 0);
    std::string chain = "a";
    for (int i = 0; i < 300; ++i) {
      chain += ".b";
    }
    CHECK(parse(chain).find("expression nested too deeply") != std::string::npos);
    std::string nots;
    for (int i = 0; i < 300; ++i) {
      nots += "not ";
    }
    CHECK(parse(nots + "x").find("nested too deeply") != std::string::npos);
    CHECK(parse(std::string(300, '-') + "1").find("nested too deeply") != std::string::npos);
  }
}

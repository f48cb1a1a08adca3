#include "tmpl/parser.h"

#include "tmpl/tmpl_test_support.h"

#include <doctest/doctest.h>

using namespace runbook;
using namespace runbook::tmpl;
using namespace runbook::tmpl::testing;

namespace {

// Every syntax error as "line:col message" (file f.yaml, text from line 10, indent 6).
std::vector<std::string> syntax_errors(const std::string& text, Context context = Context::sql) {
  Diagnostics diags;
  check_syntax(block(text), context, diags);
  std::vector<std::string> out;
  for (const Diagnostic& d : diags.all()) {
    out.push_back(std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + " " +
                  d.message);
  }
  return out;
}

using Errors = std::vector<std::string>;

}  // namespace

TEST_SUITE("tmpl::Parser") {
  TEST_CASE("a tree of text, outputs and blocks") {
    SourceText src = block(
        "a{{ x }}{% if y %}b{% elif z %}c{% else %}d{% endif %}"
        "{% for i in l %}e{% else %}f{% endfor %}");
    Diagnostics diags;
    ErrorSink sink(src, diags);
    auto t = parse_template(src, Context::text, sink);
    REQUIRE(t);
    REQUIRE(t->body.size() == 4);
    CHECK(std::holds_alternative<TextNode>(t->body[0].v));
    CHECK(std::holds_alternative<OutputNode>(t->body[1].v));
    const auto& i = std::get<IfNode>(t->body[2].v);
    CHECK(i.branches.size() == 2);
    CHECK(i.else_body.size() == 1);
    const auto& f = std::get<ForNode>(t->body[3].v);
    CHECK(f.variable == "i");
    CHECK(f.body.size() == 1);
    CHECK(f.else_body.size() == 1);
  }

  TEST_CASE("whitespace: tag-only lines vanish, markers strip") {
    CHECK(text("{% if true %}\nA\n{% endif %}\nB") == "A\nB");
    CHECK(text("  {% if true %}\n  A\n  {% endif %}\n") == "  A\n");
    CHECK(text("x {% if true %}y{% endif %} z") == "x y z");
    CHECK(text("{# comment line #}\nA") == "A");
    CHECK(text("A  {{- 'b' -}}  C") == "AbC");
    CHECK(text("A\n{%- if true %}\nB{% endif %}") == "AB");
    CHECK(text("{% if true +%}\nA{% endif %}") == "\nA");
    CHECK(text("A\n  {%+ if true %}B{% endif %}") == "A\n  B");
    CHECK(text("{% if true %}\r\nA{% endif %}") == "A");
  }

  TEST_CASE("syntax errors point at file:line:col") {
    CHECK(syntax_errors("SELECT {{ params.x +  }}") ==
          Errors{"10:29 expected a value, found end of expression"});
    CHECK(syntax_errors("SELECT 1;\n  {% if %}") ==
          Errors{"11:15 expected an expression", "11:9 {% if %} is not closed"});
    CHECK(syntax_errors("{% endif %}") == Errors{"10:7 {% endif %} without {% if %}"});
    CHECK(syntax_errors("{% else %}") == Errors{"10:7 {% else %} without {% if %} or {% for %}"});
    CHECK(syntax_errors("{% iff x %}") == Errors{"10:10 unknown tag \"iff\""});
    CHECK(syntax_errors("{% %}") == Errors{"10:7 empty {% %}"});
    CHECK(syntax_errors("{% endraw %}") == Errors{"10:7 {% endraw %} without {% raw %}"});
    CHECK(syntax_errors("{{ }}") == Errors{"10:7 empty {{ }}"});
    CHECK(syntax_errors("{% endif extra %}") ==
          Errors{"10:7 {% endif %} without {% if %}", "10:16 unexpected text after {% endif %}"});
    CHECK(syntax_errors("{% for in x %}{% endfor %}") ==
          Errors{"10:14 expected a loop variable name, as in {% for t in params.tables %}, found "
                 "\"in\""});
    CHECK(syntax_errors("{% for t of x %}{% endfor %}") ==
          Errors{"10:16 expected \"in\", found \"of\""});
  }

  TEST_CASE("all errors of a template are reported in one pass") {
    CHECK(syntax_errors("{{ a | nope }}\n{% endfor %}\n{{ (1 }}\n{% if x %}{% for y in z %}"
                        "{% endif %}") ==
          Errors{"10:14 unknown filter \"nope\"", "11:7 {% endfor %} without {% for %}",
                 "12:13 expected \")\", found end of expression",
                 "13:17 {% for %} is not closed before {% endif %}"});
  }

  TEST_CASE("block structure errors") {
    CHECK(syntax_errors("{% if a %}{% else %}{% elif b %}{% endif %}") ==
          Errors{"10:27 {% elif %} after {% else %}"});
    CHECK(syntax_errors("{% if a %}{% else %}{% else %}{% endif %}") ==
          Errors{"10:27 a second {% else %} in the same block"});
    CHECK(syntax_errors("{% for a in b %}{% elif c %}{% endfor %}") ==
          Errors{"10:23 {% elif %} without {% if %}"});
    CHECK(syntax_errors("{% for a in b %}") == Errors{"10:7 {% for %} is not closed"});
  }

  TEST_CASE("blocks nest at most 64 deep") {
    std::string deep;
    for (int i = 0; i < 70; ++i) {
      deep += "{% if true %}";
    }
    Errors e = syntax_errors(deep);
    REQUIRE(e.size() == 1);
    CHECK(e[0] == "10:" + std::to_string(7 + 64 * 13) + " blocks nested too deeply (more than 64)");
    std::string ok;
    for (int i = 0; i < 64; ++i) {
      ok = "{% if true %}" + ok + "{% endif %}";
    }
    CHECK(syntax_errors(ok).empty());
  }

  TEST_CASE("values are quoted for you: {{ }} inside quotes is an error at the {{") {
    CHECK(syntax_errors("WHERE name = '{{ params.name }}'") ==
          Errors{"10:21 values are quoted for you: this {{ }} is inside a quoted SQL string "
                 "('...')"});
    CHECK(syntax_errors("SELECT \"{{ params.table }}\"") ==
          Errors{"10:15 values are quoted for you: this {{ }} is inside a quoted SQL identifier "
                 "(\"...\")"});
    CHECK(syntax_errors("WHERE a LIKE 'x%' AND\n  b = E'it\\'{{ x }}'") ==
          Errors{"11:19 values are quoted for you: this {{ }} is inside a quoted SQL string "
                 "('...')"});
    CHECK(syntax_errors("SELECT 'it''{{ x }}'").size() == 1);
    CHECK(syntax_errors("SELECT $1, '{{ x }}'").size() == 1);
  }

  TEST_CASE("the quote error carries a hint to remove the quotes") {
    Diagnostics diags;
    check_syntax(block("'{{ x }}'"), Context::sql, diags);
    REQUIRE(diags.all().size() == 1);
    CHECK(diags.all()[0].hint.find("remove the single quotes around it") == 0);
    CHECK(diags.all()[0].hint.find("| raw only for trusted SQL") != std::string::npos);
  }

  TEST_CASE("outside quotes, in comments and in dollar bodies templates are fine") {
    CHECK(syntax_errors("SELECT 'it''s', {{ x }}").empty());
    CHECK(syntax_errors("SELECT E'\\'', {{ x }}").empty());
    CHECK(syntax_errors("-- don't\nSELECT {{ x }}").empty());
    CHECK(syntax_errors("/* it's */ SELECT {{ x }}").empty());
    CHECK(syntax_errors("-- {{ x }} in a comment").empty());
    CHECK(syntax_errors("DO $$ BEGIN PERFORM {{ x }}; END $$").empty());
    CHECK(syntax_errors("AS $fn$ SELECT '{{ x }}' $fn$; SELECT {{ y }}").empty());
    CHECK(syntax_errors("SELECT '{% if x %}a{% endif %}'").empty());
    CHECK(syntax_errors("SELECT \"fk_{{ params.table | raw }}\"").empty());
    CHECK(syntax_errors("WHERE name = '{{ x }}'", Context::text).empty());
  }

  TEST_CASE("static text across tags is scanned in source order") {
    CHECK(syntax_errors("SELECT '{% if a %}x{% endif %}{{ y }}'").size() == 1);
    CHECK(syntax_errors("SELECT 'a'{# ' #}, {{ y }}").empty());
  }
}

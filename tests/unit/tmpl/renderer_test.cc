#include "tmpl/renderer.h"

#include "tmpl/tmpl_test_support.h"

#include <doctest/doctest.h>

using namespace runbook;
using namespace runbook::tmpl;
using namespace runbook::tmpl::testing;

namespace {

using Errors = std::vector<std::string>;

}  // namespace

TEST_SUITE("tmpl::Renderer") {
  TEST_CASE("a value never merges with the token before it") {
    CHECK(sql("SELECT 1 -{{ -5 }}") == "SELECT 1 - -5");
    CHECK(sql("SELECT 1 -{{ params.batch }}") == "SELECT 1 -5000");
    CHECK(sql("SELECT x{{ params.path }}") == "SELECT x E'C:\\\\dir'");
    CHECK(sql("SELECT ({{ params.path }})") == "SELECT (E'C:\\\\dir')");
    CHECK(sql("SELECT 'a'{{ params.name }}") == "SELECT 'a' 'it''s'");
    CHECK(sql("SELECT \"a\"{{ params.table }}") == "SELECT \"a\" \"Recipe\"");
    CHECK(sql("SELECT -{{ params.frag }}") == "SELECT -now()");
    CHECK(text("1 -{{ -5 }}") == "1 --5");
  }

  TEST_CASE("a value cannot end the comment or the body it is in") {
    Scope scope = sample_scope();
    Value params = *scope.find("params");
    params.set("multi", typed("a\nDROP TABLE t; --", SqlType::string));
    params.set("dollars", typed("$$; DROP TABLE users; --", SqlType::string));
    params.set("close", typed("*/ DROP TABLE t; /*", SqlType::string));
    scope.set("params", params);
    CHECK(errors_of("-- note {{ params.multi }}\nSELECT 1", Context::sql, scope) ==
          Errors{"10:15 the value holds a line break, which would end the -- comment it is in"});
    CHECK(errors_of("DO $$ BEGIN PERFORM {{ params.dollars }}; END $$", Context::sql, scope) ==
          Errors{"10:27 the value holds $$, which would end the dollar-quoted body it is in"});
    CHECK(errors_of("/* {{ params.close }} */", Context::sql, scope) ==
          Errors{"10:10 the value holds */ or /*, which would change the /* */ comment it is in"});
    CHECK(sql("-- step for {{ params.table }}\nSELECT 1", scope) ==
          "-- step for \"Recipe\"\nSELECT 1");
    CHECK(sql("DO $f$ BEGIN PERFORM {{ params.dollars }}; END $f$", scope) ==
          "DO $f$ BEGIN PERFORM '$$; DROP TABLE users; --'; END $f$");
  }

  TEST_CASE("values that cannot be written are errors at the expression") {
    CHECK(errors_of("SELECT {{ item }}") ==
          Errors{"10:17 cannot write \"item\" into SQL: a mapping cannot be written into SQL"});
    CHECK(text("{{ item }}") == "name=orders, rows=10");
    Scope scope = sample_scope();
    Value params = *scope.find("params");
    params.set("nul", Value(std::string("a\0b", 3)));
    scope.set("params", params);
    CHECK(errors_of("{{ params.nul }}", Context::text, scope) ==
          Errors{"10:7 the value holds a NUL byte"});
    CHECK(errors_of("{{ params.nul }}", Context::sql, scope) ==
          Errors{"10:10 cannot write \"params.nul\" into SQL: the value holds a NUL byte"});
  }

  TEST_CASE("for loops need a list") {
    CHECK(errors_of("{% for t in params.table %}{% endfor %}") ==
          Errors{"10:19 cannot loop over a string"});
    CHECK(errors_of("{% for t in item %}{% endfor %}") ==
          Errors{"10:19 cannot loop over a mapping"});
  }

  TEST_CASE("the output is capped, even when loops multiply it") {
    Scope scope = sample_scope();
    Value params = *scope.find("params");
    params.set("big", typed(std::string(1 << 20, 'x'), SqlType::sql));
    scope.set("params", params);
    std::string t =
        "{% for a in [1,2,3,4] %}{% for b in [1,2,3,4,5] %}{{ params.big }}"
        "{% endfor %}{% endfor %}";
    CHECK(errors_of(t, Context::sql, scope) ==
          Errors{"10:57 the rendered text is larger than 16 MiB"});
    std::string ok =
        "{% for a in [1,2,3] %}{% for b in [1,2,3,4,5] %}{{ params.big }}"
        "{% endfor %}{% endfor %}";
    CHECK(sql(ok, scope).size() == 15u << 20);
  }

  TEST_CASE("the work bound leaves room for long loops") {
    Scope scope = sample_scope();
    Value params = *scope.find("params");
    ValueList many;
    for (int i = 0; i < 10000; ++i) {
      many.push_back(typed("t" + std::to_string(i), SqlType::identifier));
    }
    params.set("many", Value(std::move(many)));
    scope.set("params", params);
    std::string out =
        sql("{% for t in params.many %}ANALYZE {{ params.schema }}.{{ t }}; -- "
            "{{ loop.index }} of {{ params.many | length }}\n{% endfor %}",
            scope);
    CHECK(out.rfind("ANALYZE \"public\".\"t0\"; -- 1 of 10000\n", 0) == 0);
    CHECK(out.size() == 427784);  // 10,000 lines of 35 characters and two numbers
  }

  TEST_CASE("built strings are capped too") {
    Scope scope = sample_scope();
    Value params = *scope.find("params");
    params.set("big", Value(std::string(9 << 20, 'x')));
    scope.set("params", params);
    CHECK(errors_of("{% if (params.big ~ params.big) == '' %}{% endif %}", Context::sql, scope) ==
          Errors{"10:25 the joined text is larger than 16 MiB"});
  }

  TEST_CASE("secrets inside lists and joins are listed") {
    Scope scope = sample_scope();
    Value params = *scope.find("params");
    params.set("keys", Value(ValueList{Value("pub"), Value("priv").with_secret(true)}));
    scope.set("params", params);
    Diagnostics diags;
    auto r = render(block("{{ params.keys }}"), scope, Context::sql, diags);
    REQUIRE(r);
    CHECK(r->text == "'pub', 'priv'");
    CHECK(r->secrets == std::vector<std::string>{"priv", "'pub', 'priv'"});
    auto j = render(block("{{ params.keys | join('-') }}"), scope, Context::text, diags);
    REQUIRE(j);
    CHECK(j->secrets == std::vector<std::string>{"pub-priv"});
    auto t = render(block("{{ params.token }} {{ params.token }}"), scope, Context::text, diags);
    REQUIRE(t);
    CHECK(t->secrets == std::vector<std::string>{"s3cr3t"});
  }
}

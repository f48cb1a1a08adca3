#include "tmpl/template.h"

#include "tmpl/tmpl_test_support.h"

#include <doctest/doctest.h>

#include <algorithm>

using namespace runbook;
using namespace runbook::tmpl;
using namespace runbook::tmpl::testing;

TEST_SUITE("tmpl::template") {
  TEST_CASE("has_template finds any tag opener and nothing else") {
    CHECK(has_template("SELECT {{ x }}"));
    CHECK(has_template("{% if x %}"));
    CHECK(has_template("a {# note #}"));
    CHECK_FALSE(has_template("SELECT '{' || '}' FROM t"));
    CHECK_FALSE(has_template("{ x }"));
    CHECK_FALSE(has_template("{"));
    CHECK_FALSE(has_template(""));
  }

  TEST_CASE("plain text is returned as is") {
    CHECK(sql("SELECT 1") == "SELECT 1");
    CHECK(text("no templates here") == "no templates here");
  }

  TEST_CASE("the design's example step renders with quoted identifiers") {
    CHECK(sql("ALTER TABLE {{ params.schema }}.\"RecipeItem\"\n  ADD CONSTRAINT x;") ==
          "ALTER TABLE \"public\".\"RecipeItem\"\n  ADD CONSTRAINT x;");
  }

  TEST_CASE("values are quoted by their declared type") {
    CHECK(sql("{{ params.table }}") == "\"Recipe\"");
    CHECK(sql("{{ params.weird }}") == "\"we\"\"ird name\"");
    CHECK(sql("{{ params.qname }}") == "\"public\".\"Recipe\"");
    CHECK(sql("{{ params.name }}") == "'it''s'");
    CHECK(sql("{{ params.path }}") == "E'C:\\\\dir'");
    CHECK(sql("{{ params.batch }}") == "5000");
    CHECK(sql("{{ params.ratio }}") == "0.5");
    CHECK(sql("{{ params.archive }}") == "true");
    CHECK(sql("{{ params.frag }}") == "now()");
  }

  TEST_CASE("an injection attempt in a string param stays one literal") {
    CHECK(sql("SELECT * FROM t WHERE name = {{ params.evil }}") ==
          "SELECT * FROM t WHERE name = 'x''; DROP TABLE users; --'");
  }

  TEST_CASE("untyped values: strings as literals, numbers and booleans bare, null as NULL") {
    CHECK(sql("{{ item.name }}, {{ item.rows }}") == "'orders', 10");
    CHECK(sql("{{ params.mixed }}") == "1, 'two', true, NULL");
    CHECK(sql("{{ 'lit' }} {{ 1.25 }} {{ false }} {{ none }}") == "'lit' 1.25 false NULL");
    CHECK(sql("{{ run.id }}") == "'r-1'");
  }

  TEST_CASE("lists render each element by its type, joined with a comma") {
    CHECK(sql("SELECT {{ params.tables }}") == "SELECT \"Company\", \"ProductionPlan\"");
    CHECK(sql("IN ({{ params.labels }})") == "IN ('a', 'b''c')");
    CHECK(sql("[{{ params.empty }}]") == "[]");
  }

  TEST_CASE("text context writes plain text") {
    CHECK(text("Add {{ params.table }} to {{ params.schema }}") == "Add Recipe to public");
    CHECK(text("{{ params.name }} / {{ params.tables }}") == "it's / Company, ProductionPlan");
    CHECK(text("{{ params.archive }} {{ params.nothing }}|") == "t |");
  }

  TEST_CASE("if, elif, else") {
    const char* t =
        "{% if params.batch > 10000 %}big{% elif params.batch > 100 %}mid"
        "{% else %}small{% endif %}";
    CHECK(sql(t) == "mid");
    CHECK(sql("{% if params.empty %}x{% else %}none{% endif %}") == "none");
    CHECK(sql("{% if 'Company' in params.tables %}yes{% endif %}") == "yes");
    CHECK(sql("{% if 'zzz' not in params.tables %}no{% endif %}") == "no");
  }

  TEST_CASE("for loops with loop variables") {
    CHECK(sql("{% for t in params.tables %}ANALYZE {{ t }};{% endfor %}") ==
          "ANALYZE \"Company\";ANALYZE \"ProductionPlan\";");
    CHECK(text("{% for t in params.tables %}{{ loop.index }}/{{ loop.length }}"
               "{% if not loop.last %},{% endif %}{% endfor %}") == "1/2,2/2");
    CHECK(text("{% for t in params.empty %}x{% else %}empty{% endfor %}") == "empty");
    CHECK(text("{% for a in [1, 2] %}{% for b in ['x', 'y'] %}{{ a }}{{ b }} {% endfor %}"
               "{% endfor %}") == "1x 1y 2x 2y ");
  }

  TEST_CASE("a line holding only a block tag leaves nothing behind") {
    std::string t =
        "BEGIN;\n"
        "{% for t in params.tables %}\n"
        "  ANALYZE {{ t }};\n"
        "{% endfor %}\n"
        "END;\n";
    CHECK(sql(t) == "BEGIN;\n  ANALYZE \"Company\";\n  ANALYZE \"ProductionPlan\";\nEND;\n");
    CHECK(text("a {%- if true -%}   b   {%- endif %} c") == "ab c");
    CHECK(text("x {# a comment #}y") == "x y");
  }

  TEST_CASE("raw blocks write template syntax literally") {
    CHECK(sql("SELECT {% raw %}'{{1,2},{3,4}}'{% endraw %}::int[][], {{ params.batch }}") ==
          "SELECT '{{1,2},{3,4}}'::int[][], 5000");
    CHECK(sql("{% raw %}\n{{ x }}\n{% endraw %}\n") == "{{ x }}\n");
  }

  TEST_CASE("filters") {
    CHECK(sql("{{ params.name | ident }}") == "\"it's\"");
    CHECK(sql("{{ params.table | literal }}") == "'Recipe'");
    CHECK(sql("{{ params.name | raw }}") == "it's");
    CHECK(sql("{{ params.tables | join(' UNION ') }}") == "\"Company\" UNION \"ProductionPlan\"");
    CHECK(text("{{ params.tables | join('+') }}") == "Company+ProductionPlan");
    CHECK(sql("{{ params.missing | default('a') }}") == "'a'");
    CHECK(sql("{{ params.nothing | default(3) }}") == "3");
    CHECK(sql("{{ params.table | default('x') }}") == "\"Recipe\"");
    CHECK(sql("{{ params.table | lower }}") == "\"recipe\"");
    CHECK(text("{{ params.table | upper }}") == "RECIPE");
    CHECK(sql("{{ params.tables | length }}") == "2");
    CHECK(text("{{ 'héllo' | length }}") == "5");
  }

  TEST_CASE("used_raw_sql is set by sql values and raw, not by quoting filters") {
    Scope scope = sample_scope();
    Diagnostics diags;
    auto a = render(block("{{ params.frag }}"), scope, Context::sql, diags);
    auto b = render(block("{{ params.name | raw }}"), scope, Context::sql, diags);
    auto c = render(block("{{ params.tables | join(', ') }} {{ params.name | ident }}"), scope,
                    Context::sql, diags);
    REQUIRE(a);
    REQUIRE(b);
    REQUIRE(c);
    CHECK(a->used_raw_sql);
    CHECK(b->used_raw_sql);
    CHECK_FALSE(c->used_raw_sql);
  }

  TEST_CASE("secrets that are written are listed, in both forms") {
    Scope scope = sample_scope();
    Diagnostics diags;
    auto r =
        render(block("SET x = {{ params.token }}; {{ params.table }}"), scope, Context::sql, diags);
    REQUIRE(r);
    CHECK(r->text == "SET x = 's3cr3t'; \"Recipe\"");
    CHECK(r->secrets == std::vector<std::string>{"s3cr3t", "'s3cr3t'"});
    auto t = render(block("{{ params.token | upper }}"), scope, Context::text, diags);
    REQUIRE(t);
    CHECK(t->secrets == std::vector<std::string>{"S3CR3T"});
    auto none = render(block("{{ params.table }}"), scope, Context::sql, diags);
    REQUIRE(none);
    CHECK(none->secrets.empty());
  }

  TEST_CASE("the render map leads each output byte back to its template byte") {
    Diagnostics diags;
    std::string source = "SELECT {{ params.table }}, x\n{% if true %}FROM t{% endif %} WHER";
    auto r = render(block(source), sample_scope(), Context::sql, diags);
    REQUIRE(r);
    REQUIRE(r->text == "SELECT \"Recipe\", x\nFROM t WHER");
    auto back = [&](std::string_view word) {
      return source.substr(r->map.source_offset(r->text.find(word)), word.size());
    };
    CHECK(back("SELECT") == "SELECT");
    CHECK(r->map.source_offset(r->text.find("\"Recipe\"")) == source.find("{{"));
    CHECK(r->map.source_offset(r->text.find("Recipe")) == source.find("{{"));
    CHECK(back(", x") == ", x");
    CHECK(back("FROM t") == "FROM t");
    CHECK(back("WHER") == "WHER");

    auto plain = render(block("SELECT 1"), sample_scope(), Context::sql, diags);
    REQUIRE(plain);
    CHECK(plain->map.source_offset(7) == 7);
  }

  TEST_CASE("deferred values render as placeholders") {
    Scope scope = sample_scope();
    Diagnostics diags;
    auto r = render(block("SELECT {{ captures.baseline.value }} + {{ params.batch }}"), scope,
                    Context::sql, diags);
    REQUIRE(r);
    CHECK(r->text == "SELECT <captures.baseline.value> + 5000");
    CHECK(r->deferred);
    auto f = render(block("{{ captures.n.rows | length }}"), scope, Context::text, diags);
    REQUIRE(f);
    CHECK(f->text == "<captures.n.rows | length>");
    CHECK_FALSE(diags.has_errors());
  }

  TEST_CASE("a block that depends on a deferred value is left for run time") {
    Scope scope = sample_scope();
    Diagnostics diags;
    std::string src = "{% if captures.x.value > 0 %}DELETE{% endif %} {{ params.table }}";
    auto r = render(block(src), scope, Context::sql, diags);
    REQUIRE(r);
    CHECK(r->text == src);
    CHECK(r->deferred);
    auto f = render(block("{% for r in captures.x.rows %}{{ r }}{% endfor %}"), scope, Context::sql,
                    diags);
    REQUIRE(f);
    CHECK(f->deferred);
    CHECK_FALSE(diags.has_errors());
  }

  TEST_CASE("undefer makes captures known again") {
    Scope scope = sample_scope();
    Value captures{ValueMap{}};
    Value baseline{ValueMap{}};
    baseline.set("value", 42);
    captures.set("baseline", baseline);
    scope.set("captures", captures);
    CHECK(sql("{{ captures.baseline.value }}", scope) == "<captures.baseline.value>");
    scope.undefer("captures");
    CHECK(sql("{{ captures.baseline.value }}", scope) == "42");
  }

  TEST_CASE("evaluate: bare expressions") {
    CHECK(eval_as("params.archive") == "boolean t");
    CHECK(eval_as("params.batch * 2 + 1") == "integer 10001");
    CHECK(eval_as("params.tables") == "list Company, ProductionPlan");
    CHECK(eval_as("params.batch == 5000 and not params.empty") == "boolean t");
    CHECK(eval_as("params.missing | default('x')") == "string x");
    CHECK(eval_as("captures.baseline.value > 3") == "deferred: captures.baseline.value > 3");
    CHECK(eval_as("false and captures.x") == "boolean f");
    CHECK(eval_as("params.tables | join(',')") == "string Company,ProductionPlan");
  }

  TEST_CASE("evaluate keeps the value's type and secrecy") {
    Scope scope = sample_scope();
    Diagnostics diags;
    auto v = evaluate(SourceText{"params.table", {}}, scope, diags);
    REQUIRE(v);
    CHECK(v->sql_type() == SqlType::identifier);
    auto s = evaluate(SourceText{"params.token ~ '!'", {}}, scope, diags);
    REQUIRE(s);
    CHECK(s->secret());
    CHECK(s->as_string() == "s3cr3t!");
  }

  TEST_CASE("evaluate: errors point into the expression") {
    Scope scope = sample_scope();
    Diagnostics diags;
    auto v = evaluate(SourceText{"params.archiv", TextOrigin::at(Location{"f.yaml", 3, 11})}, scope,
                      diags);
    CHECK_FALSE(v);
    REQUIRE(diags.all().size() == 1);
    CHECK(diags.all()[0].where.str() == "f.yaml:3:18");
    CHECK(diags.all()[0].message == "undefined name \"params.archiv\"");
    CHECK(diags.all()[0].hint == "did you mean \"params.archive\"?");
    CHECK(eval_as("") == "error: empty expression");
    CHECK(eval_as("params.batch ==") == "error: expected a value, found end of expression");
  }

  TEST_CASE("check_syntax reports without rendering") {
    Diagnostics diags;
    CHECK(check_syntax(block("{{ anything.at.all }}"), Context::sql, diags));
    CHECK(check_syntax(block("no tags"), Context::sql, diags));
    CHECK_FALSE(diags.has_errors());
    CHECK_FALSE(check_syntax(block("WHERE a = '{{ x }}'"), Context::sql, diags));
    CHECK(check_syntax(block("WHERE a = '{{ x }}'"), Context::text, diags));
    CHECK_FALSE(check_syntax(block("{% if x %}"), Context::text, diags));
    CHECK_FALSE(check_syntax(block("{{ x | nope }}"), Context::text, diags));
    CHECK(diags.error_count() == 3);
  }

  TEST_CASE("is_truthy follows Jinja") {
    CHECK_FALSE(is_truthy(Value()));
    CHECK_FALSE(is_truthy(Value(false)));
    CHECK_FALSE(is_truthy(Value(0)));
    CHECK_FALSE(is_truthy(Value(0.0)));
    CHECK_FALSE(is_truthy(Value("")));
    CHECK_FALSE(is_truthy(Value(ValueList{})));
    CHECK_FALSE(is_truthy(Value(ValueMap{})));
    CHECK(is_truthy(Value("f")));
    CHECK(is_truthy(Value(ValueList{Value()})));
    CHECK(is_truthy(Value(-1)));
  }

  TEST_CASE("Scope: set replaces, names lists set and deferred roots") {
    Scope scope;
    scope.set("a", 1);
    scope.set("a", 2);
    scope.defer("captures");
    REQUIRE(scope.find("a"));
    CHECK(scope.find("a")->as_integer() == 2);
    CHECK(scope.find("b") == nullptr);
    CHECK(scope.names() == std::vector<std::string>{"a", "captures"});
    CHECK(scope.is_deferred("captures"));
    scope.undefer("captures");
    CHECK_FALSE(scope.is_deferred("captures"));
  }
}

#include "tmpl/evaluator.h"

#include "tmpl/tmpl_test_support.h"

#include <doctest/doctest.h>

using namespace runbook;
using namespace runbook::tmpl;
using namespace runbook::tmpl::testing;

namespace {

using Errors = std::vector<std::string>;

// The first error of rendering `text` with its hint, "line:col message | hint".
std::string error_with_hint(const std::string& text) {
  Diagnostics diags;
  render(block(text), sample_scope(), Context::sql, diags);
  if (diags.all().empty()) {
    return "no error";
  }
  const Diagnostic& d = diags.all()[0];
  return std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + " " + d.message +
         " | " + d.hint;
}

}  // namespace

TEST_SUITE("tmpl::Evaluator") {
  TEST_CASE("an undefined root name is an error at the name, with a hint") {
    CHECK(error_with_hint("SELECT {{ parms.table }}") ==
          "10:17 undefined name \"parms\" | did you mean \"params\"?");
    CHECK(error_with_hint("SELECT 1;\n  SELECT {{ zzzzzz }}") ==
          "11:19 undefined name \"zzzzzz\" | names here: params, item, run, captures");
  }

  TEST_CASE("a missing attribute is an error at the attribute") {
    CHECK(error_with_hint("SELECT {{ params.tabel }}") ==
          "10:24 undefined name \"params.tabel\" | did you mean \"params.table\"?");
    CHECK(error_with_hint("{{ item.zzzzzz }}") ==
          "10:15 undefined name \"item.zzzzzz\" | item has: name, rows");
    CHECK(error_with_hint("{{ params['tabel'] }}") ==
          "10:17 undefined name \"params.tabel\" | did you mean \"params.table\"?");
  }

  TEST_CASE("a name with a dash needs brackets") {
    Scope scope = sample_scope();
    Value caps{ValueMap{}};
    caps.set("row-count", 3);
    scope.set("caps", caps);
    CHECK(sql("{{ caps['row-count'] }}", scope) == "3");
    Diagnostics diags;
    render(block("{{ caps.row-count }}"), scope, Context::sql, diags);
    REQUIRE(diags.all().size() == 1);
    CHECK(diags.all()[0].hint == "a name with a dash needs brackets: caps['row-count']");
  }

  TEST_CASE("lookups into values of the wrong kind") {
    CHECK(errors_of("{{ params.table.x }}") ==
          Errors{"10:23 \"params.table\" is a string, not a mapping: it has no \"x\""});
    CHECK(errors_of("{{ params.nothing.x }}") ==
          Errors{"10:25 \"params.nothing\" is null: it has no \"x\""});
    CHECK(errors_of("{{ params.tables[5] }}") ==
          Errors{"10:24 index 5 is out of range: \"params.tables\" has 2 elements"});
    CHECK(errors_of("{{ params.tables['a'] }}") ==
          Errors{"10:24 a list index must be an integer, not a string"});
    CHECK(errors_of("{{ params.batch[0] }}") ==
          Errors{"10:23 cannot index an integer with an integer"});
  }

  TEST_CASE("indexes, negative from the end") {
    CHECK(sql("{{ params.tables[0] }} {{ params.tables[-1] }}") ==
          "\"Company\" \"ProductionPlan\"");
    CHECK(sql("{{ ['a', 'b'][1] }}") == "'b'");
    CHECK(sql("{{ params['batch'] }}") == "5000");
  }

  TEST_CASE("loop variables shadow the scope and end with the loop") {
    CHECK(text("{% for params in [1] %}{{ params }}{% endfor %}{{ params.batch }}") == "15000");
    CHECK(errors_of("{% for t in [1] %}{% endfor %}{{ t }}") ==
          Errors{"10:40 undefined name \"t\""});
    CHECK(text("{% for a in [1, 2] %}{% for b in [3] %}{{ loop.index }}{{ a }}{% endfor %}"
               "{{ loop.first }}{% endfor %}") == "11t12f");
  }

  TEST_CASE("and/or return an operand, as in Jinja") {
    CHECK(sql("{{ params.nothing or 'fallback' }}") == "'fallback'");
    CHECK(sql("{{ params.batch and params.table }}") == "\"Recipe\"");
    CHECK(sql("{{ false and undefined_name }}") == "false");
  }

  TEST_CASE("deferred values spread through operations") {
    CHECK(eval_as("captures.a.value ~ 'x'") == "deferred: captures.a.value ~ 'x'");
    CHECK(eval_as("captures.a or 1") == "deferred: captures.a or 1");
    CHECK(eval_as("1 or captures.a") == "integer 1");
    CHECK(eval_as("[captures.a, 1]") == "deferred: [captures.a, 1]");
    CHECK(eval_as("params.tables[captures.i]") == "deferred: params.tables[captures.i]");
    CHECK(eval_as("captures.a | default(3)") == "deferred: captures.a | default(3)");
    CHECK(eval_as("not captures.a") == "deferred: not captures.a");
  }

  TEST_CASE("a deferred root with known keys reports an unknown key now") {
    Scope scope = sample_scope();
    scope.defer("captures", std::vector<std::string>{"baseline", "orphans"});
    CHECK(eval_as("captures.baseline.n", scope) == "deferred: captures.baseline.n");
    CHECK(eval_as("captures['orphans']", scope) == "deferred: captures['orphans']");
    CHECK(eval_as("captures.baseline[captures.x]", scope) ==
          "error: \"captures.x\" is not captured by an earlier step");
    CHECK(eval_as("captures.basline.n", scope) ==
          "error: \"captures.basline\" is not captured by an earlier step");
    CHECK(eval_as("captures['later']", scope) ==
          "error: \"captures.later\" is not captured by an earlier step");
    CHECK(eval_as("captures.later | default(1)", scope) == "integer 1");
    CHECK(errors_of("{{ captures.basline.n }}", Context::sql, scope) ==
          Errors{"10:19 \"captures.basline\" is not captured by an earlier step"});

    scope.defer("captures", std::vector<std::string>{});
    Diagnostics diags;
    render(block("{{ captures.rows }}"), scope, Context::sql, diags);
    REQUIRE(diags.all().size() == 1);
    CHECK(diags.all()[0].hint.find("add `capture: rows`") != std::string::npos);
  }

  TEST_CASE("a deferred root without known keys takes any key") {
    CHECK(eval_as("captures.anything.at_all") == "deferred: captures.anything.at_all");
  }

  TEST_CASE("type errors of operators point at the operator") {
    CHECK(errors_of("{{ params.batch + 'x' }}") ==
          Errors{"10:23 cannot use + on an integer and a string (use ~ to join text)"});
    CHECK(errors_of("{{ -params.table }}") == Errors{"10:10 cannot use - on a string"});
  }

  TEST_CASE("every undefined name is reported, once each") {
    CHECK(errors_of("{{ a1 }} {{ a2 }}\n{% for x in [1, 2, 3] %}{{ a3 }}{% endfor %}") ==
          Errors{"10:10 undefined name \"a1\"", "10:19 undefined name \"a2\"",
                 "11:34 undefined name \"a3\""});
  }

  TEST_CASE("loops that write nothing still end") {
    std::string hundred = "[";
    for (int i = 0; i < 200; ++i) {
      hundred += "0,";
    }
    hundred += "]";
    std::string t = "{% for a in " + hundred + " %}{% for b in " + hundred + " %}{% for c in " +
                    hundred + " %}{% endfor %}{% endfor %}{% endfor %}";
    Errors e = errors_of(t);
    REQUIRE(e.size() == 1);
    CHECK(e[0].find("the template does too much work") != std::string::npos);
  }
}

#include "tmpl/filters.h"

#include "tmpl/tmpl_test_support.h"

#include <doctest/doctest.h>

using namespace runbook;
using namespace runbook::tmpl;
using namespace runbook::tmpl::testing;

TEST_SUITE("tmpl::filters") {
  TEST_CASE("the filter table") {
    REQUIRE(find_filter("join"));
    CHECK(find_filter("join")->max_args == 1);
    CHECK(find_filter("default")->min_args == 1);
    CHECK(find_filter("nope") == nullptr);
    CHECK(filter_names() == std::vector<std::string>{"ident", "literal", "raw", "join", "default",
                                                     "lower", "upper", "length"});
  }

  TEST_CASE("ident and literal quote whatever they get, lists element-wise") {
    CHECK(sql("{{ params.labels | ident }}") == "\"a\", \"b'c\"");
    CHECK(sql("{{ params.tables | literal }}") == "'Company', 'ProductionPlan'");
    CHECK(sql("{{ params.batch | literal }}") == "'5000'");
    CHECK(sql("{{ params.weird | ident }}") == "\"we\"\"ird name\"");
    CHECK(text("Table {{ params.table | ident }}") == "Table \"Recipe\"");
    CHECK(sql("{{ '' | ident }}") == "error: an identifier cannot be empty");
  }

  TEST_CASE("quoted output is not quoted again, even joined with ~") {
    CHECK(sql("{{ params.schema | ident ~ '.' ~ params.table | ident }}") ==
          "\"public\".\"Recipe\"");
    CHECK(sql("{{ [params.table | ident, 'x' | literal] | join(' || ') }}") == "\"Recipe\" || 'x'");
  }

  TEST_CASE("raw writes as is in SQL and is plain in text") {
    CHECK(sql("{{ params.labels | raw }}") == "a, b'c");
    CHECK(text("{{ params.frag | raw }}") == "now()");
  }

  TEST_CASE("join") {
    CHECK(sql("{{ params.labels | join }}") == "'a', 'b''c'");
    CHECK(sql("{{ params.mixed | join(' AND ') }}") == "1 AND 'two' AND true AND NULL");
    CHECK(text("{{ params.mixed | join('/') }}") == "1/two/t/");
    CHECK(sql("{{ params.table | join(',') }}") == "error: join needs a list, not a string");
    CHECK(sql("{{ params.tables | join(params.name) }}") ==
          "error: the separator of join must be written in the template");
    CHECK(text("{{ params.tables | join(params.name) }}") == "Companyit'sProductionPlan");
    CHECK(sql("{{ params.tables | join(', ' ~ '\n') }}") == "\"Company\", \n\"ProductionPlan\"");
  }

  TEST_CASE("default replaces undefined or null only") {
    CHECK(sql("{{ params.nothing | default('d') }}") == "'d'");
    CHECK(sql("{{ nowhere | default('d') }}") == "'d'");
    CHECK(sql("{{ params.tables[7] | default('d') }}") == "'d'");
    CHECK(sql("{{ params.a.b.c | default(1) }}") == "1");
    CHECK(sql("{{ params.empty | default('d') }}") == "");
    CHECK(sql("{{ params.batch | default(1) }}") == "5000");
    CHECK(sql("{{ params.tables[params.zzz] | default(1) }}") ==
          "error: undefined name \"params.zzz\"");
  }

  TEST_CASE("lower, upper keep the type; length counts") {
    CHECK(sql("{{ params.tables | upper }}") == "\"COMPANY\", \"PRODUCTIONPLAN\"");
    CHECK(sql("{{ params.name | upper }}") == "'IT''S'");
    CHECK(sql("{{ params.batch | lower }}") == "5000");
    CHECK(text("{{ item | length }} {{ params.name | length }}") == "2 4");
    CHECK(sql("{{ params.batch | length }}") == "error: an integer has no length");
  }

  TEST_CASE("filter errors point at the filter's name") {
    CHECK(errors_of("SELECT\n  {{ params.table | join(',') }}") ==
          std::vector<std::string>{"11:27 join needs a list, not a string"});
  }
}

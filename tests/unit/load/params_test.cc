#include "load/params.h"

#include "load/yaml_reader.h"

#include <doctest/doctest.h>

using namespace runbook;
using runbook::load::MissingParams;

namespace {

std::vector<ParamSpec> specs_of(const char* yaml, Diagnostics& d) {
  auto node = load::read_yaml(yaml, "p.yaml", d);
  return load::load_param_specs(*node, d);
}

}  // namespace

TEST_SUITE("load::params") {
  TEST_CASE("--set values are typed by the declaration") {
    Diagnostics d;
    auto specs = specs_of(
        "n: { type: integer, min: 1 }\nflag: { type: boolean, default: false }\n"
        "tables: { type: list, elements: identifier, default: [A, B] }\n",
        d);
    REQUIRE_FALSE(d.has_errors());
    auto inputs = load::parse_set_arguments({"n=5000", "flag=yes", "tables=X,Y,Z"}, d);
    Value params = load::bind_params(specs, inputs, MissingParams::error, d);
    REQUIRE_FALSE(d.has_errors());
    CHECK(params.find("n")->as_integer() == 5000);
    CHECK(params.find("flag")->as_bool());
    CHECK(params.find("tables")->as_list().size() == 3);
    CHECK(params.find("tables")->as_list()[0].sql_type() == SqlType::identifier);
  }

  TEST_CASE("ill-typed, out-of-range and unknown values name the param") {
    Diagnostics d;
    auto specs = specs_of("n: { type: integer, min: 1, max: 10 }\n", d);
    load::bind_params(specs, load::parse_set_arguments({"n=abc"}, d), MissingParams::error, d);
    CHECK(d.sorted()[0].message == "param \"n\": expected a whole number, got \"abc\"");
    Diagnostics d2;
    load::bind_params(specs, load::parse_set_arguments({"n=11"}, d2), MissingParams::error, d2);
    CHECK(d2.sorted()[0].message == "param \"n\": must be at most 10, got 11");
    Diagnostics d3;
    load::bind_params(specs, load::parse_set_arguments({"m=1"}, d3), MissingParams::error, d3);
    CHECK(d3.sorted()[0].message == "unknown param \"m\"");
    CHECK(d3.sorted()[0].hint == "did you mean \"n\"?");
  }

  TEST_CASE("--set takes a list as a,b or as a YAML flow list [a, \"b, c\"]") {
    Diagnostics d;
    auto specs = specs_of("tags: { type: list, elements: string }\n", d);
    auto tags = [&](const std::string& arg) {
      Diagnostics bind;
      Value v = load::bind_params(specs, load::parse_set_arguments({arg}, bind),
                                  MissingParams::error, bind);
      if (bind.has_errors()) {
        return "error: " + bind.sorted()[0].message + " (" + std::to_string(bind.error_count()) +
               ")";
      }
      std::string out;
      for (const Value& t : v.find("tags")->as_list()) {
        out += "<" + t.as_string() + ">";
      }
      return out;
    };
    CHECK(tags("tags=a, b") == "<a><b>");
    CHECK(tags("tags=[a, \"b, c\", 'd']") == "<a><b, c><d>");
    CHECK(tags("tags= [ x ]") == "<x>");
    CHECK(tags("tags=[]") == "");
    CHECK(tags("tags=[a, [b]]") ==
          "error: param \"tags\": element 1: expected a single value, got a list (1)");
    CHECK(tags("tags=[a,,b]") ==
          "error: param \"tags\": element 1: expected a single value, got nothing (1)");
    CHECK(tags("tags=[a, b").starts_with("error: param \"tags\": not a list like [a, b]: "));
  }

  TEST_CASE("a missing required param is an error, or a placeholder for validate") {
    Diagnostics d;
    auto specs = specs_of("table: identifier\n", d);
    load::bind_params(specs, {}, MissingParams::error, d);
    CHECK(d.sorted()[0].message == "missing required param \"table\"");
    Diagnostics d2;
    Value v = load::bind_params(specs, {}, MissingParams::placeholder, d2);
    CHECK_FALSE(d2.has_errors());
    CHECK(v.find("table")->as_string() == "example");
  }

  TEST_CASE("a secret never appears in an error") {
    Diagnostics d;
    auto specs = specs_of("pin: { type: integer, secret: true }\n", d);
    load::bind_params(specs, load::parse_set_arguments({"pin=hunter2"}, d), MissingParams::error,
                      d);
    REQUIRE(d.has_errors());
    CHECK(d.sorted()[0].message.find("hunter2") == std::string::npos);
  }

  TEST_CASE("one_of and identifiers") {
    Diagnostics d;
    auto specs = specs_of("mode: { type: string, one_of: [full, quick] }\n", d);
    load::bind_params(specs, load::parse_set_arguments({"mode=slow"}, d), MissingParams::error, d);
    CHECK(d.sorted()[0].message == "param \"mode\": must be one of full, quick, got \"slow\"");
    Diagnostics d2;
    auto id = specs_of("t: identifier\n", d2);
    load::bind_params(id, load::parse_set_arguments({"t=" + std::string(64, 'x')}, d2),
                      MissingParams::error, d2);
    CHECK(d2.has_errors());
  }
}

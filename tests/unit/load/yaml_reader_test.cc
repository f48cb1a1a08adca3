#include "load/yaml_reader.h"

#include <doctest/doctest.h>

using namespace runbook;
using runbook::load::Node;
using runbook::load::read_yaml;

namespace {

std::string first_error(const Diagnostics& d) {
  return d.all().empty() ? "" : d.all().front().where.str() + " " + d.all().front().message;
}

}  // namespace

TEST_SUITE("load::yaml_reader") {
  TEST_CASE("every value knows where it was written") {
    Diagnostics d;
    auto root = read_yaml("runbook: demo\nsteps:\n  - id: a\n    sql: SELECT 1\n", "r.yaml", d);
    REQUIRE(root);
    REQUIRE(root->is_mapping());
    CHECK(root->where.str() == "r.yaml:1:1");
    const Node* steps = root->get("steps");
    REQUIRE(steps);
    REQUIRE(steps->is_sequence());
    REQUIRE(steps->items.size() == 1);
    const Node* sql = steps->items[0].get("sql");
    REQUIRE(sql);
    CHECK(sql->scalar() == "SELECT 1");
    CHECK(sql->where.str() == "r.yaml:4:10");
    CHECK(sql->text.locate(7).str() == "r.yaml:4:17");
  }

  TEST_CASE("plain and quoted scalars are told apart") {
    Diagnostics d;
    auto root = read_yaml("a: 1\nb: \"1\"\nc: '1'\n", "r.yaml", d);
    REQUIRE(root);
    CHECK(root->get("a")->plain);
    CHECK_FALSE(root->get("b")->plain);
    CHECK_FALSE(root->get("c")->plain);
    // The text of a quoted scalar starts after its quote.
    CHECK(root->get("b")->text.start().str() == "r.yaml:2:5");
  }

  TEST_CASE("a block scalar maps its lines back to the file") {
    Diagnostics d;
    auto root = read_yaml("sql: |\n\n  SELECT 1;\n  SELECT 2;\n", "r.yaml", d);
    REQUIRE(root);
    const Node* sql = root->get("sql");
    REQUIRE(sql);
    CHECK(sql->scalar() == "\nSELECT 1;\nSELECT 2;\n");
    CHECK(sql->text.locate(sql->scalar().find("SELECT 2")).str() == "r.yaml:4:3");
  }

  TEST_CASE("a key without a value is null, located at the key") {
    Diagnostics d;
    auto root = read_yaml("a:\nb: 2\n", "r.yaml", d);
    REQUIRE(root);
    const Node* a = root->get("a");
    REQUIRE(a);
    CHECK(a->is_null());
    CHECK(a->where.line == 1);
  }

  TEST_CASE("an alias is a copy of its anchored value") {
    Diagnostics d;
    auto root = read_yaml("base: &b { lock_timeout: 2s, tags: [x, y] }\nother: *b\n", "r.yaml", d);
    REQUIRE(root);
    REQUIRE_FALSE(d.has_errors());
    const Node* other = root->get("other");
    REQUIRE(other);
    REQUIRE(other->is_mapping());
    CHECK(other->get("lock_timeout")->scalar() == "2s");
    REQUIRE(other->get("tags")->items.size() == 2);
    CHECK(other->get("tags")->items[1].scalar() == "y");
  }

  TEST_CASE("duplicate and non-scalar keys are errors, and their values are dropped") {
    Diagnostics d;
    auto root = read_yaml("a: 1\na: 2\n? [x]\n: 3\nb: 4\n", "r.yaml", d);
    REQUIRE(root);
    REQUIRE(d.error_count() == 2);
    CHECK(d.all()[0].message == "duplicate key \"a\"");
    CHECK(d.all()[0].where.str() == "r.yaml:2:1");
    CHECK(d.all()[1].message == "a key must be a single value, not a list");
    CHECK(root->get("a")->scalar() == "1");
    CHECK(root->get("b")->scalar() == "4");
    CHECK(root->entries.size() == 2);
  }

  TEST_CASE("aliases that expand past the size limit are refused where they blow up") {
    Diagnostics d;
    load::YamlLimits limits;
    limits.max_nodes = 50;
    auto root = read_yaml("a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\nb: [*a, *a, *a, *a, *a, *a]\n",
                          "r.yaml", d, limits);
    CHECK_FALSE(root);
    CHECK(first_error(d).find("r.yaml:2:") == 0);
    CHECK(first_error(d).find("too large") != std::string::npos);
  }

  TEST_CASE("nesting deeper than the limit is refused") {
    Diagnostics d;
    load::YamlLimits limits;
    limits.max_depth = 3;
    CHECK(read_yaml("a:\n  b:\n    c: 1\n", "r.yaml", d, limits));
    CHECK_FALSE(d.has_errors());
    CHECK_FALSE(read_yaml("a:\n  b:\n    c:\n      d: 1\n", "r.yaml", d, limits));
    CHECK(first_error(d).find("nesting is too deep") != std::string::npos);
  }

  TEST_CASE("invalid YAML is one located error") {
    Diagnostics d;
    CHECK_FALSE(read_yaml("a: [1, 2\nb: 3\n", "r.yaml", d));
    REQUIRE(d.error_count() == 1);
    CHECK(d.all()[0].message.find("not valid YAML") == 0);
  }

  TEST_CASE("an empty document is null") {
    Diagnostics d;
    auto root = read_yaml("", "r.yaml", d);
    REQUIRE(root);
    CHECK(root->is_null());
  }
}

#include "sql/parse_node.h"

#include <doctest/doctest.h>

#include <memory>
#include <string>

using runbook::sql::Node;
using runbook::sql::ParseTree;

TEST_SUITE("sql::parse_node") {
  TEST_CASE("reads libpg_query's JSON shapes") {
    std::shared_ptr<const ParseTree> tree = ParseTree::from_json(
        R"({"stmts":[{"stmt":{"LockStmt":{"relations":[{"RangeVar":{"relname":"t","inh":true}}],)"
        R"("mode":8,"nowait":false,"x":null,"f":1.5,"c":{"ival":{}}}}}]})");
    REQUIRE(tree != nullptr);
    const Node& stmt = tree->root()["stmts"].items()[0]["stmt"];
    CHECK(stmt.type() == "LockStmt");
    const Node& lock = stmt.body();
    CHECK(lock.type().empty());  // several members: not a wrapper
    CHECK(lock["mode"].integer() == 8);
    CHECK(lock["mode"].kind() == Node::Kind::integer);
    CHECK_FALSE(lock["nowait"].boolean());
    CHECK(lock["x"].is_null());
    CHECK(lock["f"].kind() == Node::Kind::real);
    // The lost constant: 0 prints as {} and reads as 0.
    CHECK(lock["c"]["ival"].is_object());
    CHECK(lock["c"]["ival"]["ival"].integer() == 0);
    const Node& rv = lock["relations"].items()[0];
    CHECK(rv.type() == "RangeVar");
    CHECK(rv.body()["relname"].str() == "t");
    CHECK(rv.body()["inh"].boolean());
    CHECK(rv.body().body()["relname"].str() == "t");  // body() of a body is itself
    REQUIRE(rv.body().keys().size() == 2);
    CHECK(rv.body().keys()[1] == "inh");
  }

  TEST_CASE("missing members read as defaults, never fail") {
    std::shared_ptr<const ParseTree> tree = ParseTree::from_json(R"({"a":"x","l":[1,2]})");
    REQUIRE(tree != nullptr);
    const Node& root = tree->root();
    CHECK(root["missing"].is_null());
    CHECK(root["missing"]["deeper"].items().empty());
    CHECK(root["missing"].str().empty());
    CHECK(root["missing"].integer() == 0);
    CHECK_FALSE(root["missing"].boolean());
    CHECK(root["a"]["not an object"].is_null());
    CHECK(root["a"].str() == "x");
    CHECK(root["l"].items().size() == 2);
    CHECK(root["l"].keys().empty());
    CHECK(root["l"].items()[1].integer() == 2);
  }

  TEST_CASE("large trees span several arena blocks") {
    std::string json = "[";
    for (int i = 0; i < 5000; ++i) {
      json +=
          (i ? "," : "") + std::string(R"({"String":{"sval":"name)") + std::to_string(i) + "\"}}";
    }
    json += "]";
    std::shared_ptr<const ParseTree> tree = ParseTree::from_json(json);
    REQUIRE(tree != nullptr);
    REQUIRE(tree->root().items().size() == 5000);
    CHECK(tree->root().items()[4999].body()["sval"].str() == "name4999");
  }

  TEST_CASE("not JSON") {
    CHECK(ParseTree::from_json("{\"a\":") == nullptr);
    CHECK(ParseTree::from_json("") == nullptr);
  }
}

#include "lint/lint_kit.h"

using namespace lint_kit;

namespace {

// A preflight query with `expect`, and a step to lint beside it.
std::vector<Finding> lint_expect(const std::string& expect) {
  return lint_yaml(
      "runbook: t\npreflight:\n  - id: q\n    query: SELECT count(*) AS n FROM t\n"
      "    expect: " +
      expect + "\n");
}

}  // namespace

TEST_SUITE("lint::rules_checks") {
  TEST_CASE("check-cannot-fail: counts that cannot be out of bounds") {
    Finding f = only(lint_expect("{ rows: { ge: 0 } }"), "check-cannot-fail");
    CHECK(f.message == "`rows: {ge: 0}` cannot fail: every result satisfies it");
    CHECK(f.where.str() == "rb/main.yaml:5:21");
    CHECK(fired(lint_expect("{ rows: { le: 10000000000 } }"), "check-cannot-fail"));
    CHECK(fired(lint_expect("{ rows: { gt: -1 } }"), "check-cannot-fail"));
    CHECK(fired(lint_expect("{ rows: { between: [0, 1000000000] } }"), "check-cannot-fail"));
    CHECK(fired(lint_expect("{ value: { matches: '.*' } }"), "check-cannot-fail"));
  }

  TEST_CASE("check-cannot-fail: checks that decide something") {
    CHECK_FALSE(fired(lint_expect("{ rows: 0 }"), "check-cannot-fail"));
    CHECK_FALSE(fired(lint_expect("{ rows: { ge: 1 } }"), "check-cannot-fail"));
    CHECK_FALSE(fired(lint_expect("{ rows: { le: 5000 } }"), "check-cannot-fail"));
    CHECK_FALSE(fired(lint_expect("{ value: { ge: 0 } }"), "check-cannot-fail"));
    CHECK_FALSE(fired(lint_expect("{ value: { matches: '^[0-9]+$' } }"), "check-cannot-fail"));
  }

  TEST_CASE("check-cannot-fail: affected counts of a step") {
    CHECK(fired(lint_sql("DELETE FROM t WHERE id < 10;", "    expect: { affected: { ge: 0 } }\n"),
                "check-cannot-fail"));
    CHECK_FALSE(
        fired(lint_sql("DELETE FROM t WHERE id < 10;", "    expect: { affected: { le: 10 } }\n"),
              "check-cannot-fail"));
  }

  TEST_CASE("check-cannot-pass") {
    CHECK(only(lint_expect("{ rows: { lt: 0 } }"), "check-cannot-pass").message ==
          "`rows: {lt: 0}` cannot hold: no result can satisfy it");
    CHECK(fired(lint_expect("{ rows: { between: [10, 5] } }"), "check-cannot-pass"));
    CHECK(fired(lint_expect("{ value: { between: [10, 5] } }"), "check-cannot-pass"));
    CHECK(fired(lint_expect("{ rows: -1 }"), "check-cannot-pass"));
    CHECK_FALSE(fired(lint_expect("{ rows: { lt: 1 } }"), "check-cannot-pass"));
    CHECK_FALSE(fired(lint_expect("{ value: { between: [5, 10] } }"), "check-cannot-pass"));
    CHECK_FALSE(fired(lint_expect("{ value: { lt: 0 } }"), "check-cannot-pass"));
  }
}

#include "plan/plan_fixture.h"
#include "report/plan_formats.h"

#include <doctest/doctest.h>

using namespace runbook;
using namespace runbook::testing;

namespace {

std::string markdown_of(const std::string& runbook, MemoryFiles files = {}) {
  Planned p = plan_of(runbook, std::move(files));
  REQUIRE_MESSAGE(p.plan.has_value(), first_error(p.diags));
  return report::plan_markdown(report::make_plan_view(*p.plan));
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

}  // namespace

TEST_SUITE("report::plan_markdown") {
  TEST_CASE("several checks read as one list; one check stays on its line") {
    std::string md = markdown_of(R"(runbook: x
preflight:
  - id: many
    query: SELECT 1 AS a
    expect: { rows: 1, each: { a: 1 } }
  - id: one
    query: SELECT 1 AS a
    expect: { rows: 1 }
)");
    CHECK(md.find("**expect** (all of):\n\n- 1 row\n- every row has a = 1\n") != std::string::npos);
    CHECK(md.find("**expect:** 1 row\n") != std::string::npos);
    CHECK(count(md, "**expect") == 2);
  }

  TEST_CASE("a when query is a SQL code block") {
    std::string md = markdown_of(R"(runbook: x
preflight:
  - id: maybe
    when:
      query: SELECT to_regclass('t') IS NOT NULL
    query: SELECT 1
    expect: { rows: 1 }
)");
    CHECK(md.find("*runs only when this query returns true:*\n\n```sql\n"
                  "SELECT to_regclass('t') IS NOT NULL\n```\n") != std::string::npos);
  }

  TEST_CASE("a confirm step reads as a question, with who answers and how") {
    std::string md = markdown_of(R"(runbook: x
preflight:
  - id: window
    confirm: Is it the low-traffic window?
)");
    CHECK(md.find("**Asks:** Is it the low-traffic window?\n") != std::string::npos);
    CHECK(md.find("`--approve window`") != std::string::npos);
    CHECK(md.find("```\nIs it the low-traffic window?") == std::string::npos);
  }

  TEST_CASE("foreach items are one step with a table of items, the rest folded") {
    std::string md = markdown_of(R"(runbook: x
preflight:
  - id: count
    name: Rows of {{ item }}
    foreach: [a, b, c]
    query: SELECT count(*) FROM {{ item | ident }}
    expect: { rows: 1 }
)");
    CHECK(md.find("#### 1–3. `count[0..2]` — once for each of 3 items") != std::string::npos);
    CHECK(md.find("| 2 | `count[1]` | b | Rows of b |") != std::string::npos);
    CHECK(md.find("<details><summary>the other 2 items, rendered</summary>") != std::string::npos);
    // every item's SQL is there, each once
    CHECK(count(md, "SELECT count(*) FROM \"a\"") == 1);
    CHECK(count(md, "SELECT count(*) FROM \"c\"") == 1);
    CHECK(count(md, "#### 2.") == 0);  // no heading of its own
  }

  TEST_CASE("same_as and capture name the steps on each side") {
    std::string md = markdown_of(R"(runbook: x
preflight:
  - id: before
    query: SELECT count(*) FROM t
    capture: baseline
steps:
  - id: s
    sql: SELECT 1
    rollback: SELECT 1
postflight:
  - id: after
    query: SELECT count(*) FROM t
    expect: { same_as: baseline }
)");
    CHECK(md.find("the same result as `before` gave (captures.baseline)") != std::string::npos);
    CHECK(md.find("captures.baseline, compared with by `after`") != std::string::npos);
  }

  TEST_CASE("a use: block's when query heads the block") {
    MemoryFiles files;
    files.files["rb/templates/two.yaml"] = R"(template: two
steps:
  - id: a
    sql: CREATE TABLE a (i int);
    rollback: DROP TABLE a;
  - id: b
    sql: CREATE TABLE b (i int);
    rollback: DROP TABLE b;
)";
    std::string md = markdown_of(R"(runbook: x
steps:
  - id: both
    when:
      query: SELECT to_regclass('a') IS NULL
    use: two
)",
                                 files);
    CHECK(md.find("**The whole block runs only when this query returns true** (asked once, "
                  "before its first step):\n\n```sql\nSELECT to_regclass('a') IS NULL\n```") !=
          std::string::npos);
    CHECK(count(md, "SELECT to_regclass('a') IS NULL") == 1);
  }
}

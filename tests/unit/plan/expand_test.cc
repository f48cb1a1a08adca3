#include "plan/expand.h"

#include "plan_fixture.h"

#include <doctest/doctest.h>

using namespace runbook;
using namespace runbook::testing;

namespace {

// A template of two writing steps and a nested `use:` of a one-check template.
MemoryFiles two_step_template() {
  MemoryFiles files;
  files.files["rb/templates/add-col.yaml"] = R"(template: add-col
params:
  table: identifier
steps:
  - id: add
    sql: ALTER TABLE {{ params.table }} ADD COLUMN c int;
    rollback: ALTER TABLE {{ params.table }} DROP COLUMN c;
  - id: fill
    sql: UPDATE {{ params.table }} SET c = 0;
    rollback: { irreversible: values are gone }
  - id: inner
    when:
      query: SELECT {{ params.table | literal }} <> 'skip'
    use: col-check
    with: { table: "{{ params.table }}" }
)";
  files.files["rb/templates/col-check.yaml"] = R"(template: col-check
params:
  table: identifier
steps:
  - id: has-c
    query: SELECT 1 FROM information_schema.columns WHERE table_name = {{ params.table | literal }}
    expect: { rows: 1 }
)";
  return files;
}

}  // namespace

TEST_SUITE("plan::expand") {
  TEST_CASE("a use: step's name is rendered where it is written, item included") {
    auto p = plan_of(R"(runbook: x
steps:
  - id: col
    name: "Column on {{ item }}"
    foreach: [orders, users]
    use: add-col
    with: { table: "{{ item }}" }
)",
                     two_step_template());
    REQUIRE_MESSAGE(p.plan.has_value(), first_error(p.diags));
    REQUIRE(p.plan->steps.size() == 6);
    CHECK(p.plan->steps[0].block_name == "Column on orders");
    CHECK(p.plan->steps[2].block_name == "Column on orders");  // the nested block's step too
    CHECK(p.plan->steps[3].block_name == "Column on users");
  }

  TEST_CASE("when: { query } on a use: step conditions every step of the block") {
    auto p = plan_of(R"(runbook: x
params:
  table: { type: identifier, default: orders }
steps:
  - id: col
    when:
      query: SELECT to_regclass({{ params.table | literal }}) IS NOT NULL
    use: add-col
    with: { table: "{{ params.table }}" }
  - id: after
    sql: SELECT 1
    rollback: SELECT 1
)",
                     two_step_template());
    REQUIRE_MESSAGE(p.plan.has_value(), first_error(p.diags));
    const auto& steps = p.plan->steps;
    REQUIRE(steps.size() == 4);
    for (std::size_t i = 0; i < 3; ++i) {
      CAPTURE(steps[i].id);
      REQUIRE_FALSE(steps[i].block_conditions.empty());
      CHECK(steps[i].block_conditions[0].block_id == "col");
      // rendered in the scope of the `use:` line, with the runbook's params
      CHECK(steps[i].block_conditions[0].query.text == "SELECT to_regclass('orders') IS NOT NULL");
      CHECK_FALSE(steps[i].skipped());  // decided at run time, not now
    }
    CHECK(steps[3].block_conditions.empty());
  }

  TEST_CASE("a nested use: adds its own condition after the outer one") {
    auto p = plan_of(R"(runbook: x
steps:
  - id: col
    when:
      query: SELECT true
    use: add-col
    with: { table: orders }
)",
                     two_step_template());
    REQUIRE_MESSAGE(p.plan.has_value(), first_error(p.diags));
    const plan::PlannedStep* check = p.plan->find("col.inner.has-c");
    REQUIRE(check != nullptr);
    REQUIRE(check->block_conditions.size() == 2);
    CHECK(check->block_conditions[0].block_id == "col");
    CHECK(check->block_conditions[1].block_id == "col.inner");
    // the inner query rendered in the template's scope: its params
    CHECK(check->block_conditions[1].query.text == "SELECT 'orders' <> 'skip'");
    CHECK(p.plan->find("col.add")->block_conditions.size() == 1);
  }

  TEST_CASE("a block's when query must be a read and cannot use captures") {
    auto writes = plan_of(R"(runbook: x
steps:
  - id: col
    when:
      query: DELETE FROM t RETURNING true
    use: add-col
    with: { table: orders }
)",
                          two_step_template());
    CHECK_FALSE(writes.plan.has_value());
    CHECK(first_error(writes.diags).find("rb/main.yaml:5") == 0);

    auto deferred = plan_of(R"(runbook: x
preflight:
  - id: base
    query: SELECT count(*) AS n FROM t
    capture: before
steps:
  - id: col
    when:
      query: SELECT {{ captures.before.value }} > 0
    use: add-col
    with: { table: orders }
)",
                            two_step_template());
    CHECK_FALSE(deferred.plan.has_value());
    CHECK(first_error(deferred.diags).find("cannot use captures") != std::string::npos);
  }

  TEST_CASE("when as an expression on a use: step still leaves the block out") {
    auto p = plan_of(R"(runbook: x
params:
  on: { type: boolean, default: false }
steps:
  - id: col
    when: params.on
    use: add-col
    with: { table: orders }
  - id: after
    sql: SELECT 1
    rollback: SELECT 1
)",
                     two_step_template());
    REQUIRE_MESSAGE(p.plan.has_value(), first_error(p.diags));
    REQUIRE(p.plan->steps.size() == 1);
    CHECK(p.plan->steps[0].id == "after");
  }
}

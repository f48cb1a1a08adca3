#include "lint/format.h"
#include "lint/lint_kit.h"

using namespace lint_kit;

TEST_SUITE("lint::suppression") {
  TEST_CASE("an allowed rule is kept, marked suppressed with the why, and does not fail") {
    auto findings = lint_sql("CREATE INDEX i ON t (a);",
                             "    lint: { allow: [require-concurrent-index], why: t is tiny }\n");
    Finding f = only(findings, "require-concurrent-index");
    CHECK(f.suppressed);
    CHECK(f.why == "t is tiny");
    CHECK_FALSE(runbook::lint::fails(findings));
    CHECK(runbook::lint::format_text(f).empty());
    CHECK(runbook::lint::count(findings).suppressed == 1);
  }

  TEST_CASE("an allow list silences its own step only") {
    auto findings = lint_steps({"CREATE INDEX i ON t (a);", "CREATE INDEX j ON t (b);"},
                               "    lint: { allow: [require-concurrent-index], why: tiny }\n");
    auto of = with_rule(findings, "require-concurrent-index");
    REQUIRE(of.size() == 2);
    CHECK_FALSE(of[0].suppressed);
    CHECK(of[1].suppressed);
    CHECK(runbook::lint::fails(findings));
  }

  TEST_CASE("an unknown rule id is an error with a suggestion") {
    auto findings = lint_sql("CREATE INDEX CONCURRENTLY i ON t (a);",
                             "    lint: { allow: [require-concurent-index], why: typo }\n");
    Finding f = only(findings, "unknown-lint-rule");
    CHECK(f.severity == runbook::lint::Severity::error);
    CHECK(f.message == "`lint.allow` names no rule \"require-concurent-index\"");
    CHECK(f.hint == "did you mean \"require-concurrent-index\"?");
    CHECK(f.where.str() == "rb/main.yaml:10:11");
    CHECK(runbook::lint::fails(findings));
  }

  TEST_CASE("an unknown rule id cannot silence itself") {
    auto findings = lint_sql("SELECT 1;",
                             "    lint: { allow: [no-such-rule, unknown-lint-rule], "
                             "why: trying }\n");
    Finding f = only(findings, "unknown-lint-rule");
    CHECK_FALSE(f.suppressed);
    CHECK(f.hint == "`runbook lint --list-rules` lists them");
  }

  TEST_CASE("unused-lint-allow: an allowed rule that finds nothing there") {
    auto findings = lint_sql("CREATE INDEX CONCURRENTLY i ON t (a);",
                             "    lint: { allow: [missing-lock-timeout], why: session has it }\n");
    CHECK(only(findings, "unused-lint-allow").message ==
          "`lint.allow` lists missing-lock-timeout but it finds nothing in step \"s1\"");
    CHECK_FALSE(fired(lint_sql("CREATE INDEX i ON t (a);",
                               "    lint: { allow: [require-concurrent-index], why: tiny }\n"),
                      "unused-lint-allow"));
  }
}

#include "load/runbook_loader.h"

#include <doctest/doctest.h>

#include <string>

using runbook::Diagnostics;
using runbook::load::load_runbook;

namespace {

std::string first_error(const Diagnostics& d) {
  for (const auto& x : d.sorted()) {
    if (x.severity == runbook::Severity::error) {
      return x.where.str() + ": " + x.message;
    }
  }
  return "";
}

}  // namespace

TEST_SUITE("load::runbook_loader") {
  TEST_CASE("a complete runbook loads into the model") {
    const char* text = R"(runbook: demo-1
title: Demo
params:
  schema: { type: identifier, default: public }
  n: { type: integer, default: 5, min: 1 }
session:
  lock_timeout: 2s
on_failure: rollback
preflight:
  - id: version
    query: SELECT 150000 AS v
    expect: { value: { ge: 140000 } }
steps:
  - id: add
    sql: |
      CREATE TABLE {{ params.schema }}.t (id int);
    rollback: DROP TABLE {{ params.schema }}.t;
    lock_timeout: 1s
    retry: { attempts: 3, delay: 100ms }
postflight:
  - id: has-table
    query: SELECT 1
    expect: { rows: 1 }
)";
    Diagnostics d;
    auto rb = load_runbook(text, "demo.yaml", d);
    REQUIRE(rb.has_value());
    CHECK(rb->id == "demo-1");
    CHECK(rb->params.size() == 2);
    CHECK(rb->on_failure == runbook::OnFailure::rollback);
    REQUIRE(rb->steps.size() == 1);
    CHECK(rb->steps[0].sql.text == "CREATE TABLE {{ params.schema }}.t (id int);\n");
    // The block scalar's first line is file line 16, indented 6.
    CHECK(rb->steps[0].sql.start().str() == "demo.yaml:16:7");
    CHECK(rb->steps[0].lock_timeout == runbook::Millis(1000));
    CHECK(rb->steps[0].retry->attempts == 3);
    CHECK(rb->preflight[0].expect->checks.size() == 1);
    CHECK(rb->session[0].value == "2s");
  }

  TEST_CASE("unknown keys get a did-you-mean hint at their position") {
    Diagnostics d;
    auto rb = load_runbook("runbook: x\nstpes:\n  - id: a\n    sql: SELECT 1\n", "f.yaml", d);
    CHECK_FALSE(rb.has_value());
    CHECK(first_error(d) == "f.yaml:2:1: unknown key \"stpes\" in runbook");
    CHECK(d.sorted()[0].hint == "did you mean \"steps\"?");
  }

  TEST_CASE("all errors of a file are reported in one pass") {
    Diagnostics d;
    load_runbook(
        "runbook: Bad_Id\nsteps:\n  - id: a\n    sql: SELECT 1\n    gate: maybe\n"
        "  - id: a\n    query: SELECT 1\n",
        "f.yaml", d);
    CHECK(d.error_count() >= 3);  // id charset, gate value, duplicate id (+ query checks nothing)
  }

  TEST_CASE("a step needs exactly one body") {
    Diagnostics d;
    load_runbook("runbook: x\nsteps:\n  - id: a\n    sql: SELECT 1\n    query: SELECT 2\n",
                 "f.yaml", d);
    CHECK(first_error(d) == "f.yaml:5:5: step has more than one body (`sql` and `query`)");
  }

  TEST_CASE("a command step's rollback is a command, shaped like the step's own") {
    Diagnostics d;
    auto rb = load_runbook(R"(runbook: x
steps:
  - id: deploy
    command: [runbook, run, a.yaml]
    rollback:
      command: [runbook, rollback, a.yaml]
      environment: { DATABASE_URL: "postgresql:///staging" }
      timeout: 2h
)",
                           "f.yaml", d);
    REQUIRE_MESSAGE(rb.has_value(), first_error(d));
    const runbook::Rollback& r = rb->steps[0].rollback;
    REQUIRE(r.command.has_value());
    CHECK(r.declared());
    CHECK(r.command->argv.size() == 3);
    CHECK(r.command->argv[1].text == "rollback");
    CHECK(r.command->environment.size() == 1);
    CHECK(r.command->timeout == runbook::Millis(2 * 3600 * 1000));
  }

  TEST_CASE("a rollback command only on a command step, and SQL only on a sql step") {
    Diagnostics d;
    load_runbook(
        "runbook: x\nsteps:\n  - id: a\n    sql: SELECT 1\n    rollback: { command: [x] }\n",
        "f.yaml", d);
    CHECK(first_error(d) == "f.yaml:5:15: the rollback of a `sql` step is SQL");
    Diagnostics d2;
    load_runbook("runbook: x\nsteps:\n  - id: a\n    command: [x]\n    rollback: SELECT 1\n",
                 "f.yaml", d2);
    CHECK(first_error(d2) == "f.yaml:5:15: the rollback of a command step is a command");
  }

  TEST_CASE("preflight cannot write") {
    Diagnostics d;
    load_runbook("runbook: x\npreflight:\n  - id: a\n    sql: DELETE FROM t\n", "f.yaml", d);
    CHECK(first_error(d) == "f.yaml:4:10: a preflight step cannot write");
  }

  TEST_CASE("duplicate keys are errors, not last-one-wins") {
    Diagnostics d;
    load_runbook("runbook: x\nrunbook: y\nsteps: []\n", "f.yaml", d);
    CHECK(first_error(d) == "f.yaml:2:1: duplicate key \"runbook\"");
  }

  TEST_CASE("YAML syntax errors point at the position") {
    Diagnostics d;
    load_runbook("runbook: x\nsteps:\n  - id: [a\n", "f.yaml", d);
    CHECK(d.has_errors());
    CHECK(d.sorted()[0].where.line >= 3);
  }

  TEST_CASE("alias bombs are refused") {
    std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
    char prev = 'a';
    for (char c = 'b'; c <= 'k'; ++c) {
      bomb += std::string(1, c) + ": &" + c + " [";
      for (int i = 0; i < 10; ++i) {
        bomb += std::string(i ? ", *" : "*") + prev;
      }
      bomb += "]\n";
      prev = c;
    }
    Diagnostics d;
    CHECK_FALSE(load_runbook(bomb, "f.yaml", d).has_value());
    CHECK(first_error(d).find("too large") != std::string::npos);
  }
}

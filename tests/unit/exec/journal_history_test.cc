#include "exec/journal_history.h"

#include <doctest/doctest.h>

using namespace runbook;

namespace {

plan::PlannedStep sql_step(const std::string& checksum) {
  plan::PlannedStep step;
  step.id = "add-check";
  step.kind = StepKind::sql;
  step.sql.checksum = checksum;
  return step;
}

exec::JournalStep applied_with(const std::string& checksum) {
  exec::JournalStep j;
  j.step_id = "add-check";
  j.status = "done";
  j.sql_checksum = checksum;
  return j;
}

}  // namespace

TEST_SUITE("exec::applied_sql_changed") {
  TEST_CASE("the same rendered SQL has not changed; other SQL has") {
    CHECK_FALSE(exec::applied_sql_changed(sql_step("aaa"), applied_with("aaa")));
    CHECK(exec::applied_sql_changed(sql_step("bbb"), applied_with("aaa")));
  }

  TEST_CASE("SQL known only at run time is not compared") {
    plan::PlannedStep deferred = sql_step("");
    deferred.sql.deferred = true;
    CHECK_FALSE(exec::applied_sql_changed(deferred, applied_with("aaa")));
    plan::PlannedStep batch = sql_step("bbb");
    batch.batch_size = 100;
    CHECK_FALSE(exec::applied_sql_changed(batch, applied_with("aaa")));
  }

  TEST_CASE("only sql steps are compared") {
    plan::PlannedStep command = sql_step("bbb");
    command.kind = StepKind::command;
    CHECK_FALSE(exec::applied_sql_changed(command, applied_with("aaa")));
  }
}

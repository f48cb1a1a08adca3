// Names of the model's enums, as they are written in runbook files and reports.

#include "model/expectation.h"
#include "model/outcome.h"
#include "model/param.h"
#include "model/run_record.h"
#include "model/runbook.h"

namespace runbook {

const char* to_string(CompareOp op) {
  switch (op) {
    case CompareOp::eq:
      return "eq";
    case CompareOp::ne:
      return "ne";
    case CompareOp::lt:
      return "lt";
    case CompareOp::le:
      return "le";
    case CompareOp::gt:
      return "gt";
    case CompareOp::ge:
      return "ge";
    case CompareOp::between:
      return "between";
    case CompareOp::in:
      return "in";
    case CompareOp::matches:
      return "matches";
    case CompareOp::within:
      return "within";
  }
  return "?";
}

const char* to_string(CheckKind kind) {
  switch (kind) {
    case CheckKind::rows:
      return "rows";
    case CheckKind::value:
      return "value";
    case CheckKind::table:
      return "table";
    case CheckKind::contains:
      return "contains";
    case CheckKind::each:
      return "each";
    case CheckKind::none:
      return "none";
    case CheckKind::columns:
      return "columns";
    case CheckKind::same_as:
      return "same_as";
    case CheckKind::affected:
      return "affected";
    case CheckKind::exit_code:
      return "exit_code";
    case CheckKind::stdout_contains:
      return "stdout_contains";
  }
  return "?";
}

const char* to_string(ParamType t) {
  switch (t) {
    case ParamType::identifier:
      return "identifier";
    case ParamType::qualified_name:
      return "qualified_name";
    case ParamType::string:
      return "string";
    case ParamType::integer:
      return "integer";
    case ParamType::number:
      return "number";
    case ParamType::boolean:
      return "boolean";
    case ParamType::sql:
      return "sql";
    case ParamType::list:
      return "list";
  }
  return "?";
}

std::optional<ParamType> param_type_from(std::string_view name) {
  for (ParamType t :
       {ParamType::identifier, ParamType::qualified_name, ParamType::string, ParamType::integer,
        ParamType::number, ParamType::boolean, ParamType::sql, ParamType::list}) {
    if (name == to_string(t)) {
      return t;
    }
  }
  return std::nullopt;
}

SqlType sql_type_of(ParamType t) {
  switch (t) {
    case ParamType::identifier:
      return SqlType::identifier;
    case ParamType::qualified_name:
      return SqlType::qualified_name;
    case ParamType::string:
      return SqlType::string;
    case ParamType::integer:
      return SqlType::integer;
    case ParamType::number:
      return SqlType::number;
    case ParamType::boolean:
      return SqlType::boolean;
    case ParamType::sql:
      return SqlType::sql;
    case ParamType::list:
      return SqlType::untyped;
  }
  return SqlType::untyped;
}

const char* to_string(StepStatus s) {
  switch (s) {
    case StepStatus::pending:
      return "pending";
    case StepStatus::running:
      return "running";
    case StepStatus::done:
      return "done";
    case StepStatus::failed:
      return "failed";
    case StepStatus::skipped:
      return "skipped";
    case StepStatus::rolled_back:
      return "rolled_back";
    case StepStatus::warned:
      return "warned";
  }
  return "?";
}

const char* to_string(Phase p) {
  switch (p) {
    case Phase::preflight:
      return "preflight";
    case Phase::steps:
      return "steps";
    case Phase::postflight:
      return "postflight";
  }
  return "?";
}

const char* to_string(StepKind k) {
  switch (k) {
    case StepKind::sql:
      return "sql";
    case StepKind::query:
      return "query";
    case StepKind::command:
      return "command";
    case StepKind::confirm:
      return "confirm";
    case StepKind::use:
      return "use";
  }
  return "?";
}

const char* to_string(TransactionMode m) {
  switch (m) {
    case TransactionMode::automatic:
      return "auto";
    case TransactionMode::always:
      return "true";
    case TransactionMode::never:
      return "false";
  }
  return "?";
}

const char* to_string(RetryOn r) {
  switch (r) {
    case RetryOn::lock_timeout:
      return "lock_timeout";
    case RetryOn::deadlock:
      return "deadlock";
    case RetryOn::serialization:
      return "serialization";
  }
  return "?";
}

}  // namespace runbook

namespace runbook {

const char* to_string(RunOutcome o) {
  switch (o) {
    case RunOutcome::go:
      return "GO";
    case RunOutcome::go_with_warnings:
      return "GO with warnings";
    case RunOutcome::no_go:
      return "NO-GO";
    case RunOutcome::step_failed:
      return "NO-GO: a step failed";
    case RunOutcome::postflight_failed:
      return "NO-GO: postflight failed";
    case RunOutcome::rollback_failed:
      return "NO-GO: a rollback failed";
    case RunOutcome::interrupted:
      return "interrupted";
    case RunOutcome::environment:
      return "environment error";
    case RunOutcome::invalid:
      return "invalid";
    case RunOutcome::dry_run:
      return "dry run";
  }
  return "?";
}

ExitCode exit_code_of(RunOutcome o) {
  switch (o) {
    case RunOutcome::go:
    case RunOutcome::go_with_warnings:
    case RunOutcome::dry_run:
      return ExitCode::go;
    case RunOutcome::no_go:
      return ExitCode::no_go;
    case RunOutcome::step_failed:
      return ExitCode::step_failed;
    case RunOutcome::postflight_failed:
      return ExitCode::postflight_failed;
    case RunOutcome::rollback_failed:
      return ExitCode::rollback_failed;
    case RunOutcome::interrupted:
      return ExitCode::interrupted;
    case RunOutcome::environment:
      return ExitCode::environment;
    case RunOutcome::invalid:
      return ExitCode::invalid;
  }
  return ExitCode::environment;
}

}  // namespace runbook

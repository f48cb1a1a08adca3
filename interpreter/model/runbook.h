#pragma once
// The model of a runbook file: what the author wrote, checked for shape and
// located, with templates not yet rendered. Immutable once loaded.

#include "base/duration.h"
#include "base/location.h"
#include "base/text_origin.h"
#include "model/expectation.h"
#include "model/param.h"
#include "model/value.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace runbook {

enum class Phase { preflight, steps, postflight };
enum class StepKind { sql, query, command, confirm, use };
enum class TransactionMode { automatic, always, never };  // auto | true | false
enum class Gate { stop, warn };
enum class OnFailure { stop, rollback };
enum class RetryOn { lock_timeout, deadlock, serialization };

struct RetryPolicy {
  int attempts = 1;  // total tries, including the first
  Millis delay{1000};
  double backoff = 2.0;  // delay multiplier after each failure
  Millis max_delay{30000};
  std::vector<RetryOn> on{RetryOn::lock_timeout, RetryOn::deadlock, RetryOn::serialization};
  Location where;
};

struct BatchSpec {
  SourceText size;  // template text rendering to a positive integer
  Millis pause{0};
  Location where;
};

struct CommandSpec {
  std::vector<SourceText> argv;     // no shell
  std::optional<SourceText> shell;  // `command: "..."` with `shell: true`
  std::optional<Millis> timeout;
  // Extra environment variables for the child (values render as plain text),
  // e.g. another target's connection for a nested run.
  std::vector<std::pair<std::string, SourceText>> environment;
};

struct Rollback {
  std::optional<SourceText> sql;       // the undo SQL
  std::optional<CommandSpec> command;  // the undo command of a command step
  std::string irreversible;            // why there is none, when declared so
  Location where;

  bool declared() const { return sql || command || !irreversible.empty(); }
};

struct Condition {                       // `when:`
  std::optional<SourceText> expression;  // template expression without braces
  std::optional<SourceText> query;       // SQL returning one boolean
  Location where;
};

struct Foreach {
  std::optional<SourceText> expression;  // e.g. "params.tables"
  std::optional<Value> literal;          // a YAML list written in place
  Location where;
};

struct Verify {
  SourceText query;
  Expectation expect;
  Location where;
};

struct LintAllow {
  std::vector<std::string> rules;
  std::string why;
  Location where;
};

struct UseSpec {
  std::string name;  // template name or path ending in .yaml
  Location where;
  // `with:` values as written; strings may hold templates rendered in the
  // outer scope before being typed by the template's params.
  std::vector<std::pair<std::string, Value>> with;
  std::vector<std::pair<std::string, Location>> with_locations;
};

struct Step {
  std::string id;
  Location where;  // the step's `id:` (or first key) line
  StepKind kind = StepKind::sql;
  Phase phase = Phase::steps;

  SourceText name;
  SourceText description;

  SourceText sql;  // sql / query body
  CommandSpec command;
  SourceText confirm;  // the question
  UseSpec use;

  std::optional<Condition> when;
  std::optional<Foreach> foreach;
  std::optional<Expectation> expect;
  std::optional<Verify> verify;
  std::string capture;
  Rollback rollback;
  TransactionMode transaction = TransactionMode::automatic;
  std::optional<Millis> lock_timeout, statement_timeout;
  std::optional<RetryPolicy> retry;
  Gate gate = Gate::stop;
  std::optional<BatchSpec> batch;
  std::optional<LintAllow> lint;
};

struct SessionSetting {
  std::string name;
  std::string value;  // as PostgreSQL accepts it
  Location where;
};

struct Runbook {
  std::string id;
  std::string file;
  Location where;
  std::string title;
  std::string description;
  std::vector<ParamSpec> params;
  std::vector<std::string> env;  // environment variables templates may read
  std::vector<SessionSetting> session;
  OnFailure on_failure = OnFailure::stop;
  std::vector<Step> preflight, steps, postflight;
  std::string checksum;  // sha256 of the file text
};

// A file under templates/ that `use:` expands.
struct TemplateFile {
  std::string name;
  std::string file;
  std::string description;
  std::vector<ParamSpec> params;
  std::vector<Step> steps;
  std::string checksum;
};

const char* to_string(Phase p);
const char* to_string(StepKind k);
const char* to_string(TransactionMode m);
const char* to_string(RetryOn r);

}  // namespace runbook

#pragma once
// The rendered plan: every step of every phase in run order, with `use:`
// and `foreach:` expanded, templates rendered, SQL split and classified, and
// the transaction mode decided. This is what `plan` shows, what `lint`
// checks and what the executor runs.

#include "base/diagnostic.h"
#include "model/runbook.h"
#include "sql/statements.h"
#include "tmpl/template.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace runbook::plan {

// How the interpreter wraps a piece of SQL.
enum class TxMode {
  transaction,  // one transaction for all statements (and the journal row)
  autocommit,   // each statement on its own (CONCURRENTLY, VACUUM, ...)
  read_only,    // a check: one READ ONLY transaction
  none,         // no SQL (command, confirm)
};

struct RenderedSql {
  std::string text;
  std::vector<sql::Statement> statements;  // empty while deferred
  bool deferred = false;                   // depends on captures: rendered again at run time
  std::string checksum;                    // sha256 of `text`
  SourceText source;                       // the template it came from
  tmpl::RenderMap map;                     // text byte -> source byte
};

// A command as it will run: the rollback of a command step.
struct RenderedCommand {
  std::vector<std::string> argv;  // {"/bin/sh", "-c", ...} for a shell string
  bool shell = false;
  std::vector<std::pair<std::string, std::string>> environment;  // extra, for the child
  std::optional<Millis> timeout;
  std::string checksum;  // sha256 of the arguments, NUL-separated (as the journal keeps a command)
};

struct PlannedVerify {
  RenderedSql query;
  Expectation expect;
};

// The `when: { query }` of a `use:` step: the whole expanded block runs
// only when the query returns true. Asked once, when the block's first step
// comes; its other steps reuse the answer.
struct BlockCondition {
  std::string block_id;  // the `use:` step's expanded id
  RenderedSql query;
};

struct PlannedStep {
  std::string id;  // with `use.` prefixes and `[i]` suffixes
  Phase phase = Phase::steps;
  StepKind kind = StepKind::sql;
  const Step* source = nullptr;   // the model step (owned by the plan's runbook/templates)
  Location where;                 // the step in its file
  std::vector<Location> used_at;  // `use:` lines that led here, outermost first
  // The outermost `use:` step this step expanded from (nullptr when written
  // in the runbook itself), and its expanded id: plans group such steps.
  const Step* block = nullptr;
  std::string block_id;

  std::string name;
  std::string description;
  std::string item;  // the foreach item, as text ("" when none)

  RenderedSql sql;  // sql and query steps
  TxMode tx = TxMode::none;
  std::vector<std::string> argv;  // command steps (argv or {"sh", "-c", ...})
  bool shell = false;
  std::vector<std::pair<std::string, std::string>> environment;  // extra, for the child
  std::string question;                                          // confirm steps

  std::optional<Expectation> expect;  // operands rendered
  std::optional<PlannedVerify> verify;
  std::string capture;
  std::optional<RenderedSql> rollback;
  TxMode rollback_tx = TxMode::none;
  std::optional<RenderedCommand> rollback_command;  // a command step's rollback
  std::string irreversible;

  // `when:`: a static answer, or a query to run (read-only) at run time.
  std::optional<bool> when_static;
  std::optional<RenderedSql> when_query;
  std::string when_text;                         // as written, for display
  std::vector<BlockCondition> block_conditions;  // of the enclosing `use:` steps, outermost first
  std::string block_name;  // the outermost `use:` step's name, rendered for headings

  std::optional<std::int64_t> batch_size;
  Millis batch_pause{0};

  // The scope the step was rendered in, kept to render it again at run
  // time once captures are known.
  std::shared_ptr<const tmpl::Scope> scope;

  bool writes() const { return kind == StepKind::sql; }
  bool has_rollback() const { return rollback.has_value() || rollback_command.has_value(); }
  bool skipped() const { return when_static.has_value() && !*when_static; }
  const Step& step() const { return *source; }
};

struct ExecutionPlan {
  std::shared_ptr<const Runbook> runbook;
  std::vector<std::shared_ptr<const TemplateFile>> templates;  // keep sources alive
  Value params;                                                // bound, typed (secrets flagged)
  std::vector<PlannedStep> steps;    // preflight, steps, postflight in run order
  Diagnostics warnings;              // review warnings (never errors)
  std::vector<std::string> secrets;  // values that must never be printed
  std::string checksum;              // of the rendered plan (ids + SQL checksums)

  const PlannedStep* find(const std::string& id) const;
};

// What the journal keeps of a command: sha256 of its arguments, NUL-separated.
std::string command_checksum(const std::vector<std::string>& argv);

const char* to_string(TxMode m);

}  // namespace runbook::plan

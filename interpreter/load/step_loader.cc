#include "load/step_loader.h"

#include "base/strings.h"
#include "load/expectation_loader.h"
#include "load/fields.h"
#include "tmpl/template.h"

namespace runbook::load {

namespace {

const std::vector<std::string> kStepKeys = {"id",          "name",         "description",
                                            "sql",         "query",        "command",
                                            "shell",       "timeout",      "environment",
                                            "confirm",     "use",          "with",
                                            "when",        "foreach",      "expect",
                                            "verify",      "capture",      "rollback",
                                            "transaction", "lock_timeout", "statement_timeout",
                                            "retry",       "gate",         "batch",
                                            "lint"};

const std::vector<std::string> kBodies = {"sql", "query", "command", "confirm", "use"};

bool valid_capture_name(std::string_view name) {
  if (name.empty() || !(std::islower(static_cast<unsigned char>(name[0])) || name[0] == '_')) {
    return false;
  }
  for (char c : name) {
    if (!std::islower(static_cast<unsigned char>(c)) &&
        !std::isdigit(static_cast<unsigned char>(c)) && c != '_') {
      return false;
    }
  }
  return true;
}

std::optional<StepKind> read_body_kind(const Fields& f, const Node& node, Diagnostics& diags) {
  std::vector<const Node*> keys;
  std::optional<StepKind> kind;
  for (const auto& [key, value] : node.entries) {
    for (std::size_t i = 0; i < kBodies.size(); ++i) {
      if (key.scalar() == kBodies[i]) {
        keys.push_back(&key);
        kind = static_cast<StepKind>(i);
      }
    }
  }
  if (keys.empty()) {
    diags.error(node.where, "step has no body",
                "give it exactly one of: sql, query, command, confirm, use");
    return std::nullopt;
  }
  if (keys.size() > 1) {
    diags.error(
        keys[1]->where,
        "step has more than one body (`" + keys[0]->scalar() + "` and `" + keys[1]->scalar() + "`)",
        "split it into two steps; each step does one thing");
    return std::nullopt;
  }
  (void)f;
  return kind;
}

// `command:` with its `shell`, `timeout` and `environment`, from the
// mapping of a command step or of a command step's `rollback:`.
void load_command(CommandSpec& spec, const Fields& f, Diagnostics& diags) {
  const Node* command = f.get("command");
  bool shell = f.boolean("shell").value_or(false);
  if (command->is_sequence()) {
    if (shell) {
      diags.error(f.get("shell")->where, "`shell: true` needs the command as one string");
    }
    if (command->items.empty()) {
      diags.error(command->where, "`command` is an empty list", "the first entry is the program");
    }
    for (const Node& arg : command->items) {
      if (!arg.is_scalar()) {
        report_shape(diags, arg, "each argument of `command`", "text");
        continue;
      }
      spec.argv.push_back(arg.text);
    }
  } else if (command->is_scalar()) {
    if (!shell) {
      diags.error(command->where, "a command string runs through a shell only with `shell: true`",
                  "write it as a list, e.g. [pg_dump, --schema-only], or add `shell: true`");
    }
    spec.shell = command->text;
  } else {
    report_shape(diags, *command, "`command`", "a list of arguments or a string");
  }
  spec.timeout = f.duration("timeout");
  if (const Node* env = f.get("environment")) {
    if (!env->is_mapping()) {
      report_shape(diags, *env, "`environment`", "a mapping of NAME: value");
      return;
    }
    for (const auto& [key, value] : env->entries) {
      if (!value.is_scalar() || key.scalar().empty() ||
          key.scalar().find('=') != std::string::npos) {
        report_shape(diags, value, "environment variable " + quoted(key.scalar()), "a value");
        continue;
      }
      spec.environment.emplace_back(key.scalar(), value.text);
    }
  }
}

void load_body(Step& step, const Fields& f, Diagnostics& diags) {
  switch (step.kind) {
    case StepKind::sql:
      step.sql = f.text("sql").value_or(SourceText{});
      break;
    case StepKind::query:
      step.sql = f.text("query").value_or(SourceText{});
      break;
    case StepKind::command:
      load_command(step.command, f, diags);
      break;
    case StepKind::confirm:
      step.confirm = f.text("confirm").value_or(SourceText{});
      break;
    case StepKind::use: {
      step.use.name = f.string("use").value_or("");
      step.use.where = f.get("use")->where;
      if (const Node* with = f.get("with")) {
        if (!with->is_mapping()) {
          report_shape(diags, *with, "`with`", "a mapping of template param: value");
        } else {
          for (const auto& [key, value] : with->entries) {
            step.use.with.emplace_back(key.scalar(), to_value(value));
            step.use.with_locations.emplace_back(key.scalar(), key.where);
          }
        }
      }
      break;
    }
  }
  if (step.kind != StepKind::use && f.has("with")) {
    diags.error(f.get("with")->where, "`with` goes with `use`");
  }
  if (step.kind != StepKind::command) {
    for (const char* key : {"shell", "timeout", "environment"}) {
      if (f.has(key)) {
        diags.error(f.get(key)->where, std::string("`") + key + "` goes with `command`");
      }
    }
  }
}

std::optional<Condition> load_when(const Node& node, Diagnostics& diags) {
  Condition c;
  c.where = node.where;
  if (node.is_scalar()) {
    if (tmpl::has_template(node.scalar())) {
      diags.error(node.where, "`when` is an expression without braces",
                  "write e.g. `when: params.archive`, not `when: \"{{ params.archive }}\"`");
      return std::nullopt;
    }
    c.expression = node.text;
    return c;
  }
  if (node.is_mapping()) {
    Fields f(node, "when", diags);
    f.only({"query"});
    c.query = f.text("query");
    if (!c.query) {
      diags.error(node.where, "`when` as a mapping needs `query`",
                  "write `when: { query: SELECT ... }` returning one boolean");
      return std::nullopt;
    }
    return c;
  }
  report_shape(diags, node, "`when`", "an expression or { query: SQL }");
  return std::nullopt;
}

std::optional<Foreach> load_foreach(const Node& node, Diagnostics& diags) {
  Foreach fe;
  fe.where = node.where;
  if (node.is_sequence()) {
    fe.literal = to_value(node);
    return fe;
  }
  if (node.is_scalar()) {
    if (tmpl::has_template(node.scalar())) {
      diags.error(node.where, "`foreach` is an expression without braces",
                  "write e.g. `foreach: params.tables`");
      return std::nullopt;
    }
    fe.expression = node.text;
    return fe;
  }
  report_shape(diags, node, "`foreach`", "a list or an expression such as params.tables");
  return std::nullopt;
}

std::optional<Verify> load_verify(const Node& node, Diagnostics& diags) {
  if (!node.is_mapping()) {
    report_shape(diags, node, "`verify`", "a mapping with `query` and `expect`");
    return std::nullopt;
  }
  Fields f(node, "verify", diags);
  f.only({"query", "expect"});
  Verify v;
  v.where = node.where;
  auto query = f.text("query");
  const Node* expect = f.get("expect");
  if (!query || expect == nullptr) {
    diags.error(node.where, "`verify` needs both `query` and `expect`");
    return std::nullopt;
  }
  v.query = *query;
  auto e = load_expectation(*expect, StepKind::query, diags);
  if (!e) {
    return std::nullopt;
  }
  v.expect = std::move(*e);
  return v;
}

Rollback load_rollback(const Node& node, Diagnostics& diags) {
  Rollback r;
  r.where = node.where;
  if (node.is_scalar()) {
    r.sql = node.text;
    return r;
  }
  if (node.is_mapping()) {
    Fields f(node, "rollback", diags);
    f.only({"sql", "command", "shell", "timeout", "environment", "irreversible"});
    r.sql = f.text("sql");
    r.irreversible = f.string("irreversible").value_or("");
    if (f.has("command")) {
      r.command.emplace();
      load_command(*r.command, f, diags);
    } else {
      for (const char* key : {"shell", "timeout", "environment"}) {
        if (f.has(key)) {
          diags.error(f.get(key)->where, std::string("`") + key + "` goes with `command`");
        }
      }
    }
    int kinds = (r.sql ? 1 : 0) + (r.command ? 1 : 0) + (r.irreversible.empty() ? 0 : 1);
    if (kinds > 1) {
      diags.error(node.where, "a rollback is one of `sql`, `command` or `irreversible`");
    } else if (kinds == 0) {
      diags.error(node.where, "`rollback` needs SQL, a `command` or `irreversible: \"why\"`");
    }
    return r;
  }
  report_shape(diags, node, "`rollback`", "SQL, { command: [...] } or { irreversible: \"why\" }");
  return r;
}

std::optional<RetryPolicy> load_retry(const Node& node, Diagnostics& diags) {
  if (!node.is_mapping()) {
    report_shape(diags, node, "`retry`", "a mapping like { attempts: 5, delay: 1s }");
    return std::nullopt;
  }
  Fields f(node, "retry", diags);
  f.only({"attempts", "delay", "backoff", "max_delay", "on"});
  RetryPolicy r;
  r.where = node.where;
  r.attempts = static_cast<int>(f.integer("attempts", 1).value_or(3));
  if (r.attempts > 1000) {
    diags.error(f.get("attempts")->where, "`attempts` is at most 1000");
  }
  r.delay = f.duration("delay").value_or(r.delay);
  r.max_delay = f.duration("max_delay").value_or(r.max_delay);
  r.backoff = f.number("backoff").value_or(r.backoff);
  if (r.backoff < 1.0 || r.backoff > 10.0) {
    diags.error(f.get("backoff")->where, "`backoff` must be between 1 and 10");
  }
  if (const Node* on = f.get("on")) {
    r.on.clear();
    const std::vector<std::string> names = {"lock_timeout", "deadlock", "serialization"};
    std::vector<Node> items = on->is_sequence() ? on->items : std::vector<Node>{*on};
    for (const Node& item : items) {
      if (auto index = choice_of(item, "retry `on`", names, diags)) {
        r.on.push_back(static_cast<RetryOn>(*index));
      }
    }
  }
  return r;
}

std::optional<BatchSpec> load_batch(const Node& node, Diagnostics& diags) {
  if (!node.is_mapping()) {
    report_shape(diags, node, "`batch`", "a mapping like { size: 5000, pause: 100ms }");
    return std::nullopt;
  }
  Fields f(node, "batch", diags);
  f.only({"size", "pause"});
  BatchSpec b;
  b.where = node.where;
  auto size = f.text("size");
  if (!size) {
    diags.error(node.where, "`batch` needs `size`");
    return std::nullopt;
  }
  b.size = *size;
  b.pause = f.duration("pause").value_or(Millis(0));
  return b;
}

std::optional<LintAllow> load_lint(const Node& node, Diagnostics& diags) {
  if (!node.is_mapping()) {
    report_shape(diags, node, "`lint`", "a mapping like { allow: [rule-id], why: \"...\" }");
    return std::nullopt;
  }
  Fields f(node, "lint", diags);
  f.only({"allow", "why"});
  LintAllow l;
  l.where = node.where;
  l.rules = f.string_list("allow").value_or(std::vector<std::string>{});
  l.why = f.string("why").value_or("");
  if (l.why.empty()) {
    diags.error(node.where, "a lint suppression needs `why`",
                "say why the rule does not apply here, for the reviewer");
  }
  return l;
}

void load_options(Step& step, const Fields& f, Diagnostics& diags) {
  step.name = f.text("name").value_or(SourceText{});
  step.description = f.text("description").value_or(SourceText{});
  if (const Node* n = f.get("when")) {
    step.when = load_when(*n, diags);
  }
  if (const Node* n = f.get("foreach")) {
    step.foreach = load_foreach(*n, diags);
  }
  if (const Node* n = f.get("expect")) {
    step.expect = load_expectation(*n, step.kind, diags);
  }
  if (const Node* n = f.get("verify")) {
    step.verify = load_verify(*n, diags);
  }
  if (auto capture = f.string("capture")) {
    if (!valid_capture_name(*capture)) {
      diags.error(f.get("capture")->where, "capture name " + quoted(*capture) + " is not valid",
                  "use lower-case letters, digits and _ (it becomes captures." + *capture + ")");
    }
    step.capture = *capture;
  }
  if (const Node* n = f.get("rollback")) {
    step.rollback = load_rollback(*n, diags);
  }
  if (const Node* n = f.get("transaction")) {
    if (n->is_scalar() && n->scalar() == "auto") {
      step.transaction = TransactionMode::automatic;
    } else if (auto b = f.boolean("transaction")) {
      step.transaction = *b ? TransactionMode::always : TransactionMode::never;
    }
  }
  step.lock_timeout = f.duration("lock_timeout");
  step.statement_timeout = f.duration("statement_timeout");
  if (const Node* n = f.get("retry")) {
    step.retry = load_retry(*n, diags);
  }
  if (auto gate = f.choice("gate", {"stop", "warn"})) {
    step.gate = static_cast<Gate>(*gate);
  }
  if (const Node* n = f.get("batch")) {
    step.batch = load_batch(*n, diags);
  }
  if (const Node* n = f.get("lint")) {
    step.lint = load_lint(*n, diags);
  }
}

// Options that make no sense for the step's kind or phase.
void check_combinations(const Step& step, const Fields& f, Diagnostics& diags) {
  auto misplaced = [&](const char* key, const std::string& why, const std::string& hint = "") {
    if (const Node* n = f.get(key)) {
      diags.error(n->where, why, hint);
    }
  };
  bool writes = step.kind == StepKind::sql;
  if (step.kind == StepKind::command) {
    if (step.rollback.sql) {
      misplaced("rollback", "the rollback of a command step is a command",
                "write `rollback: { command: [program, args...] }`");
    }
  } else if (writes) {
    if (step.rollback.command) {
      misplaced("rollback", "the rollback of a `sql` step is SQL",
                "write `rollback: SQL`; `rollback: { command }` undoes a command step");
    }
  } else {
    misplaced("rollback", "`rollback` undoes a `sql` or `command` step; a " +
                              std::string(to_string(step.kind)) + " step changes nothing to undo");
  }
  if (!writes) {
    misplaced("transaction", "`transaction` applies to `sql` steps");
    misplaced("batch", "`batch` applies to `sql` steps");
  }
  if (step.kind == StepKind::confirm || step.kind == StepKind::use) {
    misplaced("expect",
              std::string("`expect` does not apply to a ") + to_string(step.kind) + " step");
    misplaced("capture",
              std::string("`capture` does not apply to a ") + to_string(step.kind) + " step");
  }
  if (step.phase != Phase::steps && writes) {
    diags.error(f.get("sql")->where,
                std::string("a ") + to_string(step.phase) + " step cannot write",
                "preflight and postflight are read-only checks: use `query:` with `expect:`, "
                "or move this step under `steps:`");
  }
  if (step.phase != Phase::steps && step.kind == StepKind::command) {
    diags.error(f.get("command")->where,
                std::string("a ") + to_string(step.phase) + " step cannot run a command",
                "move it under `steps:` (a command can change anything)");
  }
  if (step.batch && step.transaction == TransactionMode::never) {
    diags.error(step.batch->where, "a `batch` step runs each batch in its own transaction",
                "remove `transaction: false`");
  }
  if (step.kind == StepKind::query && !step.expect && step.capture.empty()) {
    diags.error(step.where, "query step " + quoted(step.id) + " checks nothing",
                "add `expect:` (a gate) or `capture:` (keep the result for later steps)");
  }
}

}  // namespace

std::optional<Step> load_step(const Node& node, Phase phase, Diagnostics& diags) {
  if (!node.is_mapping()) {
    report_shape(diags, node, "a step", "a mapping with `id` and a body such as `sql`");
    return std::nullopt;
  }
  Fields f(node, "step", diags);
  f.only(kStepKeys);
  Step step;
  step.where = node.where;
  step.phase = phase;
  auto id = f.string("id");
  if (!id) {
    if (!f.has("id")) {
      diags.error(node.where, "step has no `id`",
                  "add `id: short-name` (lower-case letters, digits, . _ -)");
    }
    return std::nullopt;
  }
  step.id = *id;
  if (!is_valid_id(step.id)) {
    diags.error(f.get("id")->where, "step id " + quoted(step.id) + " is not valid",
                "ids use lower-case letters, digits, '.', '_' and '-', starting with a letter "
                "or digit");
  }
  auto kind = read_body_kind(f, node, diags);
  if (!kind) {
    return std::nullopt;
  }
  step.kind = *kind;
  load_body(step, f, diags);
  load_options(step, f, diags);
  check_combinations(step, f, diags);
  return step;
}

std::vector<Step> load_steps(const Node& list, Phase phase, Diagnostics& diags) {
  std::vector<Step> steps;
  if (list.is_null()) {
    return steps;
  }
  if (!list.is_sequence()) {
    report_shape(diags, list, std::string("`") + to_string(phase) + "`", "a list of steps");
    return steps;
  }
  for (const Node& item : list.items) {
    if (auto step = load_step(item, phase, diags)) {
      steps.push_back(std::move(*step));
    }
  }
  return steps;
}

}  // namespace runbook::load

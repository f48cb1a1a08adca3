#include "report/plan_view.h"

#include "base/strings.h"
#include "expect/check_session.h"
#include "lint/linter.h"
#include "plan/planner.h"
#include "sql/lock_impact.h"

#include <fmt/format.h>

#include <future>
#include <string_view>
#include <unordered_map>

namespace runbook::report {

namespace {

std::string param_type_name(const ParamSpec& spec) {
  if (spec.type == ParamType::list) {
    return std::string("list of ") + to_string(spec.element_type);
  }
  return to_string(spec.type);
}

std::vector<ParamLine> param_lines(const plan::ExecutionPlan& plan) {
  std::vector<ParamLine> lines;
  for (const ParamSpec& spec : plan.runbook->params) {
    const Value* value = plan.params.find(spec.name);
    ParamLine line{spec.name, param_type_name(spec), "", spec.description, spec.secret};
    if (spec.secret) {
      line.value = "********";
    } else if (value != nullptr) {
      line.value = value->is_string() ? quoted(value->as_string()) : value->to_text();
      if (value->is_list()) {
        line.value = "[" + value->to_text() + "]";
      }
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

std::string wrapping_of(plan::TxMode mode) {
  switch (mode) {
    case plan::TxMode::transaction:
      return "one transaction, with its journal row";
    case plan::TxMode::autocommit:
      return "autocommit, one statement at a time";
    case plan::TxMode::read_only:
      return "READ ONLY transaction";
    case plan::TxMode::none:
      return "no transaction";
  }
  return "";
}

void set_condition(StepView& v, const plan::PlannedStep& s) {
  if (s.when_query) {
    v.condition = "runs only when this query returns true";
    v.condition_query = std::string(trim(s.when_query->text));
    return;
  }
  for (const plan::BlockCondition& c : s.block_conditions) {
    if (c.block_id != s.block_id) {  // a nested `use:` (the outermost heads the block)
      v.condition = "runs only when the `when` query of " + c.block_id + " returns true";
      v.condition_query = std::string(trim(c.query.text));
      return;
    }
  }
  if (s.source->when) {
    if (!s.when_static) {
      v.condition = "runs when " + s.when_text + " (known at run time)";
      return;
    }
    v.condition = std::string(*s.when_static ? "runs: " : "SKIPPED: ") + s.when_text + " is " +
                  (*s.when_static ? "true" : "false");
  }
}

// The step that keeps its result as captures.`name`, if any.
const plan::PlannedStep* capturing_step(const plan::ExecutionPlan& plan, const std::string& name) {
  for (const plan::PlannedStep& s : plan.steps) {
    if (s.capture == name) {
      return &s;
    }
  }
  return nullptr;
}

// The checks in words; `same_as` names the step whose result it compares to.
std::vector<std::string> expect_lines(const Expectation& e, const plan::ExecutionPlan& plan) {
  std::vector<std::string> lines = expect::describe(e);
  for (std::size_t i = 0; i < e.checks.size() && i < lines.size(); ++i) {
    const plan::PlannedStep* by =
        e.checks[i].kind == CheckKind::same_as ? capturing_step(plan, e.checks[i].text) : nullptr;
    if (by != nullptr) {
      lines[i] = "the same result as `" + by->id + "` gave (captures." + e.checks[i].text + ")";
    }
  }
  return lines;
}

// The steps whose `same_as` compares against captures.`name`.
std::vector<std::string> compared_by(const plan::ExecutionPlan& plan, const std::string& name) {
  std::vector<std::string> ids;
  for (const plan::PlannedStep& s : plan.steps) {
    for (const Expectation* e :
         {s.expect ? &*s.expect : nullptr, s.verify ? &s.verify->expect : nullptr}) {
      for (std::size_t i = 0; e != nullptr && i < e->checks.size(); ++i) {
        if (e->checks[i].kind == CheckKind::same_as && e->checks[i].text == name) {
          ids.push_back(s.id);
        }
      }
    }
  }
  return ids;
}

// A command as a reader reads it: the shell string, or the arguments with
// those holding blanks or quotes quoted.
std::string command_line(const std::vector<std::string>& argv, bool shell) {
  if (shell) {
    return argv.back();
  }
  std::vector<std::string> args;
  for (const std::string& a : argv) {
    args.push_back(a.find_first_of(" \t'\"") == std::string::npos ? a : quoted(a));
  }
  return join(args, " ");
}

std::string environment_names(const std::vector<std::pair<std::string, std::string>>& environment) {
  std::vector<std::string> names;
  for (const auto& [name, value] : environment) {
    names.push_back(name);
  }
  return "environment: " + join(names, ", ") + " (values not shown)";
}

std::string body_of(const plan::PlannedStep& s, std::string* label) {
  switch (s.kind) {
    case StepKind::sql:
      *label = "SQL";
      return s.sql.text;
    case StepKind::query:
      *label = "query";
      return s.sql.text;
    case StepKind::command:
      *label = s.shell ? "shell command" : "command";
      return command_line(s.argv, s.shell);
    case StepKind::confirm:
      *label = "question";
      return s.question;
    case StepKind::use:
      break;
  }
  return "";
}

std::vector<StatementLine> statement_lines(const plan::RenderedSql& sql, plan::TxMode mode) {
  std::vector<StatementLine> lines;
  for (const sql::Statement& st : sql.statements) {
    StatementLine line;
    line.tag = st.info.tag;
    line.mode = mode == plan::TxMode::autocommit  ? "autocommit"
                : mode == plan::TxMode::read_only ? "read-only"
                                                  : "in the step's transaction";
    sql::LockImpact impact = sql::analyze_locks(st);
    line.summary = impact.summary;
    line.notes = impact.notes;
    lines.push_back(std::move(line));
  }
  return lines;
}

std::vector<std::string> option_lines(const plan::PlannedStep& s, const plan::ExecutionPlan& plan) {
  const Step& step = s.step();
  std::vector<std::string> out;
  if (!s.capture.empty()) {
    std::vector<std::string> by = compared_by(plan, s.capture);
    out.push_back("capture: the result is kept as captures." + s.capture +
                  (by.empty() ? "" : ", compared with by `" + join(by, "`, `") + "`"));
  }
  if (step.lock_timeout) {
    out.push_back("lock_timeout: " + format_duration(*step.lock_timeout));
  }
  if (step.statement_timeout) {
    out.push_back("statement_timeout: " + format_duration(*step.statement_timeout));
  }
  if (step.retry) {
    std::vector<std::string> on;
    for (RetryOn r : step.retry->on) {
      on.push_back(to_string(r));
    }
    out.push_back(
        fmt::format("retry: up to {} attempts on {}, waiting {} then x{} (at most {})",
                    step.retry->attempts, join(on, ", "), format_duration(step.retry->delay),
                    format_number(step.retry->backoff), format_duration(step.retry->max_delay)));
  }
  if (step.gate == Gate::warn) {
    out.push_back("gate: warn (a failed check is reported, the run goes on)");
  }
  if (s.batch_size) {
    out.push_back(fmt::format("batch: {} rows per transaction, pause {}, until no rows change",
                              *s.batch_size, format_duration(s.batch_pause)));
  }
  if (step.lint) {
    out.push_back("lint allows " + join(step.lint->rules, ", ") + ": " + step.lint->why);
  }
  if (!s.item.empty()) {
    out.push_back("item: " + s.item);
  }
  if (!s.environment.empty()) {
    out.push_back(environment_names(s.environment));
  }
  return out;
}

StepView step_view(const plan::PlannedStep& s, int number, const plan::ExecutionPlan& plan) {
  StepView v;
  v.step = &s;
  v.number = number;
  v.name = s.name;
  v.description = s.description;
  v.title = s.name.empty() ? s.id : s.id + " — " + s.name;
  v.kind = to_string(s.kind);
  v.wrapping = wrapping_of(s.tx);
  set_condition(v, s);
  v.body = body_of(s, &v.body_label);
  if (s.sql.deferred) {
    v.body += "\n-- (values in <...> are known only at run time)";
  }
  if (s.writes()) {  // a check's ACCESS SHARE tells a reviewer nothing
    v.statements = statement_lines(s.sql, s.tx);
  }
  if (s.expect) {
    v.expect = expect_lines(*s.expect, plan);
  }
  if (s.verify) {
    v.verify_query = s.verify->query.text;
    v.verify_expect = expect_lines(s.verify->expect, plan);
  }
  if (s.rollback) {
    v.rollback = s.rollback->text;
    v.rollback_mode = wrapping_of(s.rollback_tx);
    v.rollback_statements = statement_lines(*s.rollback, s.rollback_tx);
  } else if (s.rollback_command) {
    const plan::RenderedCommand& c = *s.rollback_command;
    v.rollback = command_line(c.argv, c.shell);
    v.rollback_mode = c.shell ? "shell command" : "command";
    if (!c.environment.empty()) {
      v.rollback_mode += "; " + environment_names(c.environment);
    }
    v.rollback_is_command = true;
  } else if (!s.irreversible.empty()) {
    v.rollback = "irreversible: " + s.irreversible;
  } else if (s.writes()) {
    v.rollback = "none declared";
  }
  v.options = option_lines(s, plan);
  if (!s.used_at.empty()) {
    v.origin = "from " + s.where.file + " (used at " + s.used_at.back().str() + ")";
  }
  return v;
}

// Steps expanded from one top-level `use:` are shown as one block, headed by
// that step's id, name and description, the way a hand-written runbook groups
// "Migration 2: foreign keys".
void set_block(StepView& v, const plan::PlannedStep& s, const std::string& previous_block) {
  v.skipped = s.skipped();
  if (s.block == nullptr) {
    return;
  }
  v.block_id = s.block_id;
  v.block_start = s.block_id != previous_block;
  const std::string& name = s.block_name;
  v.block_title = "use " + s.block->use.name + (name.empty() ? "" : " — " + name);
  v.block_description = std::string(trim(s.block->description.text));
  if (!s.block_conditions.empty() && s.block_conditions.front().block_id == s.block_id) {
    v.block_condition_query = std::string(trim(s.block_conditions.front().query.text));
  }
}

// Marks runs of consecutive steps expanded from one `foreach:` (two or more,
// none skipped), so that a layout can show them as one step and its items.
void group_foreach(std::vector<StepView>& steps) {
  for (std::size_t i = 0; i < steps.size();) {
    const plan::PlannedStep& first = *steps[i].step;
    std::size_t end = i + 1;
    while (end < steps.size() && !first.item.empty() && !steps[i].skipped &&
           steps[end].step->source == first.source && steps[end].step->block_id == first.block_id &&
           !steps[end].skipped) {
      ++end;
    }
    if (end - i >= 2) {
      steps[i].foreach_size = static_cast<int>(end - i);
      for (std::size_t k = i + 1; k < end; ++k) {
        steps[k].foreach_rest = true;
      }
    }
    i = end;
  }
}

// Secret values can reach SQL (a role's password); nothing printed may show them.
void redact_view(StepView& v, const std::vector<std::string>& secrets) {
  for (std::string* text :
       {&v.body, &v.verify_query, &v.rollback, &v.condition, &v.condition_query, &v.name,
        &v.description, &v.title, &v.block_title, &v.block_description, &v.block_condition_query}) {
    *text = plan::redact(*text, secrets);
  }
  for (auto* list : {&v.expect, &v.verify_expect, &v.options}) {
    for (std::string& line : *list) {
      line = plan::redact(line, secrets);
    }
  }
}

std::string lint_line(const lint::Finding& f) {
  return std::string(lint::severity_name(f.severity)) + " [" + f.rule + "] " + f.message + " — " +
         f.hint;
}

// The lint findings, each beside the step it is about, so that the plan a
// reviewer reads in a pull request carries them.
void add_lint(PlanView& v, const std::vector<lint::Finding>& findings,
              const std::vector<std::string>& secrets) {
  std::unordered_map<std::string_view, StepView*> by_id;
  for (auto* phase : {&v.preflight, &v.steps, &v.postflight}) {
    for (StepView& sv : *phase) {
      by_id[sv.step->id] = &sv;  // a repeated id: the last one, as before
    }
  }
  for (const lint::Finding& f : findings) {
    if (f.suppressed) {
      ++v.lint_suppressed;
      continue;
    }
    (f.severity == lint::Severity::error ? v.lint_errors : v.lint_warnings) +=
        f.severity == lint::Severity::info ? 0 : 1;
    std::string line = plan::redact(lint_line(f), secrets);
    auto step = by_id.find(f.step);
    (step != by_id.end() ? step->second->lint : v.lint).push_back(std::move(line));
  }
}

}  // namespace

PlanView make_plan_view(const plan::ExecutionPlan& plan) {
  // Linting reads the plan and nothing of the view, and is a third of a
  // large plan's work: it runs beside the view.
  std::future<std::vector<lint::Finding>> findings =
      std::async(std::launch::async, [&plan] { return lint::lint_plan(plan); });
  const Runbook& rb = *plan.runbook;
  PlanView v;
  v.id = rb.id;
  v.title = plan::redact(rb.title, plan.secrets);
  v.description = plan::redact(rb.description, plan.secrets);
  v.file = rb.file;
  v.checksum = rb.checksum;
  v.plan_checksum = plan.checksum;
  v.params = param_lines(plan);
  for (const SessionSetting& s : rb.session) {
    v.session.emplace_back(s.name, s.value);
  }
  v.on_failure = rb.on_failure == OnFailure::rollback ? "rollback" : "stop";
  int number = 0;
  std::string previous_block;
  for (const plan::PlannedStep& s : plan.steps) {
    auto& phase = s.phase == Phase::preflight ? v.preflight
                  : s.phase == Phase::steps   ? v.steps
                                              : v.postflight;
    phase.push_back(step_view(s, ++number, plan));
    set_block(phase.back(), s, phase.size() == 1 ? "" : previous_block);
    previous_block = s.block_id;
    redact_view(phase.back(), plan.secrets);
  }
  for (auto* phase : {&v.preflight, &v.steps, &v.postflight}) {
    group_foreach(*phase);
  }
  for (const Diagnostic& d : plan.warnings.sorted()) {
    v.warnings.push_back(plan::redact(format_diagnostic(d), plan.secrets));
  }
  add_lint(v, findings.get(), plan.secrets);
  return v;
}

}  // namespace runbook::report

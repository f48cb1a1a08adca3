#include "plan/planner.h"

#include "base/edit_distance.h"
#include "base/sha256.h"
#include "base/strings.h"
#include "plan/expand.h"
#include "plan/render_step.h"

#include <algorithm>
#include <atomic>
#include <thread>

namespace runbook::plan {

namespace {

std::shared_ptr<tmpl::Scope> base_scope(const Runbook& rb, const Value& params,
                                        const PlanInputs& inputs, Diagnostics& warnings) {
  auto scope = std::make_shared<tmpl::Scope>();
  scope->set("params", params);
  Value env{ValueMap{}};
  for (const std::string& name : rb.env) {
    auto it = std::find_if(inputs.env.begin(), inputs.env.end(),
                           [&](const auto& e) { return e.first == name; });
    if (it == inputs.env.end()) {
      if (inputs.missing == load::MissingParams::placeholder || !inputs.run) {
        env.set(name, Value("example"));  // validate checks the rest without it
        continue;
      }
      warnings.warning(rb.where, "environment variable " + quoted(name) + " is not set",
                       "templates that read env." + name + " will fail");
      continue;
    }
    env.set(name, Value(it->second));
  }
  scope->set("env", env);
  if (!inputs.run && inputs.missing == load::MissingParams::error) {
    // A plan is a review document: it must not depend on (nor show) the
    // environment of whoever renders it.
    scope->defer("env");
  }
  scope->set("captures", Value(ValueMap{}));
  scope->defer("captures");
  if (inputs.run) {
    scope->set("run", *inputs.run);
  } else {
    scope->set("run", Value(ValueMap{}));
    scope->defer("run");
  }
  return scope;
}

void collect_secrets(const Value& v, std::vector<std::string>& out) {
  if (v.is_list()) {
    for (const Value& item : v.as_list()) {
      collect_secrets(item, out);
    }
  } else if (v.is_map()) {
    for (const auto& [k, item] : v.as_map()) {
      collect_secrets(item, out);
    }
  } else if (v.secret() && !v.to_text().empty()) {
    out.push_back(v.to_text());
  }
}

void review_warnings(const PlannedStep& step, Diagnostics& warnings) {
  if (step.kind == StepKind::sql && !step.source->rollback.declared() && !step.skipped()) {
    warnings.warning(step.where, "step " + quoted(step.id) + " writes but declares no rollback",
                     "add `rollback:` SQL, or `rollback: { irreversible: \"why\" }`");
  }
  if (step.shell) {
    warnings.warning(step.where, "step " + quoted(step.id) + " runs through a shell",
                     "values are not shell-quoted; prefer an argument list");
  }
}

void warn_raw_sql_params(const std::vector<ParamSpec>& specs, Diagnostics& warnings) {
  for (const ParamSpec& spec : specs) {
    if (spec.type == ParamType::sql ||
        (spec.type == ParamType::list && spec.element_type == ParamType::sql)) {
      warnings.warning(spec.where,
                       "param " + quoted(spec.name) + " is `sql`: its value is written as is",
                       "review the value passed for it; prefer a typed param");
    }
  }
}

std::string plan_checksum(const std::vector<PlannedStep>& steps) {
  std::string material;
  for (const PlannedStep& s : steps) {
    material += s.id + "\n" + s.sql.checksum + "\n";
    if (s.rollback) {
      material += s.rollback->checksum + "\n";
    }
    if (s.rollback_command) {
      material += s.rollback_command->checksum + "\n";
    }
    for (const std::string& arg : s.argv) {
      material += arg + "\n";
    }
  }
  return sha256_hex(material);
}

void check_unique_expanded_ids(const std::vector<PlannedStep>& steps, Diagnostics& diags) {
  std::vector<std::string> ids;
  for (const PlannedStep& s : steps) {
    ids.push_back(s.id);
  }
  std::sort(ids.begin(), ids.end());
  for (std::size_t i = 1; i < ids.size(); ++i) {
    if (ids[i] == ids[i - 1] && (i < 2 || ids[i] != ids[i - 2])) {
      const PlannedStep* s = nullptr;
      for (const PlannedStep& p : steps) {
        if (p.id == ids[i]) {
          s = &p;
        }
      }
      diags.error(s->where, "two steps expand to the id " + quoted(ids[i]),
                  "rename one of the steps or the `use:` step");
    }
  }
}

// `same_as: NAME` compares with a result captured by an earlier step.
void check_same_as_order(const std::vector<PlannedStep>& steps, Diagnostics& diags) {
  std::vector<std::string> captured;
  auto check = [&](const std::optional<Expectation>& e) {
    for (const Check& c : e ? e->checks : std::vector<Check>{}) {
      if (c.kind == CheckKind::same_as &&
          std::find(captured.begin(), captured.end(), c.text) == captured.end()) {
        std::string hint = did_you_mean(c.text, captured);
        diags.error(
            c.where, "`same_as: " + c.text + "` names no capture of an earlier step",
            hint.empty() ? "capture it first: `capture: " + c.text + "` on an earlier step" : hint);
      }
    }
  };
  for (const PlannedStep& s : steps) {
    check(s.source->expect);
    check(s.source->verify ? std::optional<Expectation>(s.source->verify->expect) : std::nullopt);
    if (!s.source->capture.empty()) {
      captured.push_back(s.source->capture);
    }
  }
}

// Each step's templates may name the captures of the steps before it, and
// only those: `captures.X` is then checked while planning. Steps that share
// a scope and come between the same captures share its copy.
void scope_earlier_captures(std::vector<PlannedStep>& steps) {
  std::vector<std::string> captured;
  const tmpl::Scope* last_original = nullptr;
  std::shared_ptr<const tmpl::Scope> last_copy;
  for (PlannedStep& s : steps) {
    if (s.scope.get() != last_original) {
      last_original = s.scope.get();
      auto copy = std::make_shared<tmpl::Scope>(*s.scope);
      copy->defer("captures", captured);
      last_copy = std::move(copy);
    }
    s.scope = last_copy;
    if (!s.source->capture.empty()) {
      captured.push_back(s.source->capture);
      last_original = nullptr;
    }
  }
}

// Renders every step, each with its own diagnostics. Steps render
// independently (they only read their scope), and parsing their SQL is most
// of a large plan's time, so the work is shared among the cores.
std::vector<Diagnostics> render_all(std::vector<PlannedStep>& steps) {
  std::vector<Diagnostics> diags(steps.size());
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < steps.size(); i = next++) {
      render_step(steps[i], diags[i]);
    }
  };
  constexpr std::size_t kStepsPerThread = 64;  // below that, a thread costs more than it saves
  std::size_t wanted =
      std::min<std::size_t>(std::thread::hardware_concurrency(), steps.size() / kStepsPerThread);
  std::vector<std::thread> helpers;
  for (std::size_t t = 1; t < wanted; ++t) {
    helpers.emplace_back(worker);
  }
  worker();
  for (std::thread& t : helpers) {
    t.join();
  }
  return diags;
}

}  // namespace

std::optional<ExecutionPlan> make_plan(std::shared_ptr<const Runbook> runbook,
                                       const PlanInputs& inputs, load::TemplateCatalog& catalog,
                                       Diagnostics& diags) {
  std::size_t errors_before = diags.error_count();
  ExecutionPlan plan;
  plan.runbook = runbook;
  plan.params = load::bind_params(runbook->params, inputs.params, inputs.missing, diags);
  collect_secrets(plan.params, plan.secrets);
  if (diags.error_count() != errors_before) {
    return std::nullopt;  // rendering without the params would only repeat the problem
  }
  auto scope = base_scope(*runbook, plan.params, inputs, plan.warnings);
  ExpandContext ctx{catalog, runbook->file, plan.templates};
  expand_steps(runbook->preflight, Phase::preflight, scope, ctx, plan.steps, diags);
  expand_steps(runbook->steps, Phase::steps, scope, ctx, plan.steps, diags);
  expand_steps(runbook->postflight, Phase::postflight, scope, ctx, plan.steps, diags);
  check_unique_expanded_ids(plan.steps, diags);
  check_same_as_order(plan.steps, diags);
  scope_earlier_captures(plan.steps);
  std::vector<Diagnostics> rendered = render_all(plan.steps);
  for (std::size_t i = 0; i < plan.steps.size(); ++i) {
    const PlannedStep& step = plan.steps[i];
    diags.merge(rendered[i], step.used_at.empty() ? Location{} : step.used_at.back());
    review_warnings(step, plan.warnings);
  }
  warn_raw_sql_params(runbook->params, plan.warnings);
  if (diags.error_count() != errors_before) {
    return std::nullopt;
  }
  plan.checksum = plan_checksum(plan.steps);
  return plan;
}

bool render_at_run_time(PlannedStep& step, const Value& captures, Diagnostics& diags) {
  auto scope = std::make_shared<tmpl::Scope>(*step.scope);
  scope->set("captures", captures);
  scope->undefer("captures");
  step.scope = scope;
  return render_step(step, diags);
}

std::vector<std::string> secrets_of(const Value& params) {
  std::vector<std::string> out;
  collect_secrets(params, out);
  return out;
}

std::string redact(std::string text, const std::vector<std::string>& secrets) {
  for (const std::string& secret : secrets) {
    if (secret.empty()) {
      continue;
    }
    std::size_t pos = 0;
    while ((pos = text.find(secret, pos)) != std::string::npos) {
      text.replace(pos, secret.size(), "********");
      pos += 8;
    }
  }
  return text;
}

}  // namespace runbook::plan

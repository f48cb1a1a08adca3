#include "plan/expand.h"

#include "base/edit_distance.h"
#include "base/strings.h"
#include "load/params.h"
#include "plan/render_step.h"
#include "plan/transaction_mode.h"
#include "tmpl/template.h"

#include <algorithm>

namespace runbook::plan {

namespace {

constexpr int kMaxUseDepth = 8;
constexpr std::size_t kMaxForeachItems = 10000;

struct Frame {
  std::string prefix;             // "" or "outer." ids
  std::vector<Location> used_at;  // use: lines, outermost first
  std::string file;               // the file whose `use:` names resolve relative to
  int depth = 0;
  // The outermost `use:` step (its expanded id, and the step), for grouping.
  std::string block_id;
  const Step* block = nullptr;
  std::vector<BlockCondition> conditions;  // `when: { query }` of the enclosing `use:` steps
  std::string block_name;                  // the outermost `use:` step's name, rendered
};

// The items of a `foreach:`, or nullopt after reporting.
std::optional<ValueList> foreach_items(const Foreach& fe, const tmpl::Scope& scope,
                                       Diagnostics& diags) {
  Value value;
  if (fe.literal) {
    value = *fe.literal;
  } else {
    auto evaluated = tmpl::evaluate(*fe.expression, scope, diags);
    if (!evaluated) {
      return std::nullopt;
    }
    value = std::move(*evaluated);
  }
  if (value.is_deferred()) {
    diags.error(fe.where, "`foreach` needs a list known before the run",
                "use params, env or a literal list; captures are known only while running");
    return std::nullopt;
  }
  if (!value.is_list()) {
    diags.error(fe.where, "`foreach` needs a list, got " + value.kind_name());
    return std::nullopt;
  }
  if (value.as_list().size() > kMaxForeachItems) {
    diags.error(fe.where,
                "`foreach` over more than " + std::to_string(kMaxForeachItems) + " items");
    return std::nullopt;
  }
  return value.as_list();
}

// A `with:` value: a string that is exactly `{{ expr }}` passes the value
// itself (keeping its type: a list stays a list); other strings with
// templates render as text in the outer scope; anything else is literal.
std::optional<Value> with_value(const Value& raw, const Location& where, const tmpl::Scope& scope,
                                Diagnostics& diags) {
  if (!raw.is_string() || !tmpl::has_template(raw.as_string())) {
    return raw;
  }
  std::string_view s = trim(raw.as_string());
  if (s.size() > 4 && s.substr(0, 2) == "{{" && s.substr(s.size() - 2) == "}}" &&
      s.find("{{", 2) == std::string_view::npos) {
    std::string expr(s.substr(2, s.size() - 4));
    return tmpl::evaluate(SourceText{expr, TextOrigin::at(where)}, scope, diags);
  }
  auto rendered = tmpl::render(SourceText{raw.as_string(), TextOrigin::at(where)}, scope,
                               tmpl::Context::text, diags);
  if (!rendered) {
    return std::nullopt;
  }
  return Value(rendered->text);
}

std::vector<load::ParamInput> with_inputs(const UseSpec& use, const tmpl::Scope& scope,
                                          Diagnostics& diags) {
  std::vector<load::ParamInput> inputs;
  for (std::size_t i = 0; i < use.with.size(); ++i) {
    const Location& where = use.with_locations[i].second;
    auto value = with_value(use.with[i].second, where, scope, diags);
    if (!value) {
      continue;
    }
    if (value->is_deferred()) {
      diags.error(where, "template params must be known before the run",
                  "captures are known only while running");
      continue;
    }
    inputs.push_back(load::ParamInput{use.with[i].first, *value, where, false});
  }
  return inputs;
}

void expand_one(const Step& step, Phase phase, std::shared_ptr<const tmpl::Scope> scope,
                const Frame& frame, const std::string& id, const Value* item, ExpandContext& ctx,
                std::vector<PlannedStep>& out, Diagnostics& diags);

// `when:` as an expression on a `use:` step: decided now, with the params.
bool block_included(const Step& step, const tmpl::Scope& scope, Diagnostics& diags) {
  auto value = tmpl::evaluate(*step.when->expression, scope, diags);
  if (!value) {
    return false;
  }
  if (value->is_deferred()) {
    diags.error(step.when->where, "`when` on a `use` step must be known before the run",
                "captures are known only while running; use `when: { query }`");
    return false;
  }
  return tmpl::is_truthy(*value);
}

// `when: { query }` on a `use:` step: rendered now, in the scope of the
// `use:` line, and asked at run time before the block's first step.
std::optional<BlockCondition> block_condition(const Step& step, const std::string& id,
                                              const tmpl::Scope& scope, Diagnostics& diags) {
  std::size_t errors = diags.error_count();
  auto query = render_sql(*step.when->query, scope, diags);
  if (!query) {
    return std::nullopt;
  }
  if (query->deferred) {
    diags.error(step.when->where, "the `when` query of a `use` step cannot use captures",
                "it is asked before the block's first step; put the query on the template's "
                "steps instead");
    return std::nullopt;
  }
  decide_read_tx(*query, "when query", diags);
  if (diags.error_count() != errors) {
    return std::nullopt;
  }
  return BlockCondition{id, std::move(*query)};
}

void expand_list(const std::vector<Step>& steps, Phase phase,
                 const std::shared_ptr<const tmpl::Scope>& scope, const Frame& frame,
                 ExpandContext& ctx, std::vector<PlannedStep>& out, Diagnostics& diags);

void expand_use(const Step& step, Phase phase, const std::shared_ptr<const tmpl::Scope>& scope,
                const Frame& frame, const std::string& id, ExpandContext& ctx,
                std::vector<PlannedStep>& out, Diagnostics& diags) {
  if (frame.depth >= kMaxUseDepth) {
    diags.error(step.use.where, "`use:` nested more than " + std::to_string(kMaxUseDepth) +
                                    " levels deep (does a template use itself?)");
    return;
  }
  std::optional<BlockCondition> condition;
  if (step.when && step.when->query) {
    condition = block_condition(step, id, *scope, diags);
    if (!condition) {
      return;
    }
  } else if (step.when && !block_included(step, *scope, diags)) {
    return;  // the whole block is left out
  }
  Diagnostics find_diags;
  auto file =
      ctx.catalog.find(step.use.name, frame.file, step.use.where, find_diags, frame.depth > 0);
  diags.merge(find_diags, frame.used_at.empty() ? Location{} : frame.used_at.back());
  if (!file) {
    return;
  }
  ctx.templates_used.push_back(file);
  Diagnostics bind_diags;
  Value params = load::bind_params(file->params, with_inputs(step.use, *scope, diags),
                                   load::MissingParams::error, bind_diags, "with:");
  for (Diagnostic d : bind_diags.all()) {
    // Missing params are reported at the template's declaration; say where it was used.
    d.also.push_back(step.use.where);
    diags.add(std::move(d));
  }
  if (bind_diags.has_errors()) {
    return;
  }
  auto inner = std::make_shared<tmpl::Scope>(*scope);
  inner->set("params", params);
  Frame child{id + ".",       frame.used_at, file->file,       frame.depth + 1,
              frame.block_id, frame.block,   frame.conditions, frame.block_name};
  child.used_at.push_back(step.use.where);
  if (condition) {
    child.conditions.push_back(std::move(*condition));
  }
  if (child.block == nullptr) {
    child.block_id = id;
    child.block = &step;
    // Rendered here, where `item` and the params around the `use:` are known.
    auto name = tmpl::render(step.name, *scope, tmpl::Context::text, diags);
    child.block_name = name ? std::string(trim(name->text)) : "";
  }
  expand_list(file->steps, phase, inner, child, ctx, out, diags);
}

void check_phase(const Step& step, Phase phase, const Frame& frame, Diagnostics& diags) {
  if (phase == Phase::steps || frame.used_at.empty()) {
    return;  // the loader checked steps written directly in a phase
  }
  if (step.kind == StepKind::sql || step.kind == StepKind::command) {
    Diagnostic d{Severity::error, step.where,
                 std::string("template step ") + quoted(step.id) + " writes, but is used in " +
                     to_string(phase),
                 "preflight and postflight are read-only; use this template under `steps:`",
                 frame.used_at};
    diags.add(std::move(d));
  }
}

void expand_one(const Step& step, Phase phase, std::shared_ptr<const tmpl::Scope> scope,
                const Frame& frame, const std::string& id, const Value* item, ExpandContext& ctx,
                std::vector<PlannedStep>& out, Diagnostics& diags) {
  if (item != nullptr) {
    auto with_item = std::make_shared<tmpl::Scope>(*scope);
    with_item->set("item", *item);
    scope = with_item;
  }
  if (step.kind == StepKind::use) {
    expand_use(step, phase, scope, frame, id, ctx, out, diags);
    return;
  }
  check_phase(step, phase, frame, diags);
  PlannedStep planned;
  planned.id = id;
  planned.phase = phase;
  planned.kind = step.kind;
  planned.source = &step;
  planned.where = step.where;
  planned.used_at = frame.used_at;
  planned.block_id = frame.block_id;
  planned.block = frame.block;
  planned.block_conditions = frame.conditions;
  planned.block_name = frame.block_name;
  planned.scope = std::move(scope);
  planned.item = item != nullptr ? item->to_text() : "";
  out.push_back(std::move(planned));
}

void expand_list(const std::vector<Step>& steps, Phase phase,
                 const std::shared_ptr<const tmpl::Scope>& scope, const Frame& frame,
                 ExpandContext& ctx, std::vector<PlannedStep>& out, Diagnostics& diags) {
  for (const Step& step : steps) {
    std::string id = frame.prefix + step.id;
    if (!step.foreach) {
      expand_one(step, phase, scope, frame, id, nullptr, ctx, out, diags);
      continue;
    }
    auto items = foreach_items(*step.foreach, *scope, diags);
    for (std::size_t i = 0; items && i < items->size(); ++i) {
      expand_one(step, phase, scope, frame, id + "[" + std::to_string(i) + "]", &(*items)[i], ctx,
                 out, diags);
    }
  }
}

}  // namespace

void expand_steps(const std::vector<Step>& steps, Phase phase,
                  std::shared_ptr<const tmpl::Scope> scope, ExpandContext& ctx,
                  std::vector<PlannedStep>& out, Diagnostics& diags) {
  expand_list(steps, phase, scope, Frame{"", {}, ctx.runbook_file, 0, "", nullptr, {}, ""}, ctx,
              out, diags);
}

}  // namespace runbook::plan

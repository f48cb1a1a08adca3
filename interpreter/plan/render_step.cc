#include "plan/render_step.h"

#include "base/sha256.h"
#include "base/strings.h"
#include "plan/transaction_mode.h"
#include "tmpl/template.h"

#include <charconv>

namespace runbook::plan {

namespace {

std::optional<std::string> render_text(const SourceText& source, const tmpl::Scope& scope,
                                       Diagnostics& diags,
                                       std::vector<std::string>* secrets = nullptr) {
  if (!tmpl::has_template(source.text)) {
    return source.text;
  }
  auto rendered = tmpl::render(source, scope, tmpl::Context::text, diags);
  if (!rendered) {
    return std::nullopt;
  }
  if (secrets != nullptr) {
    secrets->insert(secrets->end(), rendered->secrets.begin(), rendered->secrets.end());
  }
  return rendered->text;
}

// Renders an operand of an expectation (plain text) in place.
bool render_operand(std::string& operand, const Location& where, const tmpl::Scope& scope,
                    Diagnostics& diags) {
  if (!tmpl::has_template(operand)) {
    return true;
  }
  auto text = render_text(SourceText{operand, TextOrigin::at(where)}, scope, diags);
  if (!text) {
    return false;
  }
  operand = *text;
  return true;
}

bool render_expectation(Expectation& e, const tmpl::Scope& scope, Diagnostics& diags) {
  bool ok = true;
  for (Check& check : e.checks) {
    for (std::string& operand : check.comparison.operands) {
      ok = render_operand(operand, check.where, scope, diags) && ok;
    }
    for (ColumnCondition& c : check.conditions) {
      for (std::string& operand : c.comparison.operands) {
        ok = render_operand(operand, c.comparison.where, scope, diags) && ok;
      }
    }
    for (auto& row : check.table.rows) {
      for (std::string& cell : row) {
        ok = render_operand(cell, check.where, scope, diags) && ok;
      }
    }
    ok = render_operand(check.text, check.where, scope, diags) && ok;
  }
  return ok;
}

std::optional<RenderedCommand> render_command(const CommandSpec& spec, const tmpl::Scope& scope,
                                              Diagnostics& diags) {
  RenderedCommand out;
  out.timeout = spec.timeout;
  for (const auto& [name, value] : spec.environment) {
    auto text = render_text(value, scope, diags);
    if (!text) {
      return std::nullopt;
    }
    out.environment.emplace_back(name, *text);
  }
  if (spec.shell) {
    auto text = render_text(*spec.shell, scope, diags);
    if (!text) {
      return std::nullopt;
    }
    out.shell = true;
    out.argv = {"/bin/sh", "-c", *text};
  }
  for (const SourceText& arg : spec.argv) {
    auto text = render_text(arg, scope, diags);
    if (!text) {
      return std::nullopt;
    }
    out.argv.push_back(*text);
  }
  out.checksum = command_checksum(out.argv);
  return out;
}

void render_command_body(PlannedStep& out, const Step& step, const tmpl::Scope& scope,
                         Diagnostics& diags) {
  out.argv.clear();
  out.environment.clear();
  if (auto command = render_command(step.command, scope, diags)) {
    out.argv = std::move(command->argv);
    out.shell = command->shell;
    out.environment = std::move(command->environment);
  }
}

bool render_when(PlannedStep& out, const Step& step, const tmpl::Scope& scope, Diagnostics& diags) {
  out.when_static.reset();
  out.when_query.reset();
  if (!step.when) {
    return true;
  }
  if (step.when->query) {
    out.when_text = step.when->query->text;
    out.when_query = render_sql(*step.when->query, scope, diags);
    if (!out.when_query) {
      return false;
    }
    decide_read_tx(*out.when_query, "when query", diags);
    return true;
  }
  out.when_text = step.when->expression->text;
  auto value = tmpl::evaluate(*step.when->expression, scope, diags);
  if (!value) {
    return false;
  }
  if (!value->is_deferred()) {
    out.when_static = tmpl::is_truthy(*value);
  }
  return true;
}

bool render_batch(PlannedStep& out, const Step& step, const tmpl::Scope& scope,
                  Diagnostics& diags) {
  if (!step.batch) {
    return true;
  }
  auto text = render_text(step.batch->size, scope, diags);
  if (!text) {
    return false;
  }
  std::string_view s = trim(*text);
  std::int64_t size = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), size);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size() || size < 1) {
    diags.error(step.batch->size.start(),
                "batch size must be a whole number of at least 1, got " + quoted(*text));
    return false;
  }
  out.batch_size = size;
  out.batch_pause = step.batch->pause;
  return true;
}

bool render_sql_body(PlannedStep& out, const Step& step, Diagnostics& diags) {
  std::size_t before = diags.error_count();
  auto sql = render_sql(step.sql, *out.scope, diags);
  if (!sql) {
    return false;
  }
  out.sql = std::move(*sql);
  if (!out.sql.deferred && out.sql.statements.empty()) {
    diags.error(step.sql.start().known() ? step.sql.start() : step.where,
                std::string("the ") + to_string(step.kind) + " of step " + quoted(out.id) +
                    " has no SQL statement");
  }
  if (step.kind == StepKind::query) {
    out.tx = decide_read_tx(out.sql, "query step", diags);
  } else {
    out.tx = decide_write_tx(out.sql, step.transaction, step.batch.has_value(), diags);
  }
  return diags.error_count() == before;
}

bool render_rollback(PlannedStep& out, const Step& step, Diagnostics& diags) {
  out.rollback.reset();
  out.rollback_command.reset();
  out.irreversible = step.rollback.irreversible;
  if (step.rollback.command) {
    out.rollback_command = render_command(*step.rollback.command, *out.scope, diags);
    return out.rollback_command.has_value();
  }
  if (!step.rollback.sql) {
    return true;
  }
  auto sql = render_sql(*step.rollback.sql, *out.scope, diags);
  if (!sql) {
    return false;
  }
  out.rollback_tx = decide_write_tx(*sql, TransactionMode::automatic, false, diags);
  out.rollback = std::move(*sql);
  return true;
}

bool render_checks(PlannedStep& out, const Step& step, Diagnostics& diags) {
  bool ok = true;
  out.expect = step.expect;
  if (out.expect) {
    ok = render_expectation(*out.expect, *out.scope, diags) && ok;
  }
  out.verify.reset();
  if (step.verify) {
    auto query = render_sql(step.verify->query, *out.scope, diags);
    if (!query) {
      return false;
    }
    decide_read_tx(*query, "verify query", diags);
    PlannedVerify v{std::move(*query), step.verify->expect};
    ok = render_expectation(v.expect, *out.scope, diags) && ok;
    out.verify = std::move(v);
  }
  return ok;
}

}  // namespace

std::optional<RenderedSql> render_sql(const SourceText& source, const tmpl::Scope& scope,
                                      Diagnostics& diags) {
  RenderedSql out;
  out.source = source;
  if (tmpl::has_template(source.text)) {
    auto rendered = tmpl::render(source, scope, tmpl::Context::sql, diags);
    if (!rendered) {
      return std::nullopt;
    }
    out.text = std::move(rendered->text);
    out.map = std::move(rendered->map);
    out.deferred = rendered->deferred;
  } else {
    out.text = source.text;
  }
  out.checksum = sha256_hex(out.text);
  if (out.deferred) {
    return out;
  }
  sql::SplitResult split = sql::parse_statements(out.text);
  if (split.error) {
    diags.error(locate_in_source(out, split.error->offset), "SQL: " + split.error->message,
                "the statement must parse as PostgreSQL 15 SQL");
    return std::nullopt;
  }
  out.statements = std::move(split.statements);
  return out;
}

bool render_step(PlannedStep& out, Diagnostics& diags) {
  const Step& step = *out.source;
  std::shared_ptr<const tmpl::Scope> original = out.scope;  // `scope` stays valid below
  const tmpl::Scope& scope = *original;
  std::size_t before = diags.error_count();
  out.kind = step.kind;
  out.capture = step.capture;
  out.name = render_text(step.name, scope, diags).value_or("");
  out.description = render_text(step.description, scope, diags).value_or("");
  render_when(out, step, scope, diags);
  render_batch(out, step, scope, diags);
  if (out.batch_size && !out.scope->find("batch")) {
    // `batch.size` and `batch.number` are in scope for a batch step's SQL;
    // the plan shows the first batch, the executor renders each one.
    auto with_batch = std::make_shared<tmpl::Scope>(scope);
    Value batch{ValueMap{}};
    batch.set("size", Value(*out.batch_size));
    batch.set("number", Value(std::int64_t{1}));
    with_batch->set("batch", batch);
    out.scope = with_batch;
  }
  switch (step.kind) {
    case StepKind::sql:
    case StepKind::query:
      render_sql_body(out, step, diags);
      break;
    case StepKind::command:
      render_command_body(out, step, scope, diags);
      out.tx = TxMode::none;
      break;
    case StepKind::confirm:
      out.question = render_text(step.confirm, scope, diags).value_or("");
      out.tx = TxMode::none;
      break;
    case StepKind::use:
      break;  // expanded before rendering
  }
  render_checks(out, step, diags);
  render_rollback(out, step, diags);
  return diags.error_count() == before;
}

}  // namespace runbook::plan

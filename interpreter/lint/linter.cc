#include "lint/linter.h"

#include "lint/registry.h"
#include "lint/rule_kit.h"
#include "lint/suppression.h"
#include "plan/planner.h"
#include "plan/transaction_mode.h"

#include <algorithm>

namespace runbook::lint {

namespace {

class Linter {
 public:
  explicit Linter(const plan::ExecutionPlan& plan) : plan_(plan) {}

  std::vector<Finding> run() {
    for (const plan::PlannedStep& step : plan_.steps) {
      // A step whose `when:` is false with these params never runs: what it
      // would do is no one's risk (lint with the params that enable it).
      if (!step.skipped()) {
        lint_step(step);
      }
    }
    return std::move(findings_);
  }

 private:
  SqlUnit analyse_sql(const plan::PlannedStep& step, const plan::RenderedSql& sql, plan::TxMode tx,
                      bool rollback) const {
    SqlUnit unit{&plan_, &step, &sql, rollback, tx == plan::TxMode::transaction, {}};
    for (const sql::Statement& s : sql.statements) {
      unit.statements.push_back(analyse(s));
    }
    return unit;
  }

  void lint_step(const plan::PlannedStep& step) {
    bool sql_step = step.kind == StepKind::sql;
    std::optional<SqlUnit> body, rollback;
    if (sql_step && !step.sql.deferred) {
      body = analyse_sql(step, step.sql, step.tx, false);
      lint_statements(*body, history_);
    }
    if (sql_step && step.rollback && !step.rollback->deferred) {
      rollback = analyse_sql(step, *step.rollback, step.rollback_tx, true);
      History after(&history_);  // a rollback's own changes are not the runbook's
      lint_statements(*rollback, after);
    }
    StepContext ctx{plan_, step, body ? &*body : nullptr, rollback ? &*rollback : nullptr};
    for (const Rule& rule : all_rules()) {
      if (rule.on_step != nullptr) {
        Reports reports;
        rule.on_step(ctx, reports);
        add(rule, reports, step, step.where, false);
      }
    }
  }

  void lint_statements(const SqlUnit& unit, History& history) {
    for (std::size_t i = 0; i < unit.statements.size(); ++i) {
      StatementContext ctx{unit, i, history};
      const sql::Statement& s = *unit.statements[i].statement;
      Location where = plan::locate_in_source(*unit.sql, s.offset);
      std::string prefix =
          std::string(unit.rollback ? "rollback " : "") + "`" + first_words(s.text) + "`: ";
      for (const Rule& rule : all_rules()) {
        if (rule.on_statement != nullptr) {
          Reports reports;
          rule.on_statement(ctx, reports);
          for (Report& r : reports) {
            r.message = prefix + r.message;
          }
          add(rule, reports, *unit.step, where, unit.rollback);
        }
      }
      history.record(unit.statements[i]);
    }
  }

  void add(const Rule& rule, Reports& reports, const plan::PlannedStep& step, const Location& where,
           bool rollback) {
    for (Report& r : reports) {
      Finding f;
      f.rule = rule.id;
      f.severity = r.severity.value_or(rule.severity);
      // Statements quoted in messages may hold secret params.
      f.message = plan::redact(std::move(r.message), plan_.secrets);
      f.hint =
          r.hint.empty() ? std::string(rule.safe) : plan::redact(std::move(r.hint), plan_.secrets);
      f.where = r.where.value_or(where);
      f.used_at = step.used_at;
      f.step = step.id;
      f.in_rollback = rollback;
      findings_.push_back(std::move(f));
    }
  }

  const plan::ExecutionPlan& plan_;
  History history_;
  std::vector<Finding> findings_;
};

bool same(const Finding& a, const Finding& b) {
  return a.rule == b.rule && a.message == b.message && a.where.file == b.where.file &&
         a.where.line == b.where.line && a.where.column == b.where.column &&
         a.suppressed == b.suppressed;
}

}  // namespace

std::vector<Finding> lint_plan(const plan::ExecutionPlan& plan) {
  std::vector<Finding> findings = Linter(plan).run();
  apply_allow_lists(plan, findings);
  std::stable_sort(findings.begin(), findings.end(), comes_before);
  // A step repeated by `foreach` or used twice says the same thing at the
  // same place: once is enough.
  findings.erase(std::unique(findings.begin(), findings.end(), same), findings.end());
  return findings;
}

}  // namespace runbook::lint

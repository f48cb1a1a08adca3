// Timeouts and transaction shape: how long a statement may wait for its
// lock (while every later query on the table queues behind it), and what
// else runs while a strong lock is held.
#include "base/duration.h"
#include "lint/rule_kit.h"

namespace runbook::lint {

namespace {

bool session_sets(const StatementContext& ctx, std::string_view name) {
  for (const SessionSetting& s : ctx.unit.plan->runbook->session) {
    if (s.name == name) {
      std::optional<Millis> d = parse_duration(s.value);
      return !d || d->count() > 0;
    }
  }
  return false;
}

bool step_sets(const StatementContext& ctx, std::string_view name) {
  // The executor applies a step's timeouts to the step's SQL, not to its
  // rollback, which runs with the session's settings.
  if (ctx.unit.rollback) {
    return false;
  }
  const std::optional<Millis>& d =
      name == "lock_timeout" ? ctx.step().step().lock_timeout : ctx.step().step().statement_timeout;
  return d && d->count() > 0;
}

// Whether `name` is in force when the statement runs: from the session, the
// step, or the last SET of it earlier in the same SQL.
bool timeout_in_force(const StatementContext& ctx, std::string_view name) {
  bool set = session_sets(ctx, name) || step_sets(ctx, name);
  for (const Analysed& a : ctx.before()) {
    const std::optional<sql::SettingChange>& s = a.statement->info.setting;
    if (s && (s->name == name || s->name == "all")) {
      set = sets_timeout(a, name, ctx.unit.in_transaction);
    }
  }
  return set;
}

// Reported once per piece of SQL: at the first statement that needs it.
void missing_timeout(const StatementContext& ctx, std::string_view name, const std::string& why,
                     Reports& out) {
  const sql::RelationLock* lock = blocking_lock(ctx.here(), ctx.history);
  if (lock == nullptr || timeout_in_force(ctx, name)) {
    return;
  }
  for (const Analysed& a : ctx.before()) {
    if (blocking_lock(a, ctx.history) != nullptr) {
      return;
    }
  }
  out.push_back({"takes " + lock_words(*lock) + " with no " + std::string(name) + ": " + why});
}

void lock_timeout(const StatementContext& ctx, Reports& out) {
  missing_timeout(ctx, "lock_timeout",
                  "while it waits for the lock, every later query on the table queues behind it",
                  out);
}

void statement_timeout(const StatementContext& ctx, Reports& out) {
  missing_timeout(ctx, "statement_timeout", "nothing bounds how long it holds the lock", out);
}

// Work that takes time: reading or rewriting everything, changing rows, or
// waiting for another lock.
bool slow(const Analysed& a, const sql::RelationLock& held, const History& history) {
  if (a.locks.scans() || a.locks.rewrites() || !a.locks.known) {
    return true;
  }
  const std::string& node = a.statement->info.node;
  if (node == "UpdateStmt" || node == "DeleteStmt" || node == "InsertStmt" || node == "MergeStmt") {
    return true;
  }
  const sql::RelationLock* other = blocking_lock(a, history);
  return other != nullptr && !sql::may_be_same(other->relation, held.relation);
}

const sql::RelationLock* access_exclusive(const Analysed& a, const History& history) {
  const sql::RelationLock* lock = blocking_lock(a, history);
  return lock != nullptr && lock->mode == sql::LockMode::access_exclusive ? lock : nullptr;
}

void after_access_exclusive(const StatementContext& ctx, Reports& out) {
  std::span<const Analysed> before = ctx.before_in_transaction();
  for (std::size_t k = 0; k < before.size(); ++k) {
    const sql::RelationLock* held = access_exclusive(before[k], ctx.history);
    if (held == nullptr) {
      continue;
    }
    for (std::size_t i = k + 1; i < before.size(); ++i) {
      if (slow(before[i], *held, ctx.history)) {
        return;  // reported there
      }
    }
    if (slow(ctx.here(), *held, ctx.history)) {
      out.push_back({"runs while " + lock_words(*held) + " is held since `" +
                     first_words(before[k].statement->text, 30) +
                     "`: the table stays blocked until this finishes and the step commits"});
    }
    return;
  }
}

bool alters_exclusively(const Analysed& a, const sql::RelationName& table) {
  const sql::RelationLock* l = a.locks.find(table);
  return a.statement->info.node == "AlterTableStmt" && l != nullptr &&
         l->mode == sql::LockMode::access_exclusive;
}

void multiple_alters(const StatementContext& ctx, Reports& out) {
  const sql::RelationName& table = ctx.facts().relation;
  if (!alters_exclusively(ctx.here(), table) || !ctx.existing(table)) {
    return;
  }
  int earlier = 0;
  for (const Analysed& a : ctx.before()) {
    earlier += alters_exclusively(a, table) && sql::may_be_same(a.facts.relation, table) ? 1 : 0;
  }
  if (earlier == 1) {
    out.push_back({"a second ALTER TABLE " + name_of(table) +
                   " taking ACCESS EXCLUSIVE in this step: one ALTER TABLE with several "
                   "subcommands waits for the lock once and reads or rewrites the table at "
                   "most once"});
  }
}

void opaque(const StatementContext& ctx, Reports& out) {
  const std::string& what = ctx.facts().opaque;
  if (what.empty()) {
    return;
  }
  std::string when = what == "DO" || what == "CALL" ? "it runs" : "the body runs when called";
  out.push_back({what +
                 ": the parser cannot see into it, so its locks and effects are not "
                 "checked; " +
                 when + " as written"});
}

}  // namespace

void add_transaction_rules(std::vector<Rule>& rules) {
  rules.push_back({"missing-lock-timeout", Severity::error,
                   "a lock that blocks reads or writes is taken with no lock_timeout",
                   "set `lock_timeout: 2s` under `session:` or on the step (or SET lock_timeout "
                   "first in the step), and `retry: { on: [lock_timeout] }` on the step",
                   lock_timeout});
  rules.push_back({"missing-statement-timeout", Severity::info,
                   "a lock that blocks reads or writes is taken with no statement_timeout",
                   "set `statement_timeout` under `session:` or on the step (larger on steps "
                   "that build indexes)",
                   statement_timeout});
  rules.push_back({"statements-after-access-exclusive", Severity::warning,
                   "slow work in the transaction that holds ACCESS EXCLUSIVE",
                   "commit right after the ACCESS EXCLUSIVE statement: move what follows to a "
                   "step of its own",
                   after_access_exclusive});
  rules.push_back({"multiple-alters-same-table", Severity::info,
                   "several ALTER TABLE statements on one table in a step",
                   "combine them into one ALTER TABLE with comma-separated subcommands",
                   multiple_alters});
  rules.push_back({"opaque-code", Severity::info, "DO, CALL or a function body: not analysable",
                   "prefer plain SQL statements in the step, so that lint and `plan` can see "
                   "their locks",
                   opaque});
}

}  // namespace runbook::lint

// Constraints: the forms that check every row, or build an index, while
// holding a lock that blocks writes; and the NOT VALID recipe done wrong.
#include "lint/rule_kit.h"

namespace runbook::lint {

namespace {

using sql::ConstraintKind;

// ADD CONSTRAINT subcommands of the statement on a table others use.
std::vector<const sql::ConstraintFacts*> added(const StatementContext& ctx, ConstraintKind kind) {
  std::vector<const sql::ConstraintFacts*> out;
  if (!ctx.existing(ctx.facts().relation)) {
    return out;
  }
  for (const sql::AlterCommand* c : commands_of(ctx.facts(), "AT_AddConstraint")) {
    if (c->constraint && c->constraint->kind == kind) {
      out.push_back(&*c->constraint);
    }
  }
  return out;
}

// Constraints written inline on ADD COLUMN, on a table others use.
std::vector<const sql::ColumnFacts*> columns_with(const StatementContext& ctx,
                                                  ConstraintKind kind) {
  std::vector<const sql::ColumnFacts*> out;
  if (!ctx.existing(ctx.facts().relation)) {
    return out;
  }
  for (const sql::AlterCommand* c : commands_of(ctx.facts(), "AT_AddColumn")) {
    if (c->column && c->column->find(kind) != nullptr) {
      out.push_back(&*c->column);
    }
  }
  return out;
}

std::string table(const StatementContext& ctx) {
  return name_of(ctx.facts().relation);
}

void foreign_key(const StatementContext& ctx, Reports& out) {
  for (const sql::ConstraintFacts* c : added(ctx, ConstraintKind::foreign_key)) {
    if (!c->not_valid) {
      out.push_back({"checks every row of " + table(ctx) + " against " + name_of(c->references) +
                     " under SHARE ROW EXCLUSIVE on both: writes to both wait"});
    }
  }
  for (const sql::ColumnFacts* col : columns_with(ctx, ConstraintKind::foreign_key)) {
    std::string parent = name_of(col->find(ConstraintKind::foreign_key)->references);
    Report r{"adds column " + sql::identifier_sql(col->name) + " with an inline REFERENCES " +
             parent + ", which cannot be NOT VALID: SHARE ROW EXCLUSIVE on " + parent +
             " (writes wait)"};
    if (col->scan.answer == sql::Answer::yes) {
      r.message += ", and every row is checked because the column has a value";
    } else {
      r.severity = Severity::warning;
    }
    out.push_back(std::move(r));
  }
}

void check(const StatementContext& ctx, Reports& out) {
  for (const sql::ConstraintFacts* c : added(ctx, ConstraintKind::check)) {
    if (!c->not_valid) {
      out.push_back({"reads every row of " + table(ctx) +
                     " to check the constraint under ACCESS EXCLUSIVE: reads and writes wait"});
    }
  }
  for (const sql::ColumnFacts* col : columns_with(ctx, ConstraintKind::check)) {
    out.push_back({"adds column " + sql::identifier_sql(col->name) +
                   " with an inline CHECK: every row is read under ACCESS EXCLUSIVE, even "
                   "though the new column is all NULL"});
  }
}

bool adds_not_valid(const sql::StatementFacts& f, const sql::AlterCommand& validate,
                    const sql::RelationName& table) {
  if (!sql::may_be_same(f.relation, table)) {
    return false;
  }
  for (const sql::AlterCommand& c : f.commands) {
    if (&c == &validate) {
      return false;  // only subcommands before the VALIDATE count
    }
    if (c.constraint && c.constraint->not_valid && c.constraint->name == validate.name) {
      return true;
    }
  }
  return false;
}

void validate_in_transaction(const StatementContext& ctx, Reports& out) {
  const sql::StatementFacts& f = ctx.facts();
  for (const sql::AlterCommand* v : commands_of(f, "AT_ValidateConstraint")) {
    std::string name = sql::identifier_sql(v->name);
    if (adds_not_valid(f, *v, f.relation)) {
      out.push_back({"adds " + name +
                     " NOT VALID and validates it in one statement: the scan runs under the "
                     "ADD's lock"});
      continue;
    }
    for (const Analysed& a : ctx.before_in_transaction()) {
      if (adds_not_valid(a.facts, *v, f.relation)) {
        out.push_back({"validates " + name +
                       " in the transaction that added it NOT VALID: the ADD's lock is still "
                       "held, so the scan blocks what NOT VALID was meant to spare"});
        break;
      }
      const sql::RelationLock* held = a.locks.find(f.relation);
      if (held != nullptr && held->mode >= sql::LockMode::share_row_exclusive) {
        out.push_back({"validates " + name + " while the transaction holds " + lock_words(*held) +
                       " from an earlier statement: the scan runs under it"});
        break;
      }
    }
  }
}

void unique_or_primary(const StatementContext& ctx, ConstraintKind kind, Reports& out) {
  const char* what = kind == ConstraintKind::unique ? "UNIQUE" : "PRIMARY KEY";
  for (const sql::ConstraintFacts* c : added(ctx, kind)) {
    if (c->using_index.empty()) {
      out.push_back({std::string("builds the ") + what + " index under ACCESS EXCLUSIVE on " +
                     table(ctx) + ": reads and writes wait for the whole build"});
    }
  }
  for (const sql::ColumnFacts* col : columns_with(ctx, kind)) {
    out.push_back({"adds column " + sql::identifier_sql(col->name) + " with an inline " + what +
                   ": its index is built under ACCESS EXCLUSIVE on " + table(ctx)});
  }
}

void unique(const StatementContext& ctx, Reports& out) {
  unique_or_primary(ctx, ConstraintKind::unique, out);
}

void primary_key(const StatementContext& ctx, Reports& out) {
  unique_or_primary(ctx, ConstraintKind::primary_key, out);
}

void exclusion(const StatementContext& ctx, Reports& out) {
  if (!added(ctx, ConstraintKind::exclusion).empty()) {
    out.push_back({"builds the exclusion index and checks every row under ACCESS EXCLUSIVE on " +
                   table(ctx) + "; an exclusion constraint cannot be added NOT VALID"});
  }
}

// VALIDATE and ATTACH PARTITION read every row but need only SHARE UPDATE
// EXCLUSIVE alone; beside a stronger subcommand they read under its lock.
void mixed_lock(const StatementContext& ctx, Reports& out) {
  const sql::StatementFacts& f = ctx.facts();
  const sql::RelationLock* lock = ctx.locks().find(f.relation);
  if (f.commands.size() < 2 || lock == nullptr ||
      lock->mode <= sql::LockMode::share_update_exclusive || !ctx.existing(f.relation)) {
    return;
  }
  for (const sql::AlterCommand& c : f.commands) {
    bool validate = c.subtype == "AT_ValidateConstraint";
    if (validate || c.subtype == "AT_AttachPartition") {
      std::string what = validate ? "VALIDATE CONSTRAINT " + sql::identifier_sql(c.name)
                                  : "ATTACH PARTITION " + name_of(c.partition);
      out.push_back({what + " reads every row under " + lock_words(*lock) +
                     ", which the other subcommands take; alone it would take SHARE UPDATE "
                     "EXCLUSIVE and block nothing"});
    }
  }
}

void domain(const StatementContext& ctx, Reports& out) {
  const sql::StatementFacts& f = ctx.facts();
  if (!f.domain_constraint || f.domain_not_valid) {
    return;
  }
  if (ctx.here().statement->info.node == "CreateDomainStmt") {
    out.push_back({"a domain with constraints: changing a column to " + name_of(f.domain) +
                       " rewrites its table, and adding a constraint later reads every table "
                       "that uses it",
                   Severity::info});
    return;
  }
  out.push_back({"takes SHARE on every table with a column of type " + name_of(f.domain) +
                 " and reads them all to check the new constraint: writes to them wait"});
}

}  // namespace

void add_constraint_rules(std::vector<Rule>& rules) {
  rules.push_back({"foreign-key-not-valid", Severity::error,
                   "foreign key added without NOT VALID on an existing table",
                   "ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID (brief lock, no scan), then "
                   "VALIDATE CONSTRAINT in a later step (SHARE UPDATE EXCLUSIVE: reads and "
                   "writes go on). PostgreSQL 15 refuses NOT VALID on a partitioned table",
                   foreign_key});
  rules.push_back({"check-not-valid", Severity::error,
                   "CHECK constraint added without NOT VALID on an existing table",
                   "ADD CONSTRAINT ... CHECK (...) NOT VALID (instant), then VALIDATE CONSTRAINT "
                   "in a later step (SHARE UPDATE EXCLUSIVE: reads and writes go on)",
                   check});
  rules.push_back({"validate-in-same-transaction", Severity::error,
                   "VALIDATE CONSTRAINT in the transaction that added it NOT VALID",
                   "put VALIDATE CONSTRAINT in a step of its own, after the step that adds the "
                   "constraint NOT VALID has committed",
                   validate_in_transaction});
  rules.push_back({"unique-without-index", Severity::error,
                   "UNIQUE constraint built under ACCESS EXCLUSIVE",
                   "CREATE UNIQUE INDEX CONCURRENTLY i in one step, then ADD CONSTRAINT c UNIQUE "
                   "USING INDEX i in the next (instant)",
                   unique});
  rules.push_back({"primary-key-without-index", Severity::error,
                   "PRIMARY KEY built under ACCESS EXCLUSIVE",
                   "CREATE UNIQUE INDEX CONCURRENTLY i, make the columns NOT NULL without a scan "
                   "(CHECK NOT VALID, VALIDATE, SET NOT NULL), then ADD CONSTRAINT c PRIMARY KEY "
                   "USING INDEX i",
                   primary_key});
  rules.push_back({"exclusion-constraint", Severity::warning,
                   "EXCLUDE constraint added to an existing table",
                   "there is no lock-free way: schedule a window with little traffic, or build a "
                   "new table with the constraint and move the rows in batches",
                   exclusion});
  rules.push_back({"mixed-lock-alter", Severity::warning,
                   "a scanning subcommand runs under a stronger lock taken by its neighbours",
                   "run VALIDATE CONSTRAINT (or ATTACH PARTITION) as an ALTER TABLE of its own, "
                   "in a step of its own",
                   mixed_lock});
  rules.push_back({"domain-constraint", Severity::warning,
                   "a domain constraint checks every table that uses the domain",
                   "put the CHECK on the tables' columns (NOT VALID, then VALIDATE), or add the "
                   "domain constraint NOT VALID and VALIDATE it later",
                   domain});
}

}  // namespace runbook::lint

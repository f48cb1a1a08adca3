// Columns: adding, changing, constraining, dropping and renaming them on a
// table others use. Most of this takes ACCESS EXCLUSIVE; what matters is
// whether it also reads or rewrites every row while holding it.
#include "lint/rule_kit.h"

namespace runbook::lint {

namespace {

using sql::ConstraintKind;

std::string table(const StatementContext& ctx) {
  return name_of(ctx.facts().relation);
}
std::string column(std::string_view name) {
  return sql::identifier_sql(name);
}

// The ALTER TABLE subcommands `subtype` of the statement, when its table is
// one others use.
std::vector<const sql::AlterCommand*> on_existing(const StatementContext& ctx,
                                                  std::string_view subtype) {
  if (!ctx.existing(ctx.facts().relation)) {
    return {};
  }
  return commands_of(ctx.facts(), subtype);
}

void set_not_null(const StatementContext& ctx, Reports& out) {
  for (const sql::AlterCommand* c : on_existing(ctx, "AT_SetNotNull")) {
    if (!ctx.history.not_null_proven(ctx.facts().relation, c->name)) {
      out.push_back({"SET NOT NULL on " + column(c->name) + " reads every row of " + table(ctx) +
                     " under ACCESS EXCLUSIVE: no validated CHECK (" + column(c->name) +
                     " IS NOT NULL) earlier in the runbook lets it skip the scan (one already in "
                     "the database would; only the catalog knows)"});
    }
  }
}

// PostgreSQL 15 rewrites nothing for these targets when the old type is
// binary coercible (§2.3 of the lock notes): varchar widening, varchar to
// text, numeric precision at the same scale, timestamp to timestamptz in UTC.
bool often_free(const sql::TypeRef& target) {
  return target.is("varchar") || target.is("text") || target.is("numeric") ||
         target.is("timestamptz");
}

void type_change(const StatementContext& ctx, Reports& out) {
  for (const sql::AlterCommand* c : on_existing(ctx, "AT_AlterColumnType")) {
    std::string what = "changes the type of " + column(c->name) + " to " + c->column->type.sql() +
                       " under ACCESS EXCLUSIVE on " + table(ctx) + ": ";
    if (c->rewrite.answer == sql::Answer::yes) {
      out.push_back({what + "rewrites it and its indexes (" + c->rewrite.reason + ")"});
    } else if (often_free(c->column->type) && !c->has_using) {
      out.push_back({what + "the rewrite " + c->rewrite.reason, Severity::info});
    } else {
      out.push_back({what + "the rewrite " + c->rewrite.reason});
    }
  }
}

bool fills_rows(const sql::ColumnFacts& col) {
  return col.serial() || col.find(ConstraintKind::identity) != nullptr ||
         col.find(ConstraintKind::generated) != nullptr;
}

void volatile_default(const StatementContext& ctx, Reports& out) {
  for (const sql::AlterCommand* c : on_existing(ctx, "AT_AddColumn")) {
    const sql::ColumnFacts& col = *c->column;
    if (col.find(ConstraintKind::default_value) == nullptr || fills_rows(col) ||
        col.rewrite.answer == sql::Answer::no) {
      continue;
    }
    Report r{"adds column " + column(col.name) + ": " + col.rewrite.reason + "; a rewrite of " +
             table(ctx) + " under ACCESS EXCLUSIVE"};
    if (col.rewrite.answer == sql::Answer::depends) {
      r.severity = Severity::warning;
    }
    out.push_back(std::move(r));
  }
}

void rewrite_column(const StatementContext& ctx, Reports& out) {
  for (const sql::AlterCommand* c : on_existing(ctx, "AT_AddColumn")) {
    if (fills_rows(*c->column)) {
      out.push_back({"adds column " + column(c->column->name) + ": " + c->column->rewrite.reason +
                     ", rewriting " + table(ctx) + " under ACCESS EXCLUSIVE"});
    }
  }
}

void required_column(const StatementContext& ctx, Reports& out) {
  for (const sql::AlterCommand* c : on_existing(ctx, "AT_AddColumn")) {
    const sql::ColumnFacts& col = *c->column;
    bool required = col.find(ConstraintKind::not_null) != nullptr ||
                    col.find(ConstraintKind::primary_key) != nullptr;
    if (required && col.find(ConstraintKind::default_value) == nullptr && !fills_rows(col)) {
      out.push_back({"adds NOT NULL column " + column(col.name) + " without a default: fails if " +
                     table(ctx) +
                     " has any row (only the catalog knows it is empty), and old INSERTs fail"});
    }
  }
}

void drop_column(const StatementContext& ctx, Reports& out) {
  for (const sql::AlterCommand* c : commands_of(ctx.facts(), "AT_DropColumn")) {
    if (!ctx.history.column_added(ctx.facts().relation, c->name)) {
      out.push_back({"drops column " + column(c->name) + " of " + table(ctx) +
                     ": code still reading it breaks, and if it carries a foreign key the "
                     "referenced table is locked ACCESS EXCLUSIVE too"});
    }
  }
}

void rename_column(const StatementContext& ctx, Reports& out) {
  const std::optional<sql::RenameFacts>& r = ctx.facts().rename;
  if (r && r->kind == sql::ObjectKind::column && !ctx.history.column_added(r->relation, r->from)) {
    out.push_back({"renames column " + column(r->from) + " of " + name_of(r->relation) + " to " +
                   column(r->to) + ": code using the old name breaks mid-deploy"});
  }
}

}  // namespace

void add_column_rules(std::vector<Rule>& rules) {
  rules.push_back({"set-not-null-without-check", Severity::error,
                   "SET NOT NULL without a validated CHECK (col IS NOT NULL) before it",
                   "ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT c in "
                   "a later step; then SET NOT NULL (no scan) and DROP CONSTRAINT c",
                   set_not_null});
  rules.push_back({"column-type-change", Severity::error,
                   "ALTER COLUMN TYPE rewrites the table unless the types are binary coercible",
                   "add a new column, keep both written (trigger), backfill in batches, switch "
                   "reads, then drop the old column. No rewrite: varchar(n) to a longer varchar "
                   "or text, numeric(p,s) to a larger p, timestamp to timestamptz in UTC",
                   type_change});
  rules.push_back({"volatile-default", Severity::error,
                   "ADD COLUMN with a volatile default rewrites the table",
                   "add the column without a default, SET DEFAULT in the same step (instant), "
                   "then backfill existing rows in a `batch` step",
                   volatile_default});
  rules.push_back({"rewrite-column", Severity::error,
                   "ADD COLUMN serial, identity or GENERATED ... STORED rewrites the table",
                   "add a plain column, fill it in a `batch` step and keep it current with a "
                   "trigger (or a sequence DEFAULT set after adding); for a new key, build a new "
                   "table and move the rows",
                   rewrite_column});
  rules.push_back({"required-column-without-default", Severity::error,
                   "ADD COLUMN ... NOT NULL without a default",
                   "add it with a constant default (NOT NULL DEFAULT 0: no rewrite), or "
                   "nullable, backfilled, then made NOT NULL through a validated CHECK",
                   required_column});
  rules.push_back({"drop-column", Severity::warning, "DROP COLUMN of a column in use",
                   "stop reading and writing the column in the application, deploy, then drop "
                   "it in a later runbook",
                   drop_column});
  rules.push_back({"rename-column", Severity::warning, "RENAME COLUMN breaks running code",
                   "add the new column, write both, backfill, switch reads, drop the old one; "
                   "or rename only in the application's mapping",
                   rename_column});
}

}  // namespace runbook::lint

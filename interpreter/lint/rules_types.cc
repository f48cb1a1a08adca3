// Type choices that are cheap to make now and expensive to change later on
// a big table (every change of type is a rewrite under ACCESS EXCLUSIVE),
// and enum values used before they can be.
#include "lint/rule_kit.h"

#include <algorithm>

namespace runbook::lint {

namespace {

using sql::ConstraintKind;

// Columns the statement declares: CREATE TABLE's, ADD COLUMN's, and the
// new type of ALTER COLUMN TYPE.
std::vector<const sql::ColumnFacts*> declared(const sql::StatementFacts& f) {
  std::vector<const sql::ColumnFacts*> out;
  for (const sql::ColumnFacts& c : f.columns) {
    out.push_back(&c);
  }
  for (const sql::AlterCommand& c : f.commands) {
    if (c.column) {
      out.push_back(&*c.column);
    }
  }
  return out;
}

// The column's name: ADD COLUMN and CREATE TABLE carry it in the column,
// ALTER COLUMN TYPE in the subcommand.
std::string column_name(const sql::StatementFacts& f, const sql::ColumnFacts& col) {
  for (const sql::AlterCommand& c : f.commands) {
    if (c.column && &*c.column == &col && col.name.empty()) {
      return sql::identifier_sql(c.name);
    }
  }
  return sql::identifier_sql(col.name);
}

template <typename Pred>
void each_typed(const StatementContext& ctx, Pred wanted, const std::string& why, Reports& out) {
  const sql::StatementFacts& f = ctx.facts();
  for (const sql::ColumnFacts* col : declared(f)) {
    if (wanted(col->type)) {
      out.push_back(
          {"column " + column_name(f, *col) + " of type " + col->type.sql() + ": " + why});
    }
  }
}

void json(const StatementContext& ctx, Reports& out) {
  each_typed(
      ctx, [](const sql::TypeRef& t) { return t.is("json"); },
      "json has no equality operator (DISTINCT, GROUP BY and UNION fail on it) and is parsed "
      "again on every access",
      out);
}

void timestamp(const StatementContext& ctx, Reports& out) {
  each_typed(
      ctx, [](const sql::TypeRef& t) { return t.schema == "pg_catalog" && t.name == "timestamp"; },
      "without a time zone, values depend on each client's TimeZone setting", out);
}

void varchar(const StatementContext& ctx, Reports& out) {
  each_typed(
      ctx, [](const sql::TypeRef& t) { return t.is("varchar") && t.has_length; },
      "a length limit is no faster than text, and lowering it later rewrites the table", out);
}

bool small_integer(const sql::ColumnFacts& col) {
  const sql::TypeRef& t = col.type;
  return !t.array && (t.is("int4") || t.is("int2") ||
                      (t.schema.empty() && (t.name == "serial" || t.name == "serial4" ||
                                            t.name == "smallserial" || t.name == "serial2")));
}

bool in_primary_key(const sql::StatementFacts& f, const sql::ColumnFacts& col) {
  if (col.find(ConstraintKind::primary_key) != nullptr) {
    return true;
  }
  for (const sql::ConstraintFacts& c : f.table_constraints) {
    if (c.kind == ConstraintKind::primary_key &&
        std::find(c.columns.begin(), c.columns.end(), col.name) != c.columns.end()) {
      return true;
    }
  }
  return false;
}

void int_primary_key(const StatementContext& ctx, Reports& out) {
  const sql::StatementFacts& f = ctx.facts();
  for (const sql::ColumnFacts* col : declared(f)) {
    if (small_integer(*col) && in_primary_key(f, *col)) {
      out.push_back({"primary key " + sql::identifier_sql(col->name) + " of type " +
                     col->type.sql() +
                     ": it runs out at 2^31 (or 2^15), and widening it later rewrites the table "
                     "and every table referencing it"});
    }
  }
}

bool casts_to(const sql::Literal& l, const sql::RelationName& type) {
  return l.cast.empty() || sql::may_be_same(sql::RelationName{l.cast.schema, l.cast.name}, type);
}

void enum_value(const StatementContext& ctx, Reports& out) {
  for (const Analysed& a : ctx.before_in_transaction()) {
    const sql::StatementFacts& added = a.facts;
    if (added.enum_value.empty()) {
      continue;
    }
    for (const sql::Literal& l : ctx.facts().literals) {
      if (l.value == added.enum_value && casts_to(l, added.enum_type)) {
        out.push_back({"uses '" + l.value + "', which ALTER TYPE " + name_of(added.enum_type) +
                       " ADD VALUE added in this transaction: PostgreSQL refuses a new enum "
                       "value before the transaction that added it commits"});
        return;
      }
    }
  }
}

}  // namespace

void add_type_rules(std::vector<Rule>& rules) {
  rules.push_back({"prefer-jsonb", Severity::warning, "a json column (prefer jsonb)",
                   "use jsonb: it has equality and indexing, and is parsed once on write", json});
  rules.push_back({"prefer-bigint-primary-key", Severity::warning,
                   "an integer or smallint primary key (prefer bigint)",
                   "use bigint (bigint GENERATED ALWAYS AS IDENTITY, or bigserial) from the start",
                   int_primary_key});
  rules.push_back({"prefer-timestamptz", Severity::warning,
                   "a timestamp without time zone column (prefer timestamptz)",
                   "use timestamptz: it stores an instant; converting later is free only when the "
                   "session TimeZone is UTC",
                   timestamp});
  rules.push_back({"prefer-text", Severity::info, "a varchar(n) column (prefer text)",
                   "use text, with a CHECK (length(col) <= n) NOT VALID if a limit is needed: a "
                   "CHECK can be changed without a rewrite",
                   varchar});
  rules.push_back({"enum-value-used-in-transaction", Severity::error,
                   "a new enum value used in the transaction that added it",
                   "ALTER TYPE ... ADD VALUE in a step of its own, before the step that uses the "
                   "value",
                   enum_value});
}

}  // namespace runbook::lint

#include "exec/invalid_index.h"

#include "sql/facts.h"
#include "tmpl/sql_quote.h"

namespace runbook::exec {

namespace {

struct FirstCell final : RowSink {
  std::optional<std::string> value;
  void columns(const std::vector<std::string>&) override {}
  bool row(const Row& r) override {
    value = r.empty() ? std::nullopt : r[0];
    return false;
  }
};

std::string quoted_name(const sql::RelationName& r) {
  std::string name = tmpl::quote_identifier(r.name);
  return r.schema.empty() ? name : tmpl::quote_identifier(r.schema) + "." + name;
}

}  // namespace

bool left_unfinished(const RunContext& ctx, const plan::PlannedStep& step) {
  auto it = ctx.history.find(step.id);
  return it != ctx.history.end() &&
         (it->second.status == "running" || it->second.status == "failed");
}

std::optional<SqlError> drop_invalid_index(RunContext& ctx, const plan::PlannedStep& step,
                                           const sql::Statement& statement) {
  if (!statement.info.concurrently || statement.info.node != "IndexStmt") {
    return std::nullopt;
  }
  sql::StatementFacts facts = sql::statement_facts(statement);
  if (!facts.index || facts.index->name.empty() || facts.index->table.empty()) {
    return std::nullopt;  // a name PostgreSQL picks cannot collide with a leftover
  }
  FirstCell invalid;
  ExecResult found = ctx.session->execute_params(
      "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_index i"
      " JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
      " WHERE NOT i.indisvalid AND c.relname = $1 AND i.indrelid = to_regclass($2)",
      {facts.index->name, quoted_name(facts.index->table)}, &invalid);
  if (found.error) {
    return found.error;
  }
  if (!invalid.value) {
    return std::nullopt;
  }
  ctx.ports.observer.message(step.id + ": dropping the INVALID index " + *invalid.value +
                             " an unfinished build left, before building it again");
  ExecResult dropped =
      ctx.session->execute("DROP INDEX CONCURRENTLY IF EXISTS " + *invalid.value, nullptr);
  return dropped.error;
}

}  // namespace runbook::exec

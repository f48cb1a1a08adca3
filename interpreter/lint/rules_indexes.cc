// Index builds, drops and rebuilds, and partition detach: the forms that
// have a CONCURRENTLY variant which keeps reads and writes going.
#include "lint/rule_kit.h"

namespace runbook::lint {

namespace {

bool concurrently(const StatementContext& ctx) {
  return ctx.here().statement->info.concurrently;
}

void create_index(const StatementContext& ctx, Reports& out) {
  const std::optional<sql::IndexFacts>& index = ctx.facts().index;
  if (!index || concurrently(ctx) || index->only || !ctx.existing(index->table)) {
    return;
  }
  out.push_back({"builds the index under SHARE on " + name_of(index->table) +
                 ": writes to it wait for the whole build"});
}

// The table an index lives on is known when the runbook built the index.
bool on_new_table(const StatementContext& ctx, const sql::RelationName& index) {
  sql::RelationName table = ctx.history.table_of_index(index);
  return !table.empty() && !ctx.existing(table);
}

void drop_index(const StatementContext& ctx, Reports& out) {
  const std::optional<sql::DropFacts>& drop = ctx.facts().drop;
  if (!drop || drop->kind != sql::ObjectKind::index || concurrently(ctx)) {
    return;
  }
  for (const sql::RelationName& index : drop->objects) {
    if (!on_new_table(ctx, index)) {
      out.push_back({"takes ACCESS EXCLUSIVE on the table of index " + name_of(index) +
                     ": reads and writes wait, and queue behind it while it waits"});
      return;
    }
  }
}

void reindex(const StatementContext& ctx, Reports& out) {
  if (ctx.here().statement->info.node != "ReindexStmt" || concurrently(ctx)) {
    return;
  }
  const sql::RelationLock* lock = blocking_lock(ctx.here(), ctx.history);
  if (lock == nullptr) {
    return;
  }
  out.push_back({"rebuilds under " + lock_words(*lock) +
                 "; ACCESS EXCLUSIVE on an index stops every query planned on its table"});
}

void if_not_exists(const StatementContext& ctx, Reports& out) {
  const std::optional<sql::IndexFacts>& index = ctx.facts().index;
  // A `verify` on the step checks what the build left, and an earlier DROP
  // of that name removes a leftover: the hint's own advice.
  if (!index || !concurrently(ctx) || !index->if_not_exists || ctx.unit.step == nullptr ||
      ctx.step().verify.has_value() ||
      ctx.history.index_dropped(sql::RelationName{index->table.schema, index->name})) {
    return;
  }
  out.push_back(
      {"a failed CREATE INDEX CONCURRENTLY leaves an INVALID index behind, and IF NOT "
       "EXISTS then skips the retry and keeps it"});
}

void detach_partition(const StatementContext& ctx, Reports& out) {
  for (const sql::AlterCommand* c : commands_of(ctx.facts(), "AT_DetachPartition")) {
    if (!c->concurrently && ctx.existing(ctx.facts().relation)) {
      out.push_back({"takes ACCESS EXCLUSIVE on the partitioned table " +
                     name_of(ctx.facts().relation) + ": every query on it waits"});
    }
  }
}

void refresh(const StatementContext& ctx, Reports& out) {
  const sql::StatementFacts& f = ctx.facts();
  if (!f.refresh || concurrently(ctx) || !ctx.existing(f.relation)) {
    return;
  }
  out.push_back({"takes ACCESS EXCLUSIVE on " + name_of(f.relation) +
                 ": reads of the view wait until the refresh ends"});
}

}  // namespace

void add_index_rules(std::vector<Rule>& rules) {
  rules.push_back({"require-concurrent-index", Severity::error,
                   "CREATE INDEX without CONCURRENTLY on an existing table",
                   "CREATE INDEX CONCURRENTLY in a step of its own (it runs in autocommit): reads "
                   "and writes go on during the build. A partitioned table cannot: build each "
                   "partition's index concurrently, then CREATE INDEX ON ONLY the parent and "
                   "ALTER INDEX ... ATTACH PARTITION each one",
                   create_index});
  rules.push_back({"require-concurrent-index-drop", Severity::error,
                   "DROP INDEX without CONCURRENTLY",
                   "DROP INDEX CONCURRENTLY in a step of its own (not possible for an index "
                   "that backs a constraint: drop the constraint instead)",
                   drop_index});
  rules.push_back({"require-concurrent-reindex", Severity::error, "REINDEX without CONCURRENTLY",
                   "REINDEX ... CONCURRENTLY in a step of its own: it builds a new copy beside "
                   "the old one and swaps them",
                   reindex});
  rules.push_back({"concurrent-index-if-not-exists", Severity::warning,
                   "CREATE INDEX CONCURRENTLY IF NOT EXISTS can keep an INVALID index",
                   "before a retry, drop a leftover (DROP INDEX CONCURRENTLY IF EXISTS) or check "
                   "pg_index.indisvalid in `verify`; or REINDEX INDEX CONCURRENTLY it",
                   if_not_exists});
  rules.push_back({"require-concurrent-detach", Severity::error,
                   "DETACH PARTITION without CONCURRENTLY",
                   "ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY in a step of its own "
                   "(not allowed when the table has a default partition)",
                   detach_partition});
  rules.push_back({"refresh-materialized-view", Severity::warning,
                   "REFRESH MATERIALIZED VIEW without CONCURRENTLY blocks reads of the view",
                   "REFRESH MATERIALIZED VIEW CONCURRENTLY (the view needs a unique index): "
                   "reads go on during the refresh",
                   refresh});
}

}  // namespace runbook::lint

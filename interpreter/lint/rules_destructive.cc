// Statements that destroy data or break running code, and those that hold
// a table for as long as they read or rewrite all of it.
#include "lint/rule_kit.h"

namespace runbook::lint {

namespace {

std::string_view object_words(sql::ObjectKind kind) {
  switch (kind) {
    case sql::ObjectKind::table:
      return "table";
    case sql::ObjectKind::schema:
      return "schema";
    case sql::ObjectKind::database:
      return "database";
    default:
      break;
  }
  return "";
}

void drop_table(const StatementContext& ctx, Reports& out) {
  const std::optional<sql::DropFacts>& drop = ctx.facts().drop;
  if (!drop || object_words(drop->kind).empty()) {
    return;
  }
  for (const sql::RelationName& object : drop->objects) {
    if (drop->kind == sql::ObjectKind::table && !ctx.existing(object)) {
      continue;  // the runbook made it
    }
    std::string what = std::string(object_words(drop->kind)) + " " + name_of(object);
    std::string more = drop->kind == sql::ObjectKind::table
                           ? ", and the tables it references by foreign key are locked ACCESS "
                             "EXCLUSIVE while it goes"
                           : "";
    out.push_back({"drops " + what +
                   ": its data is gone for good (a rollback cannot bring it "
                   "back)" +
                   more});
  }
}

void rename_table(const StatementContext& ctx, Reports& out) {
  const std::optional<sql::RenameFacts>& r = ctx.facts().rename;
  bool relation = r && (r->kind == sql::ObjectKind::table || r->kind == sql::ObjectKind::view ||
                        r->kind == sql::ObjectKind::materialized_view);
  if (relation && ctx.existing(r->relation)) {
    out.push_back({"renames " + name_of(r->relation) + " to " + sql::identifier_sql(r->to) +
                   ": code using the old name breaks mid-deploy"});
  }
}

void truncate_cascade(const StatementContext& ctx, Reports& out) {
  const sql::StatementFacts& f = ctx.facts();
  if (f.truncated.empty() || !f.cascade) {
    return;
  }
  out.push_back({"TRUNCATE ... CASCADE also empties every table that references " +
                 name_of(f.truncated.front()) +
                 " by foreign key, whichever they are, under ACCESS EXCLUSIVE on each"});
}

void rewrite_maintenance(const StatementContext& ctx, Reports& out) {
  const sql::StatementFacts& f = ctx.facts();
  if (!f.vacuum_full && !f.cluster) {
    return;
  }
  if (!f.relation.empty() && !ctx.existing(f.relation)) {
    return;
  }
  std::string target = f.relation.empty() ? "every table it covers" : name_of(f.relation);
  out.push_back({std::string(f.cluster ? "CLUSTER" : "VACUUM FULL") + " rewrites " + target +
                 " under ACCESS EXCLUSIVE: reads and writes wait for the whole rewrite"});
}

void dml_without_where(const StatementContext& ctx, Reports& out) {
  const sql::StatementFacts& f = ctx.facts();
  if (!f.missing_where || ctx.step().batch_size || !ctx.existing(f.relation)) {
    return;
  }
  std::string verb = ctx.here().statement->info.node == "DeleteStmt" ? "deletes" : "updates";
  out.push_back({verb + " every row of " + name_of(f.relation) +
                 " in one transaction: each row stays locked until commit, so concurrent "
                 "updates and deletes wait, and the table bloats"});
}

}  // namespace

void add_destructive_rules(std::vector<Rule>& rules) {
  rules.push_back({"drop-table", Severity::warning, "DROP TABLE, DROP SCHEMA or DROP DATABASE",
                   "rename it aside first (or revoke access) and drop it in a later runbook once "
                   "nothing missed it; keep a dump",
                   drop_table});
  rules.push_back({"rename-table", Severity::warning,
                   "RENAME of a table or view breaks running code",
                   "create a view with the old name over the renamed table for the deploy, or "
                   "rename only in the application's mapping",
                   rename_table});
  rules.push_back({"truncate-cascade", Severity::error, "TRUNCATE ... CASCADE",
                   "TRUNCATE the tables by name (all referencing tables in the same statement), "
                   "so the list is reviewed",
                   truncate_cascade});
  rules.push_back({"vacuum-full-or-cluster", Severity::error,
                   "VACUUM FULL or CLUSTER rewrites the table under ACCESS EXCLUSIVE",
                   "plain VACUUM blocks nothing; to compact online use the pg_repack extension "
                   "(REPACK CONCURRENTLY does not exist in PostgreSQL 15)",
                   rewrite_maintenance});
  rules.push_back({"dml-without-where", Severity::warning,
                   "UPDATE or DELETE of every row outside a `batch` step",
                   "give the step `batch: { size: N }` and a WHERE that picks the next N rows "
                   "(WHERE id IN (SELECT id ... LIMIT {{ batch.size }})): each batch commits on "
                   "its own",
                   dml_without_where});
}

}  // namespace runbook::lint

// ALTER TABLE (and ALTER INDEX/VIEW/SEQUENCE/MATERIALIZED VIEW, which share
// its statement node): one lock per subcommand, the strongest wins.
#include "sql/lock_rules.h"
#include "sql/tree.h"

#include <array>

namespace runbook::sql {

namespace {

using Words = std::array<std::string_view, 8>;

// PostgreSQL 15 AlterTableGetLockLevel(): subcommands that take less than
// ACCESS EXCLUSIVE. Everything else takes ACCESS EXCLUSIVE.
constexpr Words kShareUpdateExclusive = {"AT_SetStatistics",   "AT_ClusterOn",
                                         "AT_DropCluster",     "AT_SetOptions",
                                         "AT_ResetOptions",    "AT_ValidateConstraint",
                                         "AT_AttachPartition", "AT_DetachPartitionFinalize"};
constexpr Words kShareRowExclusive = {
    "AT_EnableTrig",     "AT_EnableAlwaysTrig", "AT_EnableReplicaTrig", "AT_EnableTrigAll",
    "AT_EnableTrigUser", "AT_DisableTrig",      "AT_DisableTrigAll",    "AT_DisableTrigUser"};

bool one_of(const Words& words, std::string_view w) {
  for (std::string_view x : words) {
    if (x == w) {
      return true;
    }
  }
  return false;
}

// Storage parameters PostgreSQL 15 changes under SHARE UPDATE EXCLUSIVE (they
// only steer vacuum, planning and future writes). Any other parameter, such
// as user_catalog_table, a view's security_barrier/check_option or GIN's
// fastupdate, takes ACCESS EXCLUSIVE.
bool option_needs_only_sue(std::string_view name) {
  static constexpr std::array<std::string_view, 9> kNames = {
      "fillfactor",           "log_autovacuum_min_duration",
      "toast_tuple_target",   "parallel_workers",
      "vacuum_index_cleanup", "vacuum_truncate",
      "deduplicate_items",    "pages_per_range",
      "autosummarize"};
  if (name.starts_with("autovacuum_")) {
    return true;
  }
  for (std::string_view n : kNames) {
    if (n == name) {
      return true;
    }
  }
  return false;
}

LockMode storage_options_lock(const Node& options) {
  for (const Node& item : options.body()["items"].items()) {
    if (!option_needs_only_sue(item.body()["defname"].str())) {
      return LockMode::access_exclusive;
    }
  }
  return LockMode::share_update_exclusive;
}

LockMode subcommand_lock(std::string_view subtype, const Node& cmd) {
  if (one_of(kShareUpdateExclusive, subtype)) {
    return LockMode::share_update_exclusive;
  }
  if (one_of(kShareRowExclusive, subtype)) {
    return LockMode::share_row_exclusive;
  }
  if (subtype == "AT_SetRelOptions" || subtype == "AT_ResetRelOptions") {
    return storage_options_lock(cmd["def"]);
  }
  if (subtype == "AT_DetachPartition" && cmd["def"].body()["concurrent"].boolean()) {
    return LockMode::share_update_exclusive;
  }
  if (subtype == "AT_AddConstraint" && cmd["def"].body()["contype"].str() == "CONSTR_FOREIGN") {
    // Adding a foreign key creates triggers on both tables: CREATE TRIGGER's lock.
    return LockMode::share_row_exclusive;
  }
  if (subtype == "AT_CheckNotNull") {
    return LockMode::access_share;
  }
  return LockMode::access_exclusive;
}

// Validating a foreign key runs one query joining both tables; whether it
// reads all of the referenced table or only its key index is the planner's
// choice.
Effect referenced_read() {
  return depends("read in full or through its key index, as the validation query plans");
}

// An index named by an ALTER TABLE subcommand lives in the table's schema.
RelationName sibling(const RelationName& table, std::string_view name) {
  return RelationName{table.schema, std::string(name)};
}

void foreign_key(const Node& con, RelationLock& table_lock, LockSet& out) {
  RelationLock& referenced = out.lock(relation_name(con["pktable"]), LockMode::share_row_exclusive);
  if (con["skip_validation"].boolean()) {
    table_lock.notes.push_back(
        "NOT VALID: existing rows are not checked; VALIDATE CONSTRAINT later takes only "
        "SHARE UPDATE EXCLUSIVE");
    return;
  }
  table_lock.scan = stronger(
      table_lock.scan, yes("checks every row against " + relation_name(con["pktable"]).sql()));
  referenced.scan = stronger(referenced.scan, referenced_read());
}

void unique_or_primary(const RelationName& table, const Node& con, RelationLock& table_lock,
                       LockSet& out) {
  std::string_view contype = con["contype"].str();
  bool primary = contype == "CONSTR_PRIMARY";
  if (con.has("indexname")) {  // USING INDEX: the index exists already
    out.lock(sibling(table, con["indexname"].str()), LockMode::share_update_exclusive,
             RelationKind::index);
    if (primary) {
      table_lock.scan = stronger(
          table_lock.scan,
          depends("reads every row to set NOT NULL unless the index's columns already are"));
    }
    return;
  }
  if (con.has("conname")) {
    out.create(sibling(table, con["conname"].str()), RelationKind::index);
  } else {
    out.implied("a new index", LockMode::access_exclusive, RelationKind::index).created = true;
  }
  std::string why = primary ? "builds the index; also checks for NULLs if a column is nullable"
                            : "builds the index";
  table_lock.scan = stronger(table_lock.scan, yes(why));
}

void add_constraint(const RelationName& table, const Node& con, RelationLock& table_lock,
                    LockSet& out) {
  std::string_view contype = con["contype"].str();
  if (contype == "CONSTR_FOREIGN") {
    foreign_key(con, table_lock, out);
  } else if (contype == "CONSTR_UNIQUE" || contype == "CONSTR_PRIMARY" ||
             contype == "CONSTR_EXCLUSION") {
    unique_or_primary(table, con, table_lock, out);
  } else if (contype == "CONSTR_CHECK") {
    if (con["skip_validation"].boolean()) {
      table_lock.notes.push_back(
          "NOT VALID: existing rows are not checked; VALIDATE CONSTRAINT later takes only "
          "SHARE UPDATE EXCLUSIVE");
    } else {
      table_lock.scan = stronger(table_lock.scan, yes("checks every row"));
    }
  }
}

void attach_partition(const RelationName& parent, RelationKind kind, const Node& cmd,
                      LockSet& out) {
  RelationName partition = relation_name(cmd["name"]);
  if (kind == RelationKind::index) {  // ALTER INDEX parent ATTACH PARTITION child
    out.lock(partition, LockMode::access_exclusive, RelationKind::index);
    return;
  }
  RelationLock& p = out.lock(partition, LockMode::access_exclusive);
  p.scan = stronger(p.scan, depends("reads every row to check the partition bound, unless a "
                                    "validated CHECK constraint implies it"));
  RelationLock& fallback =
      out.implied("the default partition of " + parent.sql(), LockMode::access_exclusive);
  fallback.condition = "if " + parent.sql() + " has one";
  fallback.scan = yes("checks that no row belongs to the new partition");
}

void detach_partition(const RelationName& parent, const Node& cmd, LockSet& out) {
  RelationName partition = relation_name(cmd["name"]);
  if (cmd["concurrent"].boolean()) {
    out.lock(partition, LockMode::share_update_exclusive);
    out.note(
        "DETACH ... CONCURRENTLY runs two transactions: it waits for every transaction "
        "using " +
        parent.sql() + ", then takes ACCESS EXCLUSIVE on " + partition.sql() +
        " alone; not allowed when " + parent.sql() + " has a default partition");
    return;
  }
  out.lock(partition, LockMode::access_exclusive);
  // The documentation says SHARE; PostgreSQL 15 was seen to take ACCESS
  // EXCLUSIVE (it removes the foreign key's clone for the partition) and to
  // read the referencing table.
  RelationLock& referencing = out.implied("tables referencing " + parent.sql() + " by foreign key",
                                          LockMode::access_exclusive);
  referencing.condition = "if any";
  referencing.scan = yes("checks that no row references the detached partition");
}

// Subcommands about constraints and columns: what they read, and the
// other tables a foreign key brings in. False when `subtype` is not one.
bool constraint_effects(const RelationName& table, std::string_view subtype, const Node& cmd,
                        RelationLock& table_lock, LockSet& out) {
  std::string name = identifier_sql(cmd["name"].str());
  if (subtype == "AT_AddColumn" || subtype == "AT_AddColumnRecurse") {
    add_column_effects(cmd["def"].body(), table_lock, out);
  } else if (subtype == "AT_AlterColumnType") {
    column_type_effects(cmd["name"].str(), cmd["def"].body(), table_lock);
  } else if (subtype == "AT_SetNotNull") {
    table_lock.scan =
        stronger(table_lock.scan, depends("reads every row, unless a validated CHECK (" + name +
                                          " IS NOT NULL) proves there is no NULL"));
  } else if (subtype == "AT_AddConstraint" || subtype == "AT_AddConstraintRecurse") {
    add_constraint(table, cmd["def"].body(), table_lock, out);
  } else if (subtype == "AT_ValidateConstraint") {
    table_lock.scan = stronger(table_lock.scan, yes("validates every row"));
    RelationLock& referenced =
        out.implied("the table " + name + " references", LockMode::row_share);
    referenced.condition = "if " + name + " is a foreign key";
    referenced.scan = referenced_read();
  } else if (subtype == "AT_DropConstraint") {
    out.implied("the table " + name + " references", LockMode::access_exclusive).condition =
        "if " + name + " is a foreign key";
  } else if (subtype == "AT_DropColumn") {
    out.implied("the tables foreign keys on " + name + " reference", LockMode::access_exclusive)
        .condition = "if the column has a foreign key";
    table_lock.notes.push_back("indexes and constraints on the column are dropped with it");
  } else {
    return false;
  }
  return true;
}

// Subcommands that move or copy the relation's files.
void storage_effects(std::string_view subtype, const Node& cmd, RelationLock& table_lock) {
  if (subtype == "AT_SetLogged" || subtype == "AT_SetUnLogged") {
    table_lock.rewrite = yes("writes a new copy of the table");
  } else if (subtype == "AT_SetTableSpace") {
    table_lock.rewrite = yes("copies its files to the new tablespace");
  } else if (subtype == "AT_SetAccessMethod") {
    table_lock.rewrite = stronger(table_lock.rewrite,
                                  depends("writes a new copy of the table unless it already uses " +
                                          identifier_sql(cmd["name"].str())));
  }
}

// Subcommands that lock other relations: partitions, parents, indexes,
// sequences.
void other_relations(const RelationName& table, RelationKind kind, std::string_view subtype,
                     const Node& cmd, LockSet& out) {
  if (subtype == "AT_AttachPartition") {
    attach_partition(table, kind, cmd["def"].body(), out);
  } else if (subtype == "AT_DetachPartition") {
    detach_partition(table, cmd["def"].body(), out);
  } else if (subtype == "AT_ClusterOn") {
    out.lock(sibling(table, cmd["name"].str()), LockMode::share_update_exclusive,
             RelationKind::index);
  } else if (subtype == "AT_AddIdentity") {
    out.implied("a new sequence", LockMode::access_exclusive, RelationKind::sequence).created =
        true;
  } else if (subtype == "AT_ChangeOwner" && kind == RelationKind::table) {
    out.implied("the indexes of " + table.sql(), LockMode::access_exclusive, RelationKind::index);
  } else if (subtype == "AT_AddInherit") {
    out.lock(relation_name(cmd["def"]), LockMode::share_update_exclusive);
  } else if (subtype == "AT_DropInherit") {
    out.lock(relation_name(cmd["def"]), LockMode::access_share);
  }
}

}  // namespace

void analyse_alter_table(const Node& s, LockSet& out) {
  RelationName table = relation_name(s["relation"]);
  RelationKind kind = kind_of_object(s["objtype"].str());
  for (const Node& item : s["cmds"].items()) {
    const Node& cmd = item.body();
    std::string_view subtype = cmd["subtype"].str();
    RelationLock& table_lock = out.lock(table, subcommand_lock(subtype, cmd), kind);
    if (!constraint_effects(table, subtype, cmd, table_lock, out)) {
      storage_effects(subtype, cmd, table_lock);
      other_relations(table, kind, subtype, cmd, out);
    }
  }
}

}  // namespace runbook::sql

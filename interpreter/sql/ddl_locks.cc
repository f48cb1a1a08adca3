// CREATE TABLE/VIEW/INDEX ... AS, DROP, REINDEX, RENAME, VACUUM, CLUSTER,
// TRUNCATE and LOCK.
#include "sql/lock_rules.h"
#include "sql/tree.h"

namespace runbook::sql {

namespace {

bool is_relation_object(std::string_view objtype) {
  return objtype == "OBJECT_TABLE" || objtype == "OBJECT_FOREIGN_TABLE" ||
         objtype == "OBJECT_INDEX" || objtype == "OBJECT_SEQUENCE" || objtype == "OBJECT_VIEW" ||
         objtype == "OBJECT_MATVIEW";
}

// A query that is stored or run once to fill a new relation: its tables are
// locked ACCESS SHARE (and read when `reads`).
void source_tables(const Node& query, bool reads, LockSet& out) {
  LockSet sources;
  analyse_query(query, sources);
  sources.planning_only();
  for (RelationLock& l : sources.entries()) {
    RelationLock& mine = l.relation.empty() ? out.implied(l.described, l.mode, l.kind)
                                            : out.lock(l.relation, l.mode, l.kind);
    mine.condition = l.condition;
    if (reads && !l.created && l.condition.empty()) {
      mine.scan = stronger(mine.scan, yes("runs the query"));
    }
  }
}

void foreign_keys_in(const Node& table_elements, LockSet& out) {
  walk(table_elements, [&](std::string_view type, const Node& body) {
    if (type == "Constraint" && body["contype"].str() == "CONSTR_FOREIGN") {
      out.lock(relation_name(body["pktable"]), LockMode::share_row_exclusive);
    } else if (type == "TableLikeClause") {
      out.lock(relation_name(body["relation"]), LockMode::access_share);
    }
    return true;
  });
}

void drop_relations(const Node& s, RelationKind kind, LockSet& out) {
  std::string_view objtype = s["removeType"].str();
  bool concurrent = s["concurrent"].boolean();
  for (const Node& list : s["objects"].items()) {
    RelationName rel = relation_from_names(name_list(list));
    if (objtype == "OBJECT_INDEX") {
      LockMode mode = concurrent ? LockMode::share_update_exclusive : LockMode::access_exclusive;
      out.lock(rel, mode, RelationKind::index);
      out.implied("the table of index " + rel.sql(), mode);
      continue;
    }
    out.lock(rel, LockMode::access_exclusive, kind);
    if (objtype == "OBJECT_TABLE") {
      out.implied("the tables " + rel.sql() + " references by foreign key",
                  LockMode::access_exclusive)
          .condition = "if it has foreign keys";
      out.implied("the partitioned table " + rel.sql() + " belongs to", LockMode::access_exclusive)
          .condition = "if it is a partition";
    }
  }
  if (concurrent) {
    out.note(
        "DROP INDEX CONCURRENTLY waits for the transactions using the table, then takes "
        "ACCESS EXCLUSIVE on the index alone");
  }
}

// DROP TRIGGER/POLICY/RULE name the table first, the object last.
void drop_on_table(const Node& s, LockMode mode, LockSet& out) {
  for (const Node& list : s["objects"].items()) {
    std::vector<std::string> names = name_list(list);
    if (names.size() >= 2) {
      names.pop_back();
      out.lock(relation_from_names(names), mode);
    }
  }
}

void reindex_one(const Node& s, bool concurrent, LockSet& out) {
  RelationName rel = relation_name(s["relation"]);
  LockMode table_mode = concurrent ? LockMode::share_update_exclusive : LockMode::share;
  LockMode index_mode = concurrent ? LockMode::share_update_exclusive : LockMode::access_exclusive;
  Effect rebuild = yes(concurrent ? "builds a new copy of the index in two passes, then swaps"
                                  : "builds a new copy of the index");
  if (s["kind"].str() == "REINDEX_OBJECT_INDEX") {
    out.lock(rel, index_mode, RelationKind::index).rewrite = rebuild;
    out.implied("the table of index " + rel.sql(), table_mode).scan = yes("reads the table");
  } else {
    out.lock(rel, table_mode).scan = yes("reads the table once per index");
    out.implied("the indexes of " + rel.sql(), index_mode, RelationKind::index).rewrite = rebuild;
  }
  if (concurrent) {
    out.note(
        "REINDEX CONCURRENTLY waits for older transactions, even on other tables, and "
        "takes ACCESS EXCLUSIVE on each old index briefly to swap it");
  } else {
    out.note(
        "ACCESS EXCLUSIVE on an index blocks every query planned on its table; REINDEX of "
        "a partitioned table or index cannot run in a transaction block");
  }
}

// What CASCADE reaches when a schema, type or domain goes: the relations in
// the schema, the tables with a column of the type (the column is dropped).
void drop_cascade(std::string_view objtype, const Node& objects, LockSet& out) {
  for (const Node& object : objects.items()) {
    if (objtype == "OBJECT_SCHEMA") {
      std::string schema = identifier_sql(string_value(object));
      out.implied("every relation in schema " + schema, LockMode::access_exclusive).condition =
          "if there is any";
    } else if (objtype == "OBJECT_TYPE" || objtype == "OBJECT_DOMAIN") {
      std::string type = relation_from_names(name_list(object.body()["names"])).sql();
      out.implied("every table with a column of type " + type, LockMode::access_exclusive)
          .condition = "if there is any";
    }
  }
}

}  // namespace

void analyse_create_table(const Node& s, LockSet& out) {
  RelationName table = relation_name(s["relation"]);
  out.create(table, RelationKind::table);
  bool partition = s.has("partbound");
  for (const Node& parent : s["inhRelations"].items()) {
    out.lock(relation_name(parent),
             partition ? LockMode::access_exclusive : LockMode::share_update_exclusive);
  }
  if (partition) {
    out.note(
        "PARTITION OF takes ACCESS EXCLUSIVE on the partitioned table: queries on it, and "
        "INSERTs routed through it, wait");
  }
  foreign_keys_in(s["tableElts"], out);
}

void analyse_create_table_as(const Node& s, LockSet& out) {
  const Node& into = s["into"];
  RelationKind kind = s["objtype"].str() == "OBJECT_MATVIEW" ? RelationKind::materialized_view
                                                             : RelationKind::table;
  out.create(relation_name(into["rel"]), kind);
  source_tables(s["query"], !into["skipData"].boolean(), out);
}

void analyse_create_view(const Node& s, LockSet& out) {
  RelationName view = relation_name(s["view"]);
  if (s["replace"].boolean()) {
    out.lock(view, LockMode::access_exclusive, RelationKind::view)
        .notes.push_back("OR REPLACE takes ACCESS EXCLUSIVE on the view if it exists");
  } else {
    out.create(view, RelationKind::view);
  }
  source_tables(s["query"], false, out);
}

void analyse_create_index(const Node& s, LockSet& out) {
  RelationName table = relation_name(s["relation"]);
  bool concurrent = s["concurrent"].boolean();
  bool only = !s["relation"]["inh"].boolean();
  RelationLock& t =
      out.lock(table, concurrent ? LockMode::share_update_exclusive : LockMode::share);
  if (only) {
    t.notes.push_back(
        "ON ONLY: the index stays invalid until an index of each partition is "
        "attached with ALTER INDEX ... ATTACH PARTITION");
  } else {
    t.scan = yes(concurrent ? "builds the index in two passes" : "builds the index");
  }
  LockMode index_mode = concurrent ? LockMode::row_exclusive : LockMode::access_exclusive;
  RelationLock& index = s.has("idxname")
                            ? out.lock(RelationName{table.schema, std::string(s["idxname"].str())},
                                       index_mode, RelationKind::index)
                            : out.implied("a new index", index_mode, RelationKind::index);
  index.created = true;
  if (concurrent) {
    out.note(
        "CONCURRENTLY waits for every transaction that writes to the table and for every "
        "older snapshot, even on other tables");
    out.note(
        "if it fails it leaves an INVALID index behind: drop it before retrying (IF NOT "
        "EXISTS would skip it)");
  }
}

void analyse_drop(const Node& s, LockSet& out) {
  std::string_view objtype = s["removeType"].str();
  if (is_relation_object(objtype)) {
    drop_relations(s, kind_of_object(objtype), out);
  } else if (objtype == "OBJECT_TRIGGER" || objtype == "OBJECT_POLICY" ||
             objtype == "OBJECT_RULE") {
    drop_on_table(s, LockMode::access_exclusive, out);
  } else if (objtype == "OBJECT_STATISTIC_EXT") {
    for (const Node& list : s["objects"].items()) {
      out.implied("the table of statistics " + relation_from_names(name_list(list)).sql(),
                  LockMode::share_update_exclusive);
    }
  }
  if (s["behavior"].str() == "DROP_CASCADE") {
    drop_cascade(objtype, s["objects"], out);
    out.note(
        "CASCADE also drops every object that depends on it, with ACCESS EXCLUSIVE on "
        "each table it touches");
  }
}

void analyse_reindex(const Node& s, LockSet& out) {
  bool concurrent = option_is_true(s["params"], "concurrently");
  std::string_view kind = s["kind"].str();
  if (kind == "REINDEX_OBJECT_INDEX" || kind == "REINDEX_OBJECT_TABLE") {
    reindex_one(s, concurrent, out);
    return;
  }
  std::string where = kind == "REINDEX_OBJECT_SCHEMA"
                          ? "in schema " + identifier_sql(s["name"].str())
                          : "in the database";
  RelationLock& each = out.implied("each table " + where + ", one at a time",
                                   concurrent ? LockMode::share_update_exclusive : LockMode::share);
  each.scan = yes("reads each table once per index");
  out.implied("each index " + where + ", one at a time",
              concurrent ? LockMode::share_update_exclusive : LockMode::access_exclusive,
              RelationKind::index)
      .rewrite = yes("builds a new copy of each index");
  out.note("each table is reindexed in its own transaction");
}

void analyse_rename(const Node& s, LockSet& out) {
  std::string_view type = s["renameType"].str();
  RelationName rel = relation_name(s["relation"]);
  if (type == "OBJECT_INDEX") {
    out.lock(rel, LockMode::share_update_exclusive, RelationKind::index);
  } else if (is_relation_object(type)) {
    out.lock(rel, LockMode::access_exclusive, kind_of_object(type));
  } else if (type == "OBJECT_COLUMN" || type == "OBJECT_TABCONSTRAINT" ||
             type == "OBJECT_TRIGGER" || type == "OBJECT_POLICY" || type == "OBJECT_RULE") {
    // relationType is unset (printed as OBJECT_ACCESS_METHOD) unless written.
    std::string_view of = s["relationType"].str();
    out.lock(rel, LockMode::access_exclusive,
             is_relation_object(of) ? kind_of_object(of) : RelationKind::table);
  }
}

void analyse_maintenance(std::string_view node, const Node& s, LockSet& out) {
  bool vacuum = node == "VacuumStmt" && s["is_vacuumcmd"].boolean();
  bool rewrite = node == "ClusterStmt" || (vacuum && option_is_true(s["options"], "full"));
  LockMode mode = rewrite ? LockMode::access_exclusive : LockMode::share_update_exclusive;
  // ANALYZE reads a random sample of pages, not the whole table.
  Effect work = rewrite  ? yes("writes a new copy of the table and its indexes")
                : vacuum ? yes("reads the table")
                         : Effect{};
  std::vector<RelationName> tables;
  if (node == "ClusterStmt" && s.has("relation")) {
    tables.push_back(relation_name(s["relation"]));
  }
  for (const Node& rel : s["rels"].items()) {
    tables.push_back(relation_name(rel.body()["relation"]));
  }
  for (const RelationName& table : tables) {
    RelationLock& l = out.lock(table, mode);
    (rewrite ? l.rewrite : l.scan) = work;
  }
  if (tables.empty()) {
    std::string which =
        node == "ClusterStmt" ? "each table clustered before" : "each table in the database";
    RelationLock& l = out.implied(which + ", one at a time", mode);
    (rewrite ? l.rewrite : l.scan) = work;
  }
}

void analyse_truncate(const Node& s, LockSet& out) {
  bool cascade = s["behavior"].str() == "DROP_CASCADE";
  for (const Node& rv : s["relations"].items()) {
    RelationName rel = relation_name(rv);
    out.lock(rel, LockMode::access_exclusive);
    if (cascade) {
      out.implied("every table referencing " + rel.sql() + " by foreign key",
                  LockMode::access_exclusive)
          .condition = "if any";
    }
  }
  out.note("TRUNCATE swaps in empty files: instant, and every row is gone");
  if (cascade) {
    out.note("CASCADE empties every table that references these, too");
  } else {
    out.note(
        "fails if another table references it by foreign key, unless that table is "
        "truncated in the same statement");
  }
}

void analyse_lock(const Node& s, LockSet& out) {
  LockMode mode = lock_mode_from_level(static_cast<long>(s["mode"].integer()))
                      .value_or(LockMode::access_exclusive);
  for (const Node& rv : s["relations"].items()) {
    out.lock(relation_name(rv), mode);
  }
  if (s["nowait"].boolean()) {
    out.note("NOWAIT: fails at once instead of waiting");
  }
}

}  // namespace runbook::sql

// Statements on objects that live on tables (triggers, policies, rules,
// comments, statistics), sequences, domains, enums, materialized views,
// publications, and everything that locks no table at all.
#include "sql/lock_rules.h"
#include "sql/tree.h"

namespace runbook::sql {

namespace {

// COMMENT ON: SHARE UPDATE EXCLUSIVE on a relation or on the table of a
// column; an object that lives on a table (constraint, trigger, policy,
// rule) locks only itself, and its table ACCESS SHARE.
void comment(const Node& s, LockSet& out) {
  std::string_view objtype = s["objtype"].str();
  std::vector<std::string> names = name_list(s["object"]);
  if (names.empty()) {
    return;
  }
  if (objtype == "OBJECT_TABLE" || objtype == "OBJECT_VIEW" || objtype == "OBJECT_MATVIEW" ||
      objtype == "OBJECT_FOREIGN_TABLE" || objtype == "OBJECT_SEQUENCE") {
    out.lock(relation_from_names(names), LockMode::share_update_exclusive);
  } else if (objtype == "OBJECT_INDEX") {
    out.lock(relation_from_names(names), LockMode::share_update_exclusive, RelationKind::index);
  } else if (objtype == "OBJECT_COLUMN") {
    names.pop_back();
    out.lock(relation_from_names(names), LockMode::share_update_exclusive);
  } else if (objtype == "OBJECT_TABCONSTRAINT" || objtype == "OBJECT_TRIGGER" ||
             objtype == "OBJECT_POLICY" || objtype == "OBJECT_RULE") {
    names.pop_back();
    out.lock(relation_from_names(names), LockMode::access_share);
  }
}

// ALTER DOMAIN: adding, validating or requiring NOT NULL checks every column
// of the domain, under SHARE on each table that has one.
void alter_domain(const Node& s, LockSet& out) {
  std::string_view subtype = s["subtype"].str();
  std::string domain = relation_from_names(name_list(s["typeName"])).sql();
  bool checks = subtype == "V" || subtype == "O" ||
                (subtype == "C" && !s["def"].body()["skip_validation"].boolean());
  if (subtype == "C" && !checks) {
    out.note("NOT VALID: existing values are not checked, no table is locked");
  }
  if (checks) {
    RelationLock& l = out.implied("every table with a column of domain " + domain, LockMode::share);
    l.scan = yes("checks every value of the domain");
  }
}

void refresh_materialized_view(const Node& s, LockSet& out) {
  RelationName mv = relation_name(s["relation"]);
  if (s["concurrent"].boolean()) {
    RelationLock& l = out.lock(mv, LockMode::exclusive, RelationKind::materialized_view);
    l.scan = yes("runs the query and applies the differences");
    out.note("CONCURRENTLY needs a unique index on the materialized view; reads go on");
  } else {
    RelationLock& l = out.lock(mv, LockMode::access_exclusive, RelationKind::materialized_view);
    if (!s["skipData"].boolean()) {
      l.rewrite = yes("runs the query into new files");
    }
  }
  RelationLock& sources = out.implied("the tables the view reads", LockMode::access_share);
  if (!s["skipData"].boolean()) {
    sources.scan = yes("runs the view's query");
  }
}

void alter_sequence(const Node& s, LockSet& out) {
  out.lock(relation_name(s["sequence"]), LockMode::share_row_exclusive, RelationKind::sequence);
  if (const Node* owned = find_option(s["options"], "owned_by")) {
    std::vector<std::string> names = name_list((*owned)["arg"]);
    if (names.size() >= 2) {  // table.column; OWNED BY NONE is one name
      names.pop_back();
      out.lock(relation_from_names(names), LockMode::access_share);
    }
  }
}

void publication(const Node& s, LockSet& out) {
  walk(s["pubobjects"], [&](std::string_view type, const Node& body) {
    if (type == "RangeVar") {
      out.lock(relation_name(body), LockMode::share_update_exclusive);
    }
    return true;
  });
}

void set_schema(const Node& s, LockSet& out) {
  std::string_view objtype = s["objectType"].str();
  if (objtype == "OBJECT_TABLE" || objtype == "OBJECT_VIEW" || objtype == "OBJECT_MATVIEW" ||
      objtype == "OBJECT_SEQUENCE" || objtype == "OBJECT_FOREIGN_TABLE") {
    out.lock(relation_name(s["relation"]), LockMode::access_exclusive);
    out.note("the table's indexes, constraints and owned sequences move with it");
  }
}

void create_trigger(const Node& s, LockSet& out) {
  out.lock(relation_name(s["relation"]), LockMode::share_row_exclusive);
}

void policy(const Node& s, LockSet& out) {
  out.lock(relation_name(s["table"]), LockMode::access_exclusive);
}

void rule(const Node& s, LockSet& out) {
  out.lock(relation_name(s["relation"]), LockMode::access_exclusive);
}

void create_statistics(const Node& s, LockSet& out) {
  for (const Node& rv : s["relations"].items()) {
    out.lock(relation_name(rv), LockMode::share_update_exclusive);
  }
}

void create_sequence(const Node& s, LockSet& out) {
  out.create(relation_name(s["sequence"]), RelationKind::sequence);
}

void alter_enum(const Node&, LockSet& out) {
  out.note(
      "locks only the type; a value added inside a transaction cannot be used until "
      "it commits");
}

void move_tablespace(const Node& s, LockSet& out) {
  out.implied("every relation in tablespace " + identifier_sql(s["orig_tablespacename"].str()),
              LockMode::access_exclusive)
      .rewrite = yes("copies its files to the new tablespace");
}

void create_extension(const Node&, LockSet& out) {
  out.note("the extension's script may lock what it touches");
}

void owned_objects(const Node&, LockSet& out) {
  out.implied("every table the roles own", LockMode::access_exclusive);
}

struct Route {
  std::string_view node;
  void (*handler)(const Node& s, LockSet& out);
};

constexpr Route kRoutes[] = {
    {"CreateTrigStmt", create_trigger},
    {"CreatePolicyStmt", policy},
    {"AlterPolicyStmt", policy},
    {"RuleStmt", rule},
    {"CommentStmt", comment},
    {"SecLabelStmt", comment},
    {"CreateStatsStmt", create_statistics},
    {"CreateSeqStmt", create_sequence},
    {"AlterSeqStmt", alter_sequence},
    {"AlterDomainStmt", alter_domain},
    {"AlterEnumStmt", alter_enum},
    {"RefreshMatViewStmt", refresh_materialized_view},
    {"CreatePublicationStmt", publication},
    {"AlterPublicationStmt", publication},
    {"AlterObjectSchemaStmt", set_schema},
    {"AlterTableMoveAllStmt", move_tablespace},
    {"CreateExtensionStmt", create_extension},
    {"DropOwnedStmt", owned_objects},
    {"ReassignOwnedStmt", owned_objects},
};

}  // namespace

void analyse_object_ddl(std::string_view node, const Node& s, LockSet& out) {
  for (const Route& r : kRoutes) {
    if (r.node == node) {
      r.handler(s, out);
      return;
    }
  }
  // Anything else (CREATE FUNCTION, GRANT, SET, ...) locks no table.
}

}  // namespace runbook::sql

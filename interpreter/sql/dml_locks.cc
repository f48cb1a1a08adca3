// Queries and data changes: SELECT (with FOR UPDATE/SHARE, INTO, WITH),
// INSERT, UPDATE, DELETE, MERGE, COPY, EXPLAIN.
#include "sql/lock_rules.h"
#include "sql/tree.h"

#include <algorithm>

namespace runbook::sql {

namespace {

bool is_data_change(std::string_view type) {
  return type == "InsertStmt" || type == "UpdateStmt" || type == "DeleteStmt" ||
         type == "MergeStmt";
}

std::vector<std::string> cte_names(const Node& stmt) {
  std::vector<std::string> names;
  walk(stmt, [&](std::string_view type, const Node& body) {
    if (type == "CommonTableExpr") {
      names.emplace_back(body["ctename"].str());
    }
    return true;
  });
  return names;
}

// FOR UPDATE/SHARE on one SELECT level: ROW SHARE on the relations it
// names, or on every relation of its FROM list when it names none.
void row_locking(const Node& select, const std::vector<std::string>& ctes, LockSet& out) {
  std::vector<RelationName> locked;
  for (const Node& clause : select["lockingClause"].items()) {
    const Node& rels = clause.body()["lockedRels"];
    if (rels.items().empty()) {
      walk(select["fromClause"], [&](std::string_view type, const Node& body) {
        if (type == "RangeVar") {
          locked.push_back(relation_name(body));
        }
        return true;
      });
    }
    for (const Node& rv : rels.items()) {
      locked.push_back(relation_name(rv));
    }
  }
  for (const RelationName& rel : locked) {
    bool is_cte = rel.schema.empty() && std::find(ctes.begin(), ctes.end(), rel.name) != ctes.end();
    if (!is_cte) {
      out.lock(rel, LockMode::row_share);
    }
  }
  out.note("row locks on the rows it returns, held until commit");
}

void data_change(std::string_view type, const Node& body, LockSet& out) {
  RelationName target = relation_name(body["relation"]);
  RelationLock& lock = out.lock(target, LockMode::row_exclusive);
  if (type == "UpdateStmt" || type == "DeleteStmt") {
    if (body.has("whereClause")) {
      out.note("row locks on the rows it changes, held until commit");
    } else {
      lock.scan = yes("changes every row");
      out.note("no WHERE: every row of " + target.sql() +
               " is locked until commit; UPDATE, DELETE and SELECT FOR UPDATE of any row wait "
               "(plain reads and INSERTs go on)");
    }
  }
  if (type == "InsertStmt" || type == "UpdateStmt" || type == "MergeStmt") {
    RelationLock& parents = out.implied("the tables " + target.sql() + " references by foreign key",
                                        LockMode::row_share);
    parents.condition = "if it has foreign keys";
  }
}

}  // namespace

void analyse_query(const Node& stmt, LockSet& out) {
  std::vector<std::string> ctes = cte_names(stmt);
  walk(stmt, [&](std::string_view type, const Node& body) {
    if (is_data_change(type)) {
      data_change(type, body, out);
    } else if (type == "SelectStmt") {
      if (body.has("intoClause")) {
        out.create(relation_name(body["intoClause"]["rel"]), RelationKind::table);
      }
      if (body.has("lockingClause")) {
        row_locking(body, ctes, out);
      }
    } else if (type == "RangeVar") {
      RelationName rel = relation_name(body);
      bool is_cte =
          rel.schema.empty() && std::find(ctes.begin(), ctes.end(), rel.name) != ctes.end();
      if (!is_cte) {
        out.lock(rel, LockMode::access_share);
      }
    }
    return true;
  });
}

void analyse_explain(const Node& s, LockSet& out) {
  analyse_query(s["query"], out);
  if (!option_is_true(s["options"], "analyze")) {
    out.planning_only();
    out.note(
        "EXPLAIN without ANALYZE only plans the statement: it takes these locks "
        "but reads and changes nothing");
  }
}

void analyse_copy(const Node& s, LockSet& out) {
  if (s.has("query")) {
    analyse_query(s["query"], out);
    return;
  }
  RelationName rel = relation_name(s["relation"]);
  if (s["is_from"].boolean()) {
    out.lock(rel, LockMode::row_exclusive);
    out.implied("the tables " + rel.sql() + " references by foreign key", LockMode::row_share)
        .condition = "if it has foreign keys";
  } else {
    out.lock(rel, LockMode::access_share).scan = yes("reads every row");
  }
}

}  // namespace runbook::sql

#include "sql/classify.h"

#include "base/strings.h"
#include "sql/command_tag.h"
#include "sql/tree.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace runbook::sql {

namespace {

constexpr std::int64_t kCursorOptHold = 0x20;  // CURSOR_OPT_HOLD in parsenodes.h

// What one walk over a statement finds; classification needs several of
// these, and one pass keeps parsing a large runbook fast.
struct TreeFacts {
  bool locking_clause = false;  // FOR UPDATE/SHARE anywhere
  bool data_modifying = false;  // INSERT/UPDATE/DELETE/MERGE anywhere (e.g. in WITH)
  std::vector<std::string_view> cte_names;
  std::vector<std::pair<std::int64_t, RelationName>> range_vars;  // with their location
};

TreeFacts gather_facts(const Node& s) {
  TreeFacts facts;
  walk(s, [&](std::string_view type, const Node& body) {
    if (type == "RangeVar") {
      facts.range_vars.emplace_back(body["location"].integer(), relation_name(body));
    } else if (type == "CommonTableExpr") {
      facts.cte_names.push_back(body["ctename"].str());
    } else if (type == "LockingClause") {
      facts.locking_clause = true;
    } else if (type == "InsertStmt" || type == "UpdateStmt" || type == "DeleteStmt" ||
               type == "MergeStmt") {
      facts.data_modifying = true;
    }
    return true;
  });
  return facts;
}

// `facts` are those of the outermost statement, which holds `stmt`.
bool read_only_with(const Node& stmt, const TreeFacts& facts) {
  std::string_view node = stmt.type();
  const Node& s = stmt.body();
  if (node == "SelectStmt") {
    return !s.has("intoClause") && !facts.locking_clause && !facts.data_modifying;
  }
  if (node == "VariableShowStmt") {
    return true;
  }
  if (node == "ExplainStmt") {
    return !option_is_true(s["options"], "analyze") || read_only_with(s["query"], facts);
  }
  return false;
}

bool writing_with(const Node& stmt, const TreeFacts& facts) {
  static constexpr std::array kNeverWrite = {
      std::string_view("VariableSetStmt"),    std::string_view("VariableShowStmt"),
      std::string_view("TransactionStmt"),    std::string_view("LockStmt"),
      std::string_view("ListenStmt"),         std::string_view("UnlistenStmt"),
      std::string_view("NotifyStmt"),         std::string_view("PrepareStmt"),
      std::string_view("DeallocateStmt"),     std::string_view("FetchStmt"),
      std::string_view("ClosePortalStmt"),    std::string_view("DiscardStmt"),
      std::string_view("CheckPointStmt"),     std::string_view("LoadStmt"),
      std::string_view("ConstraintsSetStmt"), std::string_view("DeclareCursorStmt")};
  std::string_view node = stmt.type();
  const Node& s = stmt.body();
  if (node == "SelectStmt") {
    return s.has("intoClause") || facts.data_modifying;
  }
  if (node == "ExplainStmt") {
    return option_is_true(s["options"], "analyze") && writing_with(s["query"], facts);
  }
  if (node == "CopyStmt") {
    return s["is_from"].boolean() || facts.data_modifying;
  }
  return std::find(kNeverWrite.begin(), kNeverWrite.end(), node) == kNeverWrite.end();
}

using Words = std::pair<std::string_view, std::string_view>;

// Statements PostgreSQL refuses in a transaction block whatever they say.
constexpr std::array<Words, 6> kAlwaysRefused = {{
    {"CreatedbStmt", "CREATE DATABASE"},
    {"DropdbStmt", "DROP DATABASE"},
    {"CreateTableSpaceStmt", "CREATE TABLESPACE"},
    {"DropTableSpaceStmt", "DROP TABLESPACE"},
    {"AlterSystemStmt", "ALTER SYSTEM"},
    // Refused only when the subscription has a replication slot, which only
    // the catalog knows; autocommit is right either way.
    {"DropSubscriptionStmt", "DROP SUBSCRIPTION"},
}};

// An option that is on unless written off (connect, create_slot, refresh).
bool on_unless_off(const Node& options, std::string_view name) {
  return find_option(options, name) == nullptr || option_is_true(options, name);
}

std::string_view reindex_refusal(const Node& s) {
  if (option_is_true(s["params"], "concurrently")) {
    return "REINDEX CONCURRENTLY";
  }
  std::string_view kind = s["kind"].str();
  if (kind == "REINDEX_OBJECT_SCHEMA") {
    return "REINDEX SCHEMA";
  }
  if (kind == "REINDEX_OBJECT_SYSTEM") {
    return "REINDEX SYSTEM";
  }
  // REINDEX of a partitioned table or index is refused too; only the
  // catalog knows, so lock_impact notes it.
  return kind == "REINDEX_OBJECT_DATABASE" ? "REINDEX DATABASE" : "";
}

std::string_view subscription_refusal(std::string_view node, const Node& s) {
  const Node& options = s["options"];
  if (node == "CreateSubscriptionStmt") {
    bool slot = on_unless_off(options, "connect") && on_unless_off(options, "create_slot");
    return slot ? "CREATE SUBSCRIPTION ... WITH (create_slot = true)" : "";
  }
  std::string_view kind = s["kind"].str();
  if (kind == "ALTER_SUBSCRIPTION_REFRESH") {
    return "ALTER SUBSCRIPTION ... REFRESH";
  }
  bool publication_change = kind == "ALTER_SUBSCRIPTION_SET_PUBLICATION" ||
                            kind == "ALTER_SUBSCRIPTION_ADD_PUBLICATION" ||
                            kind == "ALTER_SUBSCRIPTION_DROP_PUBLICATION";
  return publication_change && on_unless_off(options, "refresh") ? "ALTER SUBSCRIPTION with refresh"
                                                                 : "";
}

bool detaches_concurrently(const Node& alter_table) {
  for (const Node& cmd : alter_table["cmds"].items()) {
    const Node& c = cmd.body();
    if (c["subtype"].str() == "AT_DetachPartition" && c["def"].body()["concurrent"].boolean()) {
      return true;
    }
  }
  return false;
}

// The name PostgreSQL uses in "X cannot run inside a transaction block", or
// "" when the statement may run in one. Each case is PreventInTransactionBlock
// in PostgreSQL 15; every message was checked against a 15 server.
std::string_view refused_in_transaction(std::string_view node, const Node& s) {
  for (const auto& [always, words] : kAlwaysRefused) {
    if (always == node) {
      return words;
    }
  }
  if (node == "ReindexStmt") {
    return reindex_refusal(s);
  }
  if (node == "CreateSubscriptionStmt" || node == "AlterSubscriptionStmt") {
    return subscription_refusal(node, s);
  }
  std::string_view kind = s["kind"].str();
  std::string_view target = s["target"].str();
  bool concurrent = s["concurrent"].boolean();
  if (node == "IndexStmt" && concurrent) {
    return "CREATE INDEX CONCURRENTLY";
  }
  if (node == "DropStmt" && concurrent) {
    return "DROP INDEX CONCURRENTLY";
  }
  if (node == "VacuumStmt" && s["is_vacuumcmd"].boolean()) {
    return "VACUUM";
  }
  if (node == "ClusterStmt" && !s.has("relation")) {
    return "CLUSTER";
  }
  if (node == "DiscardStmt" && target == "DISCARD_ALL") {
    return "DISCARD ALL";
  }
  if (node == "AlterTableStmt" && detaches_concurrently(s)) {
    return "ALTER TABLE ... DETACH CONCURRENTLY";
  }
  if (node == "AlterDatabaseStmt" && find_option(s["options"], "tablespace") != nullptr) {
    return "ALTER DATABASE SET TABLESPACE";
  }
  if (node == "TransactionStmt" && kind == "TRANS_STMT_COMMIT_PREPARED") {
    return "COMMIT PREPARED";
  }
  if (node == "TransactionStmt" && kind == "TRANS_STMT_ROLLBACK_PREPARED") {
    return "ROLLBACK PREPARED";
  }
  return "";
}

// Why the statement is useless or an error outside a transaction block, or "".
std::string needs_transaction_block(std::string_view node, const Node& s) {
  if (node == "LockStmt") {
    return "LOCK TABLE can only be used in transaction blocks";
  }
  if (node == "DeclareCursorStmt" && (s["options"].integer() & kCursorOptHold) == 0) {
    return "DECLARE CURSOR can only be used in transaction blocks";
  }
  if (node == "TransactionStmt") {
    std::string_view kind = s["kind"].str();
    if (kind == "TRANS_STMT_SAVEPOINT") {
      return "SAVEPOINT can only be used in transaction blocks";
    }
    if (kind == "TRANS_STMT_RELEASE") {
      return "RELEASE SAVEPOINT can only be used in transaction blocks";
    }
    if (kind == "TRANS_STMT_ROLLBACK_TO") {
      return "ROLLBACK TO SAVEPOINT can only be used in transaction blocks";
    }
  }
  if (node == "VariableSetStmt") {
    if (s["kind"].str() == "VAR_SET_MULTI" && s["name"].str() == "TRANSACTION") {
      return "SET TRANSACTION has no effect outside a transaction block";
    }
    if (s["is_local"].boolean()) {
      return "SET LOCAL has no effect outside a transaction block";
    }
  }
  return "";
}

bool is_concurrently(std::string_view node, const Node& s) {
  if (node == "IndexStmt" || node == "DropStmt" || node == "RefreshMatViewStmt") {
    return s["concurrent"].boolean();
  }
  if (node == "ReindexStmt") {
    return option_is_true(s["params"], "concurrently");
  }
  if (node == "AlterTableStmt") {
    return detaches_concurrently(s);
  }
  return false;
}

// DropStmt/CommentStmt name their objects with name lists, not RangeVars.
// For an object that lives on a relation (trigger, policy, rule, column,
// constraint) the last name is the object's own and is left out. `single`:
// `objects` is one name list rather than a list of them.
void add_named_objects(std::string_view object_type, const Node& objects, bool single,
                       std::vector<RelationName>& out) {
  static constexpr std::array kRelationTypes = {
      std::string_view("OBJECT_TABLE"),    std::string_view("OBJECT_VIEW"),
      std::string_view("OBJECT_MATVIEW"),  std::string_view("OBJECT_INDEX"),
      std::string_view("OBJECT_SEQUENCE"), std::string_view("OBJECT_FOREIGN_TABLE")};
  static constexpr std::array kOnRelationTypes = {
      std::string_view("OBJECT_TRIGGER"), std::string_view("OBJECT_POLICY"),
      std::string_view("OBJECT_RULE"), std::string_view("OBJECT_COLUMN"),
      std::string_view("OBJECT_TABCONSTRAINT")};
  bool whole =
      std::find(kRelationTypes.begin(), kRelationTypes.end(), object_type) != kRelationTypes.end();
  bool on_relation = std::find(kOnRelationTypes.begin(), kOnRelationTypes.end(), object_type) !=
                     kOnRelationTypes.end();
  if (!whole && !on_relation) {
    return;
  }
  auto add = [&](const Node& list) {
    std::vector<std::string> names = name_list(list);
    if (on_relation && !names.empty()) {
      names.pop_back();
    }
    if (!names.empty()) {
      out.push_back(relation_from_names(names));
    }
  };
  if (single) {
    add(objects);
  } else {
    for (const Node& list : objects.items()) {
      add(list);
    }
  }
}

std::vector<RelationName> named_relations(std::string_view node, const Node& s,
                                          const TreeFacts& facts) {
  const std::vector<std::string_view>& cte_names = facts.cte_names;
  std::vector<std::pair<std::int64_t, RelationName>> found = facts.range_vars;
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<RelationName> out;
  if (node == "DropStmt") {
    add_named_objects(s["removeType"].str(), s["objects"], false, out);
  } else if (node == "CommentStmt") {
    add_named_objects(s["objtype"].str(), s["object"], true, out);
  }
  for (auto& [location, rel] : found) {
    bool is_cte = rel.schema.empty() &&
                  std::find(cte_names.begin(), cte_names.end(), rel.name) != cte_names.end();
    if (!is_cte) {
      out.push_back(std::move(rel));
    }
  }
  std::vector<RelationName> unique;
  for (RelationName& rel : out) {
    if (std::find(unique.begin(), unique.end(), rel) == unique.end()) {
      unique.push_back(std::move(rel));
    }
  }
  return unique;
}

// The value of SET as written. Simple constants come from the tree; anything
// else (negative numbers, which the JSON loses, casts, lists) from the text.
std::string setting_value(const Node& args, std::string_view input, std::size_t end) {
  std::span<const Node> items = args.items();
  if (items.size() == 1 && items[0].type() == "A_Const") {
    const Node& c = items[0].body();
    if (c.has("sval")) {
      return std::string(c["sval"]["sval"].str());
    }
    if (c.has("fval")) {
      return std::string(c["fval"]["fval"].str());
    }
    if (c["ival"].has("ival")) {
      return std::to_string(c["ival"]["ival"].integer());
    }
  }
  if (items.empty()) {
    return "";
  }
  auto begin = static_cast<std::size_t>(items[0].body()["location"].integer());
  if (begin >= end || end > input.size()) {
    return "";
  }
  return std::string(trim(input.substr(begin, end - begin)));
}

std::optional<SettingChange> setting_change(const Node& s, std::string_view input,
                                            std::size_t end) {
  std::string_view kind = s["kind"].str();
  SettingChange change;
  change.name = std::string(s["name"].str());
  change.local = s["is_local"].boolean();
  if (kind == "VAR_SET_VALUE") {
    change.value = setting_value(s["args"], input, end);
  } else if (kind == "VAR_SET_DEFAULT") {
    change.value = "DEFAULT";
  } else if (kind == "VAR_SET_CURRENT") {
    change.value = "FROM CURRENT";
  } else if (kind == "VAR_RESET_ALL") {
    change.name = "all";
  } else if (kind != "VAR_RESET") {
    return std::nullopt;  // SET TRANSACTION / SESSION CHARACTERISTICS: not one parameter
  }
  return change;
}

}  // namespace

bool is_read_only(const Node& stmt) {
  return read_only_with(stmt, gather_facts(stmt));
}

bool is_writing(const Node& stmt) {
  return writing_with(stmt, gather_facts(stmt));
}

StatementInfo classify_statement(const Node& stmt, std::string_view input, std::size_t end) {
  StatementInfo info;
  std::string_view node = stmt.type();
  const Node& s = stmt.body();
  info.node = std::string(node);
  info.tag = command_tag(stmt);
  info.transaction_control = node == "TransactionStmt";
  std::string_view refused = refused_in_transaction(node, s);
  if (!refused.empty()) {
    info.can_run_in_transaction = false;
    info.no_transaction_reason = std::string(refused) + " cannot run inside a transaction block";
  }
  info.needs_transaction_reason = needs_transaction_block(node, s);
  info.needs_transaction = !info.needs_transaction_reason.empty();
  TreeFacts facts = gather_facts(stmt);
  info.read_only = read_only_with(stmt, facts);
  info.writes = writing_with(stmt, facts);
  info.concurrently = is_concurrently(node, s);
  // A COPY with neither a file name nor PROGRAM reads STDIN or writes STDOUT.
  info.client_copy = node == "CopyStmt" && !s.has("filename");
  info.relations = named_relations(node, s, facts);
  if (node == "VariableSetStmt") {
    info.setting = setting_change(s, input, end);
  }
  return info;
}

}  // namespace runbook::sql

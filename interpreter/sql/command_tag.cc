#include "sql/command_tag.h"

#include <array>
#include <utility>

namespace runbook::sql {

namespace {

using Pair = std::pair<std::string_view, std::string_view>;

// Statements whose tag does not depend on their fields.
constexpr std::array kFixedTags = {
    Pair{"InsertStmt", "INSERT"},
    Pair{"UpdateStmt", "UPDATE"},
    Pair{"DeleteStmt", "DELETE"},
    Pair{"MergeStmt", "MERGE"},
    Pair{"CreateStmt", "CREATE TABLE"},
    Pair{"CreateSchemaStmt", "CREATE SCHEMA"},
    Pair{"CreateDomainStmt", "CREATE DOMAIN"},
    Pair{"CreateTableSpaceStmt", "CREATE TABLESPACE"},
    Pair{"DropTableSpaceStmt", "DROP TABLESPACE"},
    Pair{"AlterTableSpaceOptionsStmt", "ALTER TABLESPACE"},
    Pair{"CreateExtensionStmt", "CREATE EXTENSION"},
    Pair{"AlterExtensionStmt", "ALTER EXTENSION"},
    Pair{"AlterExtensionContentsStmt", "ALTER EXTENSION"},
    Pair{"CreateFdwStmt", "CREATE FOREIGN DATA WRAPPER"},
    Pair{"AlterFdwStmt", "ALTER FOREIGN DATA WRAPPER"},
    Pair{"CreateForeignServerStmt", "CREATE SERVER"},
    Pair{"AlterForeignServerStmt", "ALTER SERVER"},
    Pair{"CreateUserMappingStmt", "CREATE USER MAPPING"},
    Pair{"AlterUserMappingStmt", "ALTER USER MAPPING"},
    Pair{"DropUserMappingStmt", "DROP USER MAPPING"},
    Pair{"CreateForeignTableStmt", "CREATE FOREIGN TABLE"},
    Pair{"ImportForeignSchemaStmt", "IMPORT FOREIGN SCHEMA"},
    Pair{"TruncateStmt", "TRUNCATE TABLE"},
    Pair{"CommentStmt", "COMMENT"},
    Pair{"SecLabelStmt", "SECURITY LABEL"},
    Pair{"CopyStmt", "COPY"},
    Pair{"AlterDomainStmt", "ALTER DOMAIN"},
    Pair{"AlterDefaultPrivilegesStmt", "ALTER DEFAULT PRIVILEGES"},
    Pair{"CompositeTypeStmt", "CREATE TYPE"},
    Pair{"CreateEnumStmt", "CREATE TYPE"},
    Pair{"CreateRangeStmt", "CREATE TYPE"},
    Pair{"AlterEnumStmt", "ALTER TYPE"},
    Pair{"AlterTypeStmt", "ALTER TYPE"},
    Pair{"ViewStmt", "CREATE VIEW"},
    Pair{"IndexStmt", "CREATE INDEX"},
    Pair{"RuleStmt", "CREATE RULE"},
    Pair{"CreateSeqStmt", "CREATE SEQUENCE"},
    Pair{"AlterSeqStmt", "ALTER SEQUENCE"},
    Pair{"DoStmt", "DO"},
    Pair{"CreatedbStmt", "CREATE DATABASE"},
    Pair{"AlterDatabaseStmt", "ALTER DATABASE"},
    Pair{"AlterDatabaseSetStmt", "ALTER DATABASE"},
    Pair{"AlterDatabaseRefreshCollStmt", "ALTER DATABASE"},
    Pair{"DropdbStmt", "DROP DATABASE"},
    Pair{"NotifyStmt", "NOTIFY"},
    Pair{"ListenStmt", "LISTEN"},
    Pair{"UnlistenStmt", "UNLISTEN"},
    Pair{"LoadStmt", "LOAD"},
    Pair{"CallStmt", "CALL"},
    Pair{"ClusterStmt", "CLUSTER"},
    Pair{"ExplainStmt", "EXPLAIN"},
    Pair{"RefreshMatViewStmt", "REFRESH MATERIALIZED VIEW"},
    Pair{"AlterSystemStmt", "ALTER SYSTEM"},
    Pair{"VariableShowStmt", "SHOW"},
    Pair{"CreateTransformStmt", "CREATE TRANSFORM"},
    Pair{"CreateTrigStmt", "CREATE TRIGGER"},
    Pair{"CreateEventTrigStmt", "CREATE EVENT TRIGGER"},
    Pair{"AlterEventTrigStmt", "ALTER EVENT TRIGGER"},
    Pair{"CreatePLangStmt", "CREATE LANGUAGE"},
    Pair{"CreateRoleStmt", "CREATE ROLE"},
    Pair{"AlterRoleStmt", "ALTER ROLE"},
    Pair{"AlterRoleSetStmt", "ALTER ROLE"},
    Pair{"DropRoleStmt", "DROP ROLE"},
    Pair{"DropOwnedStmt", "DROP OWNED"},
    Pair{"ReassignOwnedStmt", "REASSIGN OWNED"},
    Pair{"LockStmt", "LOCK TABLE"},
    Pair{"ConstraintsSetStmt", "SET CONSTRAINTS"},
    Pair{"CheckPointStmt", "CHECKPOINT"},
    Pair{"ReindexStmt", "REINDEX"},
    Pair{"CreateConversionStmt", "CREATE CONVERSION"},
    Pair{"CreateCastStmt", "CREATE CAST"},
    Pair{"CreateOpClassStmt", "CREATE OPERATOR CLASS"},
    Pair{"CreateOpFamilyStmt", "CREATE OPERATOR FAMILY"},
    Pair{"AlterOpFamilyStmt", "ALTER OPERATOR FAMILY"},
    Pair{"AlterOperatorStmt", "ALTER OPERATOR"},
    Pair{"AlterTSDictionaryStmt", "ALTER TEXT SEARCH DICTIONARY"},
    Pair{"AlterTSConfigurationStmt", "ALTER TEXT SEARCH CONFIGURATION"},
    Pair{"CreatePolicyStmt", "CREATE POLICY"},
    Pair{"AlterPolicyStmt", "ALTER POLICY"},
    Pair{"CreateAmStmt", "CREATE ACCESS METHOD"},
    Pair{"CreatePublicationStmt", "CREATE PUBLICATION"},
    Pair{"AlterPublicationStmt", "ALTER PUBLICATION"},
    Pair{"CreateSubscriptionStmt", "CREATE SUBSCRIPTION"},
    Pair{"AlterSubscriptionStmt", "ALTER SUBSCRIPTION"},
    Pair{"DropSubscriptionStmt", "DROP SUBSCRIPTION"},
    Pair{"AlterCollationStmt", "ALTER COLLATION"},
    Pair{"PrepareStmt", "PREPARE"},
    Pair{"ExecuteStmt", "EXECUTE"},
    Pair{"CreateStatsStmt", "CREATE STATISTICS"},
    Pair{"AlterStatsStmt", "ALTER STATISTICS"},
    Pair{"DeclareCursorStmt", "DECLARE CURSOR"},
};

constexpr std::array kObjectWords = {
    Pair{"OBJECT_ACCESS_METHOD", "ACCESS METHOD"},
    Pair{"OBJECT_AGGREGATE", "AGGREGATE"},
    Pair{"OBJECT_CAST", "CAST"},
    Pair{"OBJECT_COLUMN", "TABLE"},  // ALTER TABLE ... RENAME COLUMN
    Pair{"OBJECT_COLLATION", "COLLATION"},
    Pair{"OBJECT_CONVERSION", "CONVERSION"},
    Pair{"OBJECT_DATABASE", "DATABASE"},
    Pair{"OBJECT_DOMAIN", "DOMAIN"},
    Pair{"OBJECT_DOMCONSTRAINT", "DOMAIN"},
    Pair{"OBJECT_EVENT_TRIGGER", "EVENT TRIGGER"},
    Pair{"OBJECT_EXTENSION", "EXTENSION"},
    Pair{"OBJECT_FDW", "FOREIGN DATA WRAPPER"},
    Pair{"OBJECT_FOREIGN_SERVER", "SERVER"},
    Pair{"OBJECT_FOREIGN_TABLE", "FOREIGN TABLE"},
    Pair{"OBJECT_FUNCTION", "FUNCTION"},
    Pair{"OBJECT_INDEX", "INDEX"},
    Pair{"OBJECT_LANGUAGE", "LANGUAGE"},
    Pair{"OBJECT_LARGEOBJECT", "LARGE OBJECT"},
    Pair{"OBJECT_MATVIEW", "MATERIALIZED VIEW"},
    Pair{"OBJECT_OPCLASS", "OPERATOR CLASS"},
    Pair{"OBJECT_OPERATOR", "OPERATOR"},
    Pair{"OBJECT_OPFAMILY", "OPERATOR FAMILY"},
    Pair{"OBJECT_PARAMETER_ACL", "PARAMETER"},
    Pair{"OBJECT_POLICY", "POLICY"},
    Pair{"OBJECT_PROCEDURE", "PROCEDURE"},
    Pair{"OBJECT_PUBLICATION", "PUBLICATION"},
    Pair{"OBJECT_ROLE", "ROLE"},
    Pair{"OBJECT_ROUTINE", "ROUTINE"},
    Pair{"OBJECT_RULE", "RULE"},
    Pair{"OBJECT_SCHEMA", "SCHEMA"},
    Pair{"OBJECT_SEQUENCE", "SEQUENCE"},
    Pair{"OBJECT_SUBSCRIPTION", "SUBSCRIPTION"},
    Pair{"OBJECT_STATISTIC_EXT", "STATISTICS"},
    Pair{"OBJECT_TABCONSTRAINT", "TABLE"},
    Pair{"OBJECT_TABLE", "TABLE"},
    Pair{"OBJECT_TABLESPACE", "TABLESPACE"},
    Pair{"OBJECT_TRANSFORM", "TRANSFORM"},
    Pair{"OBJECT_TRIGGER", "TRIGGER"},
    Pair{"OBJECT_TSCONFIGURATION", "TEXT SEARCH CONFIGURATION"},
    Pair{"OBJECT_TSDICTIONARY", "TEXT SEARCH DICTIONARY"},
    Pair{"OBJECT_TSPARSER", "TEXT SEARCH PARSER"},
    Pair{"OBJECT_TSTEMPLATE", "TEXT SEARCH TEMPLATE"},
    Pair{"OBJECT_TYPE", "TYPE"},
    Pair{"OBJECT_USER_MAPPING", "USER MAPPING"},
    Pair{"OBJECT_VIEW", "VIEW"},
};

constexpr std::array kTransactionTags = {
    Pair{"TRANS_STMT_BEGIN", "BEGIN"},
    Pair{"TRANS_STMT_START", "START TRANSACTION"},
    Pair{"TRANS_STMT_COMMIT", "COMMIT"},
    Pair{"TRANS_STMT_ROLLBACK", "ROLLBACK"},
    Pair{"TRANS_STMT_SAVEPOINT", "SAVEPOINT"},
    Pair{"TRANS_STMT_RELEASE", "RELEASE"},
    Pair{"TRANS_STMT_ROLLBACK_TO", "ROLLBACK"},
    Pair{"TRANS_STMT_PREPARE", "PREPARE TRANSACTION"},
    Pair{"TRANS_STMT_COMMIT_PREPARED", "COMMIT PREPARED"},
    Pair{"TRANS_STMT_ROLLBACK_PREPARED", "ROLLBACK PREPARED"},
};

template <std::size_t N>
std::string_view lookup(const std::array<Pair, N>& table, std::string_view key) {
  for (const Pair& p : table) {
    if (p.first == key) {
      return p.second;
    }
  }
  return "";
}

std::string prefixed(std::string_view verb, std::string_view object_type) {
  std::string words = object_type_words(object_type);
  return words.empty() ? std::string(verb) : std::string(verb) + " " + words;
}

// "VERB OBJECT" tags: the object type is in a field of the statement.
struct ByObjectType {
  std::string_view node;
  std::string_view verb;
  std::string_view field;
};

constexpr std::array<ByObjectType, 9> kByObjectType = {{
    {"DropStmt", "DROP", "removeType"},
    {"RenameStmt", "ALTER", "renameType"},
    {"AlterTableStmt", "ALTER", "objtype"},
    {"AlterTableMoveAllStmt", "ALTER", "objtype"},
    {"AlterObjectSchemaStmt", "ALTER", "objectType"},
    {"AlterObjectDependsStmt", "ALTER", "objectType"},
    {"AlterOwnerStmt", "ALTER", "objectType"},
    {"AlterFunctionStmt", "ALTER", "objtype"},
    {"DefineStmt", "CREATE", "kind"},
}};

// Tags chosen by one field being set (true, or present at all).
struct ByField {
  std::string_view node;
  std::string_view field;
  std::string_view when_set;
  std::string_view otherwise;
};

constexpr std::array<ByField, 8> kByField = {{
    {"SelectStmt", "intoClause", "SELECT INTO", "SELECT"},
    {"GrantStmt", "is_grant", "GRANT", "REVOKE"},
    {"GrantRoleStmt", "is_grant", "GRANT ROLE", "REVOKE ROLE"},
    {"CreateFunctionStmt", "is_procedure", "CREATE PROCEDURE", "CREATE FUNCTION"},
    {"VacuumStmt", "is_vacuumcmd", "VACUUM", "ANALYZE"},
    {"FetchStmt", "ismove", "MOVE", "FETCH"},
    {"ClosePortalStmt", "portalname", "CLOSE CURSOR", "CLOSE CURSOR ALL"},
    {"DeallocateStmt", "name", "DEALLOCATE", "DEALLOCATE ALL"},
}};

constexpr std::array kDiscardTags = {
    Pair{"DISCARD_PLANS", "DISCARD PLANS"},
    Pair{"DISCARD_SEQUENCES", "DISCARD SEQUENCES"},
    Pair{"DISCARD_TEMP", "DISCARD TEMP"},
    Pair{"DISCARD_ALL", "DISCARD ALL"},
};

bool is_set(const Node& field) {
  return field.kind() == Node::Kind::boolean ? field.boolean() : !field.is_null();
}

// The statements whose tag needs more than one field.
std::string special_tag(std::string_view node, const Node& s) {
  if (node == "TransactionStmt") {
    return std::string(lookup(kTransactionTags, s["kind"].str()));
  }
  if (node == "DiscardStmt") {
    return std::string(lookup(kDiscardTags, s["target"].str()));
  }
  if (node == "VariableSetStmt") {
    std::string_view kind = s["kind"].str();
    return kind == "VAR_RESET" || kind == "VAR_RESET_ALL" ? "RESET" : "SET";
  }
  if (node == "CreateTableAsStmt") {
    if (s["objtype"].str() == "OBJECT_MATVIEW") {
      return "CREATE MATERIALIZED VIEW";
    }
    return s["is_select_into"].boolean() ? "SELECT INTO" : "CREATE TABLE AS";
  }
  return "";
}

// Tags that depend on the statement's fields.
std::string variable_tag(std::string_view node, const Node& s) {
  for (const ByObjectType& t : kByObjectType) {
    if (t.node == node) {
      return prefixed(t.verb, s[t.field].str());
    }
  }
  for (const ByField& t : kByField) {
    if (t.node == node && !t.field.empty()) {
      return std::string(is_set(s[t.field]) ? t.when_set : t.otherwise);
    }
  }
  return special_tag(node, s);
}

}  // namespace

std::string object_type_words(std::string_view object_type) {
  return std::string(lookup(kObjectWords, object_type));
}

std::string command_tag(const Node& stmt) {
  std::string_view node = stmt.type();
  std::string_view fixed = lookup(kFixedTags, node);
  if (!fixed.empty()) {
    return std::string(fixed);
  }
  std::string tag = variable_tag(node, stmt.body());
  if (!tag.empty()) {
    return tag;
  }
  // A statement this table does not know yet: its node name, readable.
  std::string_view name =
      node.substr(0, node.size() >= 4 && node.ends_with("Stmt") ? node.size() - 4 : node.size());
  return std::string(name);
}

}  // namespace runbook::sql

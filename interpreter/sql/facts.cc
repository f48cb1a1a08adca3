// Reading a statement's parts for lint rules (see facts.h). The cost of an
// added column or a type change is not judged again here: the lock analysis
// (column_changes.cc) judges it, one subcommand at a time.
#include "sql/facts.h"

#include "sql/lock_rules.h"
#include "sql/tree.h"

#include <array>
#include <utility>

namespace runbook::sql {

namespace {

TypeRef type_ref(const Node& type_name) {
  const Node& t = type_name.body();
  RelationName qualified = relation_from_names(name_list(t["names"]));
  TypeRef ref{qualified.schema, qualified.name};
  ref.has_length = !t["typmods"].items().empty();
  ref.array = !t["arrayBounds"].items().empty();
  return ref;
}

ConstraintKind constraint_kind(std::string_view contype) {
  static constexpr std::array<std::pair<std::string_view, ConstraintKind>, 9> kKinds = {{
      {"CONSTR_CHECK", ConstraintKind::check},
      {"CONSTR_FOREIGN", ConstraintKind::foreign_key},
      {"CONSTR_UNIQUE", ConstraintKind::unique},
      {"CONSTR_PRIMARY", ConstraintKind::primary_key},
      {"CONSTR_EXCLUSION", ConstraintKind::exclusion},
      {"CONSTR_NOTNULL", ConstraintKind::not_null},
      {"CONSTR_DEFAULT", ConstraintKind::default_value},
      {"CONSTR_IDENTITY", ConstraintKind::identity},
      {"CONSTR_GENERATED", ConstraintKind::generated},
  }};
  for (const auto& [name, kind] : kKinds) {
    if (name == contype) {
      return kind;
    }
  }
  return ConstraintKind::other;
}

// `col IS NOT NULL`, the only CHECK that lets SET NOT NULL skip its scan.
std::string not_null_test_of(const Node& expr) {
  if (expr.type() != "NullTest" || expr.body()["nulltesttype"].str() != "IS_NOT_NULL") {
    return "";
  }
  const Node& arg = expr.body()["arg"];
  if (arg.type() != "ColumnRef") {
    return "";
  }
  std::vector<std::string> fields = name_list(arg.body()["fields"]);
  return fields.size() == 1 ? fields[0] : "";
}

ConstraintFacts constraint_facts(const Node& constraint) {
  const Node& c = constraint.body();
  ConstraintFacts f;
  f.kind = constraint_kind(c["contype"].str());
  f.name = c["conname"].str();
  f.not_valid = c["skip_validation"].boolean();
  f.using_index = c["indexname"].str();
  if (c.has("pktable")) {
    f.references = relation_name(c["pktable"]);
  }
  f.columns = name_list(f.kind == ConstraintKind::foreign_key ? c["fk_attrs"] : c["keys"]);
  if (f.kind == ConstraintKind::check) {
    f.not_null_of = not_null_test_of(c["raw_expr"]);
  }
  return f;
}

ColumnFacts column_facts(const Node& column_def) {
  const Node& col = column_def.body();
  ColumnFacts f;
  f.name = col["colname"].str();
  f.type = type_ref(col["typeName"]);
  for (const Node& item : col["constraints"].items()) {
    f.constraints.push_back(constraint_facts(item));
  }
  return f;
}

// What adding the column to an existing table costs, from the lock analysis
// of that column alone.
ColumnFacts added_column(const RelationName& table, const Node& column_def) {
  ColumnFacts f = column_facts(column_def);
  LockSet scratch;
  RelationLock& table_lock = scratch.lock(table, LockMode::access_exclusive);
  add_column_effects(column_def.body(), table_lock, scratch);
  f.rewrite = table_lock.rewrite;
  f.scan = table_lock.scan;
  return f;
}

AlterCommand alter_command(const RelationName& table, const Node& item) {
  const Node& cmd = item.body();
  AlterCommand c;
  c.subtype = cmd["subtype"].str();
  c.name = cmd["name"].str();
  const Node& def = cmd["def"];
  if (c.subtype == "AT_AddColumn" || c.subtype == "AT_AddColumnRecurse") {
    c.column = added_column(table, def);
  } else if (c.subtype == "AT_AlterColumnType") {
    c.column = column_facts(def);
    c.has_using = def.body().has("raw_default");
    LockSet scratch;
    RelationLock& table_lock = scratch.lock(table, LockMode::access_exclusive);
    column_type_effects(c.name, def.body(), table_lock);
    c.rewrite = table_lock.rewrite;
  } else if (def.type() == "Constraint") {
    c.constraint = constraint_facts(def);
  } else if (def.type() == "PartitionCmd") {
    c.partition = relation_name(def.body()["name"]);
    c.concurrently = def.body()["concurrent"].boolean();
  }
  return c;
}

ObjectKind object_kind(std::string_view objtype) {
  static constexpr std::array<std::pair<std::string_view, ObjectKind>, 13> kKinds = {{
      {"OBJECT_TABLE", ObjectKind::table},
      {"OBJECT_FOREIGN_TABLE", ObjectKind::table},
      {"OBJECT_INDEX", ObjectKind::index},
      {"OBJECT_VIEW", ObjectKind::view},
      {"OBJECT_MATVIEW", ObjectKind::materialized_view},
      {"OBJECT_SEQUENCE", ObjectKind::sequence},
      {"OBJECT_COLUMN", ObjectKind::column},
      {"OBJECT_TABCONSTRAINT", ObjectKind::constraint},
      {"OBJECT_SCHEMA", ObjectKind::schema},
      {"OBJECT_DATABASE", ObjectKind::database},
      {"OBJECT_TYPE", ObjectKind::type},
      {"OBJECT_DOMAIN", ObjectKind::domain},
      {"OBJECT_ENUM", ObjectKind::type},
  }};
  for (const auto& [name, kind] : kKinds) {
    if (name == objtype) {
      return kind;
    }
  }
  return ObjectKind::other;
}

// DROP names relations with name lists, schemas and databases with a bare
// String, types with a TypeName.
RelationName dropped_name(const Node& object) {
  if (object.type() == "String") {
    return RelationName{"", std::string(string_value(object))};
  }
  if (object.type() == "TypeName") {
    return relation_from_names(name_list(object.body()["names"]));
  }
  return relation_from_names(name_list(object));
}

DropFacts drop_facts(const Node& s) {
  DropFacts f;
  f.kind = object_kind(s["removeType"].str());
  for (const Node& object : s["objects"].items()) {
    f.objects.push_back(dropped_name(object));
  }
  f.if_exists = s["missing_ok"].boolean();
  f.cascade = s["behavior"].str() == "DROP_CASCADE";
  return f;
}

void alter_table(const Node& s, StatementFacts& f) {
  f.relation = relation_name(s["relation"]);
  for (const Node& item : s["cmds"].items()) {
    f.commands.push_back(alter_command(f.relation, item));
  }
}

void create_table(const Node& s, StatementFacts& f) {
  f.relation = relation_name(s["relation"]);
  for (const Node& element : s["tableElts"].items()) {
    if (element.type() == "ColumnDef") {
      f.columns.push_back(column_facts(element));
    } else if (element.type() == "Constraint") {
      f.table_constraints.push_back(constraint_facts(element));
    }
  }
}

void create_index(const Node& s, StatementFacts& f) {
  IndexFacts index;
  index.name = s["idxname"].str();
  index.table = relation_name(s["relation"]);
  index.unique = s["unique"].boolean();
  index.if_not_exists = s["if_not_exists"].boolean();
  index.only = !s["relation"]["inh"].boolean();
  f.relation = index.table;
  f.index = std::move(index);
}

void rename(const Node& s, StatementFacts& f) {
  RenameFacts r;
  r.kind = object_kind(s["renameType"].str());
  r.relation = relation_name(s["relation"]);
  r.from = s["subname"].str();
  r.to = s["newname"].str();
  f.relation = r.relation;
  f.rename = std::move(r);
}

void maintenance(std::string_view node, const Node& s, StatementFacts& f) {
  if (node == "ClusterStmt") {
    f.cluster = true;
    f.relation = relation_name(s["relation"]);
    return;
  }
  f.vacuum_full = s["is_vacuumcmd"].boolean() && option_is_true(s["options"], "full");
  const Node& first = s["rels"].items().empty() ? s["rels"] : s["rels"].items()[0];
  f.relation = relation_name(first.body()["relation"]);
}

void domain(std::string_view node, const Node& s, StatementFacts& f) {
  if (node == "CreateDomainStmt") {
    f.domain = relation_from_names(name_list(s["domainname"]));
    for (const Node& c : s["constraints"].items()) {
      ConstraintKind kind = constraint_facts(c).kind;
      f.domain_constraint |= kind == ConstraintKind::check || kind == ConstraintKind::not_null;
    }
    return;
  }
  f.domain = relation_from_names(name_list(s["typeName"]));
  if (s["subtype"].str() == "C") {  // ADD CONSTRAINT
    f.domain_constraint = true;
    f.domain_not_valid = constraint_facts(s["def"]).not_valid;
  }
}

void literals(const Node& stmt, StatementFacts& f) {
  walk(stmt, [&](std::string_view type, const Node& body) {
    if (type == "TypeCast" && body["arg"].type() == "A_Const" && body["arg"].body().has("sval")) {
      f.literals.push_back(
          {std::string(body["arg"].body()["sval"]["sval"].str()), type_ref(body["typeName"])});
      return false;
    }
    if (type == "A_Const" && body.has("sval")) {
      f.literals.push_back({std::string(body["sval"]["sval"].str()), {}});
    }
    return true;
  });
}

// The statements that need more than their relation: one reader each.
void by_node(std::string_view node, const Node& s, StatementFacts& f) {
  if (node == "AlterTableStmt") {
    alter_table(s, f);
  } else if (node == "CreateStmt") {
    create_table(s, f);
  } else if (node == "IndexStmt") {
    create_index(s, f);
  } else if (node == "DropStmt") {
    f.drop = drop_facts(s);
  } else if (node == "RenameStmt") {
    rename(s, f);
  } else if (node == "VacuumStmt" || node == "ClusterStmt") {
    maintenance(node, s, f);
  } else if (node == "CreateDomainStmt" || node == "AlterDomainStmt") {
    domain(node, s, f);
  } else if (node == "AlterEnumStmt" && s.has("newVal") && !s.has("oldVal")) {
    f.enum_type = relation_from_names(name_list(s["typeName"]));
    f.enum_value = s["newVal"].str();
  }
}

// Statements whose facts are their target relation and a flag or two.
void simple(std::string_view node, const Node& s, StatementFacts& f) {
  if (node == "UpdateStmt" || node == "DeleteStmt") {
    f.relation = relation_name(s["relation"]);
    f.missing_where = !s.has("whereClause");
  } else if (node == "TruncateStmt") {
    for (const Node& rv : s["relations"].items()) {
      f.truncated.push_back(relation_name(rv));
    }
    f.cascade = s["behavior"].str() == "DROP_CASCADE";
  } else if (node == "RefreshMatViewStmt") {
    f.refresh = true;
    f.relation = relation_name(s["relation"]);
  } else if (node == "DropdbStmt") {
    f.drop = DropFacts{ObjectKind::database,
                       {RelationName{"", std::string(s["dbname"].str())}},
                       s["missing_ok"].boolean(),
                       false};
  } else if (node == "DoStmt") {
    f.opaque = "DO";
  } else if (node == "CallStmt") {
    f.opaque = "CALL";
  } else if (node == "CreateFunctionStmt") {
    f.opaque = s["is_procedure"].boolean() ? "CREATE PROCEDURE" : "CREATE FUNCTION";
  }
}

}  // namespace

bool TypeRef::is(std::string_view builtin) const {
  return name == builtin && (schema.empty() || schema == "pg_catalog");
}

std::string TypeRef::sql() const {
  std::string out = type_sql(schema, name);
  return array ? out + "[]" : out;
}

const ConstraintFacts* ColumnFacts::find(ConstraintKind kind) const {
  for (const ConstraintFacts& c : constraints) {
    if (c.kind == kind) {
      return &c;
    }
  }
  return nullptr;
}

bool ColumnFacts::serial() const {
  static constexpr std::array<std::string_view, 6> kSerial = {"serial",  "serial4",     "bigserial",
                                                              "serial8", "smallserial", "serial2"};
  for (std::string_view s : kSerial) {
    if (type.schema.empty() && type.name == s && !type.array) {
      return true;
    }
  }
  return false;
}

StatementFacts statement_facts(const Statement& statement) {
  StatementFacts f;
  const Node& stmt = *statement.tree;
  std::string_view node = stmt.type();
  by_node(node, stmt.body(), f);
  simple(node, stmt.body(), f);
  literals(stmt, f);
  return f;
}

bool may_be_same(const RelationName& a, const RelationName& b) {
  return a.name == b.name && (a.schema.empty() || b.schema.empty() || a.schema == b.schema);
}

}  // namespace runbook::sql

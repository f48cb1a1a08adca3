// ADD COLUMN and ALTER COLUMN TYPE: when PostgreSQL 15 rewrites the table.
//
// ADD COLUMN stores a non-volatile default in the catalog and rewrites
// nothing; a volatile default, an identity, serial or stored generated
// column, or a domain type with constraints fills every row, which is a
// rewrite. ALTER COLUMN TYPE rewrites unless the old type is binary
// coercible to the new one, which only the catalog knows.
#include "sql/lock_rules.h"
#include "sql/tree.h"

#include <array>
#include <utility>

namespace runbook::sql {

namespace {

// Functions whose result changes from row to row (provolatile = 'v'),
// including the usual extension ones (pgcrypto, uuid-ossp).
constexpr std::array<std::string_view, 15> kVolatile = {"clock_timestamp",  "random",
                                                        "gen_random_uuid",  "gen_random_bytes",
                                                        "uuid_generate_v1", "uuid_generate_v1mc",
                                                        "uuid_generate_v4", "nextval",
                                                        "currval",          "lastval",
                                                        "timeofday",        "setseed",
                                                        "txid_current",     "pg_current_xact_id",
                                                        "random_normal"};

// Built-in functions that are immutable or stable: a default calling them is
// evaluated once, when the column is added.
constexpr std::array<std::string_view, 52> kNotVolatile = {"now",
                                                           "transaction_timestamp",
                                                           "statement_timestamp",
                                                           "current_setting",
                                                           "lower",
                                                           "upper",
                                                           "btrim",
                                                           "ltrim",
                                                           "rtrim",
                                                           "concat",
                                                           "concat_ws",
                                                           "length",
                                                           "char_length",
                                                           "substr",
                                                           "substring",
                                                           "replace",
                                                           "left",
                                                           "right",
                                                           "lpad",
                                                           "rpad",
                                                           "abs",
                                                           "round",
                                                           "floor",
                                                           "ceil",
                                                           "ceiling",
                                                           "trunc",
                                                           "to_char",
                                                           "to_date",
                                                           "to_timestamp",
                                                           "to_number",
                                                           "date_trunc",
                                                           "date_part",
                                                           "make_date",
                                                           "make_time",
                                                           "make_timestamp",
                                                           "make_timestamptz",
                                                           "make_interval",
                                                           "jsonb_build_object",
                                                           "jsonb_build_array",
                                                           "json_build_object",
                                                           "json_build_array",
                                                           "to_jsonb",
                                                           "to_json",
                                                           "array_to_string",
                                                           "string_to_array",
                                                           "md5",
                                                           "encode",
                                                           "decode",
                                                           "format",
                                                           "timezone",
                                                           "coalesce",
                                                           "nullif"};

// Type names that are built in (besides anything in pg_catalog, where the
// grammar puts the SQL-standard types): never a domain.
constexpr std::array<std::string_view, 40> kBuiltinTypes = {
    "text",      "uuid",        "json",      "jsonb",     "bytea",    "date",    "time",
    "timetz",    "timestamptz", "timestamp", "inet",      "cidr",     "macaddr", "macaddr8",
    "money",     "xml",         "tsvector",  "tsquery",   "point",    "line",    "lseg",
    "box",       "path",        "polygon",   "circle",    "int2",     "int4",    "int8",
    "float4",    "float8",      "bool",      "name",      "oid",      "varbit",  "int4range",
    "int8range", "numrange",    "tsrange",   "tstzrange", "daterange"};

constexpr std::array<std::string_view, 6> kSerialTypes = {"serial",  "serial4",     "bigserial",
                                                          "serial8", "smallserial", "serial2"};

template <std::size_t N>
bool listed(const std::array<std::string_view, N>& list, std::string_view name) {
  for (std::string_view x : list) {
    if (x == name) {
      return true;
    }
  }
  return false;
}

struct TypeName {
  std::string schema;
  std::string name;

  bool builtin() const {
    return schema == "pg_catalog" || (schema.empty() && listed(kBuiltinTypes, name));
  }
  // As people write it: bigint, not pg_catalog.int8.
  std::string sql() const { return type_sql(schema, name); }
};

TypeName type_name(const Node& type) {
  std::vector<std::string> names = name_list(type["names"]);
  RelationName qualified = relation_from_names(names);
  return TypeName{qualified.schema, qualified.name};
}

enum class Volatility { fixed, volatile_call, unknown };

struct DefaultKind {
  Volatility volatility = Volatility::fixed;
  std::string function;  // the call that decided it, as written: "clock_timestamp()"
};

// A volatile call anywhere makes the default volatile; otherwise a call the
// table does not know leaves it to the catalog.
DefaultKind classify_default(const Node& expr) {
  DefaultKind kind;
  walk(expr, [&](std::string_view type, const Node& body) {
    if (type != "FuncCall" || kind.volatility == Volatility::volatile_call) {
      return true;
    }
    RelationName fn = relation_from_names(name_list(body["funcname"]));
    std::string call = fn.sql() + "()";
    if (listed(kVolatile, fn.name)) {
      kind = {Volatility::volatile_call, call};
    } else if ((!fn.schema.empty() && fn.schema != "pg_catalog") ||
               !listed(kNotVolatile, fn.name)) {
      if (kind.volatility == Volatility::fixed) {
        kind = {Volatility::unknown, call};
      }
    }
    return true;
  });
  return kind;
}

struct ColumnFacts {
  const Node* default_expr = nullptr;  // nullptr: none, or DEFAULT NULL
  bool not_null = false;
  bool fills_rows = false;  // identity / serial / generated: every row gets a value
  std::string fills_why;
};

void new_index(const Node& con, const RelationLock& table_lock, LockSet& out) {
  if (con.has("conname")) {
    out.create(RelationName{table_lock.relation.schema, std::string(con["conname"].str())},
               RelationKind::index);
  } else {
    out.implied("a new index", LockMode::access_exclusive, RelationKind::index).created = true;
  }
}

void new_sequence(LockSet& out) {
  out.implied("a new sequence", LockMode::access_exclusive, RelationKind::sequence).created = true;
}

// Constraints written on the column. Returns what decides the rewrite.
ColumnFacts column_constraints(const Node& col, RelationLock& table_lock, LockSet& out) {
  ColumnFacts facts;
  for (const Node& item : col["constraints"].items()) {
    const Node& con = item.body();
    std::string_view contype = con["contype"].str();
    if (contype == "CONSTR_DEFAULT") {
      const Node& expr = con["raw_expr"];
      bool null_constant = expr.type() == "A_Const" && expr.body()["isnull"].boolean();
      facts.default_expr = null_constant ? nullptr : &expr;
    } else if (contype == "CONSTR_NOTNULL" || contype == "CONSTR_PRIMARY") {
      facts.not_null = true;
    } else if (contype == "CONSTR_IDENTITY") {
      facts.fills_rows = true;
      facts.fills_why = "fills the identity column for every row";
      new_sequence(out);
    } else if (contype == "CONSTR_GENERATED") {
      facts.fills_rows = true;
      facts.fills_why = "computes the stored generated column for every row";
    }
    if (contype == "CONSTR_UNIQUE" || contype == "CONSTR_PRIMARY") {
      new_index(con, table_lock, out);
      table_lock.scan = stronger(table_lock.scan, yes("builds the index"));
    } else if (contype == "CONSTR_CHECK") {
      table_lock.scan = stronger(table_lock.scan, yes("checks every row"));
    }
  }
  return facts;
}

void foreign_keys(const Node& col, const ColumnFacts& facts, RelationLock& table_lock,
                  LockSet& out) {
  for (const Node& item : col["constraints"].items()) {
    const Node& con = item.body();
    if (con["contype"].str() != "CONSTR_FOREIGN") {
      continue;
    }
    RelationName referenced = relation_name(con["pktable"]);
    RelationLock& parent = out.lock(referenced, LockMode::share_row_exclusive);
    if (facts.default_expr != nullptr || facts.fills_rows) {
      // With only NULLs in the new column there is nothing to validate.
      table_lock.scan =
          stronger(table_lock.scan, yes("checks every row against " + referenced.sql()));
      parent.scan =
          stronger(parent.scan,
                   depends("read in full or through its key index, as the validation query plans"));
    }
  }
}

Effect default_rewrite(const Node& expr) {
  DefaultKind kind = classify_default(expr);
  switch (kind.volatility) {
    case Volatility::volatile_call:
      return yes("the default " + kind.function + " is volatile: evaluated for every row");
    case Volatility::unknown:
      return depends("rewrites if " + kind.function + " is volatile");
    case Volatility::fixed:
      break;
  }
  return Effect{};
}

bool is_column(const Node& expr, std::string_view column) {
  const Node& e = expr.type() == "TypeCast" ? expr.body()["arg"] : expr;
  if (e.type() != "ColumnRef") {
    return false;
  }
  std::vector<std::string> fields = name_list(e.body()["fields"]);
  return fields.size() == 1 && fields[0] == column;
}

std::string type_change_dependency(const TypeName& type) {
  const std::string_view n = type.name;
  std::string rewritten = "; otherwise the table and its indexes are rewritten";
  if (!type.builtin()) {
    return "depends on the current type; always rewrites if " + type.sql() +
           " is a domain with constraints";
  }
  if (n == "varchar" || n == "text") {
    return "depends on the current type: none from varchar(n) to a longer varchar or to text" +
           rewritten;
  }
  if (n == "numeric") {
    return "depends on the current type: none from numeric with the same scale and a lower "
           "precision" +
           rewritten;
  }
  if (n == "timestamptz") {
    return "depends on the current type and the session TimeZone: none from timestamp when "
           "TimeZone is UTC" +
           rewritten;
  }
  return "depends on the current type: none when it is binary coercible to " + type.sql() +
         rewritten;
}

}  // namespace

void add_column_effects(const Node& col, RelationLock& table_lock, LockSet& out) {
  TypeName type = type_name(col["typeName"]);
  ColumnFacts facts = column_constraints(col, table_lock, out);
  if (listed(kSerialTypes, type.name) && type.schema.empty()) {
    facts.fills_rows = true;
    facts.fills_why = "fills the serial column from a new sequence for every row";
    new_sequence(out);
  }
  foreign_keys(col, facts, table_lock, out);
  if (facts.fills_rows) {
    table_lock.rewrite = stronger(table_lock.rewrite, yes(facts.fills_why));
    return;
  }
  if (facts.default_expr != nullptr) {
    table_lock.rewrite = stronger(table_lock.rewrite, default_rewrite(*facts.default_expr));
  } else if (facts.not_null) {
    table_lock.scan = stronger(table_lock.scan,
                               yes("checks every row for NULL: fails unless the table is empty"));
  }
  if (!type.builtin() && table_lock.rewrite.answer == Answer::no) {
    table_lock.rewrite = depends("rewrites if " + type.sql() + " is a domain with constraints");
  }
}

void column_type_effects(std::string_view column, const Node& def, RelationLock& table_lock) {
  const Node& using_expr = def["raw_default"];
  if (def.has("collClause")) {
    table_lock.notes.push_back("a new collation rebuilds the indexes on the column");
  }
  if (!using_expr.is_null() && !is_column(using_expr, column)) {
    table_lock.rewrite =
        stronger(table_lock.rewrite, yes("USING computes a new value for every row"));
    return;
  }
  table_lock.rewrite =
      stronger(table_lock.rewrite, depends(type_change_dependency(type_name(def["typeName"]))));
}

}  // namespace runbook::sql

// sql/facts.h lives in sql/ but exists for lint: its tests live here.
#include "sql/facts.h"

#include <doctest/doctest.h>

using namespace runbook::sql;

namespace {

StatementFacts facts_of(const std::string& sql) {
  SplitResult r = parse_statements(sql);
  REQUIRE_FALSE(r.error.has_value());
  REQUIRE(r.statements.size() == 1);
  return statement_facts(r.statements[0]);
}

}  // namespace

TEST_SUITE("sql::facts") {
  TEST_CASE("ALTER TABLE: one command per subcommand, with columns and constraints") {
    StatementFacts f = facts_of(
        "ALTER TABLE s.t ADD COLUMN a int NOT NULL DEFAULT 0 REFERENCES p (id), "
        "ADD CONSTRAINT a_nn CHECK (a IS NOT NULL) NOT VALID, ALTER COLUMN b TYPE varchar(20), "
        "VALIDATE CONSTRAINT a_nn");
    CHECK(f.relation.sql() == "s.t");
    REQUIRE(f.commands.size() == 4);
    const AlterCommand& add = f.commands[0];
    CHECK(add.subtype == "AT_AddColumn");
    REQUIRE(add.column.has_value());
    CHECK(add.column->name == "a");
    CHECK(add.column->type.sql() == "integer");
    CHECK(add.column->find(ConstraintKind::not_null) != nullptr);
    REQUIRE(add.column->find(ConstraintKind::foreign_key) != nullptr);
    CHECK(add.column->find(ConstraintKind::foreign_key)->references.sql() == "p");
    CHECK(add.column->scan.answer == Answer::yes);  // a value to check against p
    const AlterCommand& check = f.commands[1];
    REQUIRE(check.constraint.has_value());
    CHECK(check.constraint->kind == ConstraintKind::check);
    CHECK(check.constraint->not_valid);
    CHECK(check.constraint->name == "a_nn");
    CHECK(check.constraint->not_null_of == "a");
    CHECK(f.commands[2].name == "b");
    CHECK(f.commands[2].column->type.is("varchar"));
    CHECK(f.commands[2].column->type.has_length);
    CHECK(f.commands[2].rewrite.answer == Answer::depends);
    CHECK(f.commands[3].subtype == "AT_ValidateConstraint");
  }

  TEST_CASE("ADD COLUMN: what fills every row") {
    StatementFacts f = facts_of(
        "ALTER TABLE t ADD COLUMN a bigserial, ADD COLUMN b uuid DEFAULT gen_random_uuid(), "
        "ADD COLUMN c int DEFAULT 1");
    CHECK(f.commands[0].column->serial());
    CHECK(f.commands[0].column->rewrite.answer == Answer::yes);
    CHECK(f.commands[1].column->rewrite.answer == Answer::yes);
    CHECK(f.commands[2].column->rewrite.answer == Answer::no);
  }

  TEST_CASE("CREATE TABLE: columns and table constraints") {
    StatementFacts f = facts_of("CREATE TABLE n (id int, body json, PRIMARY KEY (id))");
    CHECK(f.relation.name == "n");
    REQUIRE(f.columns.size() == 2);
    CHECK(f.columns[1].type.is("json"));
    REQUIRE(f.table_constraints.size() == 1);
    CHECK(f.table_constraints[0].kind == ConstraintKind::primary_key);
    CHECK(f.table_constraints[0].columns == std::vector<std::string>{"id"});
  }

  TEST_CASE("indexes, drops, renames, truncates") {
    StatementFacts i = facts_of("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON ONLY t (a)");
    REQUIRE(i.index.has_value());
    CHECK(i.index->name == "i");
    CHECK(i.index->unique);
    CHECK(i.index->if_not_exists);
    CHECK(i.index->only);
    StatementFacts d = facts_of("DROP INDEX IF EXISTS s.i, j CASCADE");
    REQUIRE(d.drop.has_value());
    CHECK(d.drop->kind == ObjectKind::index);
    CHECK(d.drop->objects.size() == 2);
    CHECK(d.drop->objects[0].sql() == "s.i");
    CHECK(d.drop->if_exists);
    CHECK(d.drop->cascade);
    CHECK(facts_of("DROP SCHEMA app").drop->objects[0].name == "app");
    CHECK(facts_of("DROP DATABASE scratch").drop->kind == ObjectKind::database);
    StatementFacts r = facts_of("ALTER TABLE t RENAME COLUMN a TO b");
    REQUIRE(r.rename.has_value());
    CHECK(r.rename->kind == ObjectKind::column);
    CHECK(r.rename->from == "a");
    CHECK(r.rename->to == "b");
    StatementFacts t = facts_of("TRUNCATE a, b CASCADE");
    CHECK(t.truncated.size() == 2);
    CHECK(t.cascade);
  }

  TEST_CASE("DML, maintenance, enums, domains and opaque code") {
    CHECK(facts_of("UPDATE t SET a = 1").missing_where);
    CHECK_FALSE(facts_of("DELETE FROM t WHERE a = 1").missing_where);
    CHECK(facts_of("VACUUM (FULL) t").vacuum_full);
    CHECK_FALSE(facts_of("VACUUM t").vacuum_full);
    CHECK(facts_of("CLUSTER t USING i").cluster);
    StatementFacts e = facts_of("ALTER TYPE s.mood ADD VALUE 'meh'");
    CHECK(e.enum_type.sql() == "s.mood");
    CHECK(e.enum_value == "meh");
    CHECK(facts_of("ALTER TYPE mood RENAME VALUE 'a' TO 'b'").enum_value.empty());
    CHECK(facts_of("CREATE DOMAIN d AS int NOT NULL").domain_constraint);
    CHECK(facts_of("ALTER DOMAIN d ADD CONSTRAINT c CHECK (VALUE > 1) NOT VALID").domain_not_valid);
    CHECK(facts_of("DO $$ BEGIN END $$").opaque == "DO");
    CHECK(facts_of("CREATE PROCEDURE p() LANGUAGE sql AS 'SELECT 1'").opaque == "CREATE PROCEDURE");
  }

  TEST_CASE("string constants, with the type they are cast to") {
    StatementFacts f = facts_of("SELECT 'a', 'b'::mood, 1");
    REQUIRE(f.literals.size() == 2);
    CHECK(f.literals[0].value == "a");
    CHECK(f.literals[0].cast.empty());
    CHECK(f.literals[1].value == "b");
    CHECK(f.literals[1].cast.name == "mood");
  }

  TEST_CASE("may_be_same: an unqualified name may be any schema's") {
    CHECK(may_be_same({"", "t"}, {"s", "t"}));
    CHECK(may_be_same({"s", "t"}, {"s", "t"}));
    CHECK_FALSE(may_be_same({"a", "t"}, {"b", "t"}));
    CHECK_FALSE(may_be_same({"", "t"}, {"", "u"}));
  }
}

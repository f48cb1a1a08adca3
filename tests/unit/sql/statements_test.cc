#include "sql/statements.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using runbook::sql::parse_statements;
using runbook::sql::RelationName;
using runbook::sql::SplitResult;
using runbook::sql::Statement;
using runbook::sql::StatementInfo;

namespace {

// The one statement of `sql`; fails the test when there is not exactly one.
StatementInfo info_of(const std::string& sql) {
  SplitResult r = parse_statements(sql);
  REQUIRE_MESSAGE(!r.error, sql << ": " << (r.error ? r.error->message : ""));
  REQUIRE_MESSAGE(r.statements.size() == 1, sql);
  return r.statements[0].info;
}

std::vector<std::string> texts(const SplitResult& r) {
  std::vector<std::string> out;
  for (const Statement& s : r.statements) {
    out.push_back(s.text);
  }
  return out;
}

// Every statement's text must sit at its offset in the input.
void check_offsets(const std::string& input, const SplitResult& r) {
  for (const Statement& s : r.statements) {
    CHECK(input.substr(s.offset, s.text.size()) == s.text);
  }
}

}  // namespace

TEST_SUITE("sql::statements") {
  TEST_CASE("splits statements and gives exact byte offsets") {
    std::string sql = "SELECT 1;\n  UPDATE t SET a = 1 WHERE id = 2;\n\nDELETE FROM t";
    SplitResult r = parse_statements(sql);
    REQUIRE_FALSE(r.error);
    CHECK(texts(r) ==
          std::vector<std::string>{"SELECT 1", "UPDATE t SET a = 1 WHERE id = 2", "DELETE FROM t"});
    REQUIRE(r.statements.size() == 3);
    CHECK(r.statements[0].offset == 0);
    CHECK(r.statements[1].offset == 12);
    CHECK(r.statements[2].offset == 46);
    check_offsets(sql, r);
  }

  TEST_CASE("a dollar-quoted body keeps its semicolons") {
    std::string sql =
        "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $body$\n"
        "BEGIN\n  NEW.a := 1;\n  RETURN NEW;\nEND\n$body$;\n"
        "DO $$ BEGIN PERFORM 1; END $$;";
    SplitResult r = parse_statements(sql);
    REQUIRE_FALSE(r.error);
    REQUIRE(r.statements.size() == 2);
    CHECK(r.statements[0].info.tag == "CREATE FUNCTION");
    CHECK(r.statements[0].text.ends_with("END\n$body$"));
    CHECK(r.statements[1].text == "DO $$ BEGIN PERFORM 1; END $$");
    check_offsets(sql, r);
  }

  TEST_CASE("semicolons and comment markers inside strings and identifiers") {
    std::string sql = "SELECT 'a;b', '--not a comment', \"x;y\" FROM t; SELECT E'it\\'s;'";
    SplitResult r = parse_statements(sql);
    REQUIRE_FALSE(r.error);
    CHECK(texts(r) == std::vector<std::string>{"SELECT 'a;b', '--not a comment', \"x;y\" FROM t",
                                               "SELECT E'it\\'s;'"});
    check_offsets(sql, r);
  }

  TEST_CASE("comments around statements are not part of their text") {
    std::string sql =
        "-- step one\nSELECT 1;\n/* block\n comment */ SELECT 2 /* trailing */ ;\n"
        "SELECT 3 -- the end\n-- really\n";
    SplitResult r = parse_statements(sql);
    REQUIRE_FALSE(r.error);
    CHECK(texts(r) == std::vector<std::string>{"SELECT 1", "SELECT 2", "SELECT 3"});
    REQUIRE(r.statements.size() == 3);
    CHECK(r.statements[0].offset == 12);
    CHECK(r.statements[1].offset == 43);
    CHECK(r.statements[2].offset == 69);
    check_offsets(sql, r);
  }

  TEST_CASE("a comment inside a statement stays") {
    std::string sql = "SELECT 1 -- one\n  + 2;";
    SplitResult r = parse_statements(sql);
    REQUIRE(r.statements.size() == 1);
    CHECK(r.statements[0].text == "SELECT 1 -- one\n  + 2");
  }

  TEST_CASE("nested block comments") {
    std::string sql = "/* a /* nested */ still comment */ SELECT 1";
    SplitResult r = parse_statements(sql);
    REQUIRE(r.statements.size() == 1);
    CHECK(r.statements[0].text == "SELECT 1");
    CHECK(r.statements[0].offset == 35);
  }

  TEST_CASE("empty input, whitespace, comments and bare semicolons give no statements") {
    for (const char* sql : {"", "  \n\t", "-- nothing\n", "/* nothing */", ";;", " ; -- x\n;"}) {
      SplitResult r = parse_statements(sql);
      CHECK_MESSAGE(!r.error, sql);
      CHECK_MESSAGE(r.statements.empty(), sql);
    }
  }

  TEST_CASE("multi-byte characters: offsets are bytes") {
    std::string sql = "SELECT 'héllo ✓';  SELECT 'ü'";
    SplitResult r = parse_statements(sql);
    REQUIRE(r.statements.size() == 2);
    CHECK(r.statements[1].offset == 22);
    CHECK(r.statements[1].text == "SELECT 'ü'");
  }

  TEST_CASE("each statement keeps its parse tree") {
    SplitResult r = parse_statements("SELECT 1; VACUUM t");
    REQUIRE(r.statements.size() == 2);
    CHECK(r.statements[0].tree != nullptr);
    CHECK(r.statements[1].tree != nullptr);
    CHECK(r.statements[0].tree != r.statements[1].tree);
  }

  TEST_CASE("error: PostgreSQL's message and byte offset") {
    SplitResult r = parse_statements("SELECT a FORM t");
    REQUIRE(r.error);
    CHECK(r.statements.empty());
    CHECK(r.error->message == "syntax error at or near \"t\"");
    CHECK(r.error->offset == 14);
  }

  TEST_CASE("error: the position counts bytes after multi-byte characters") {
    // 'é' and '✓' are 2 and 3 bytes: PostgreSQL's position counts characters.
    std::string sql = "SELECT 'é✓' FORM t";
    SplitResult r = parse_statements(sql);
    REQUIRE(r.error);
    CHECK(r.error->message == "syntax error at or near \"t\"");
    CHECK(r.error->offset == 20);
    CHECK(sql.substr(r.error->offset) == "t");
  }

  TEST_CASE("error: one in a later statement fails the whole input") {
    std::string sql = "SELECT 1;\nSELECT 'ü' FROM ;";
    SplitResult r = parse_statements(sql);
    REQUIRE(r.error);
    CHECK(r.statements.empty());
    CHECK(r.error->message == "syntax error at or near \";\"");
    CHECK(r.error->offset == sql.size() - 1);
  }

  TEST_CASE("error: at the end of the input") {
    std::string sql = "SELECT 'héllo' +";
    SplitResult r = parse_statements(sql);
    REQUIRE(r.error);
    CHECK(r.error->message == "syntax error at end of input");
    CHECK(r.error->offset == sql.size());
  }

  TEST_CASE("error: an unknown first word") {
    SplitResult r = parse_statements("  SELEC 1");
    REQUIRE(r.error);
    CHECK(r.error->message == "syntax error at or near \"SELEC\"");
    CHECK(r.error->offset == 2);
  }

  TEST_CASE("error: an unterminated string") {
    SplitResult r = parse_statements("SELECT 'abc");
    REQUIRE(r.error);
    CHECK(r.error->message == "unterminated quoted string at or near \"'abc\"");
    CHECK(r.error->offset == 7);
  }

  TEST_CASE("error: psql meta-commands are not SQL") {
    SplitResult r = parse_statements("\\set x 1\nSELECT 1");
    REQUIRE(r.error);
    CHECK(r.error->offset == 0);
  }

  TEST_CASE("error: a NUL byte is refused") {
    std::string sql("SELECT 1;\0SELECT 2", 18);
    SplitResult r = parse_statements(sql);
    REQUIRE(r.error);
    CHECK(r.error->message == "SQL text contains a NUL byte");
    CHECK(r.error->offset == 9);
  }

  TEST_CASE("statements PostgreSQL refuses inside a transaction block") {
    struct Case {
      const char* sql;
      const char* reason;
    };
    // Every reason is PostgreSQL 15's own message (checked on a 15.18 server).
    const Case cases[] = {
        {"CREATE INDEX CONCURRENTLY i ON t (a)", "CREATE INDEX CONCURRENTLY"},
        {"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a)", "CREATE INDEX CONCURRENTLY"},
        {"DROP INDEX CONCURRENTLY i", "DROP INDEX CONCURRENTLY"},
        {"DROP INDEX CONCURRENTLY IF EXISTS s.i", "DROP INDEX CONCURRENTLY"},
        {"REINDEX INDEX CONCURRENTLY i", "REINDEX CONCURRENTLY"},
        {"REINDEX (CONCURRENTLY) TABLE t", "REINDEX CONCURRENTLY"},
        {"REINDEX SCHEMA CONCURRENTLY public", "REINDEX CONCURRENTLY"},
        {"REINDEX SCHEMA public", "REINDEX SCHEMA"},
        {"REINDEX SYSTEM postgres", "REINDEX SYSTEM"},
        {"REINDEX DATABASE postgres", "REINDEX DATABASE"},
        {"VACUUM", "VACUUM"},
        {"VACUUM t", "VACUUM"},
        {"VACUUM FULL t", "VACUUM"},
        {"VACUUM (ANALYZE, VERBOSE) t", "VACUUM"},
        {"VACUUM ANALYZE t", "VACUUM"},
        {"CLUSTER", "CLUSTER"},
        {"CREATE DATABASE x", "CREATE DATABASE"},
        {"DROP DATABASE IF EXISTS x", "DROP DATABASE"},
        {"ALTER DATABASE x SET TABLESPACE ts", "ALTER DATABASE SET TABLESPACE"},
        {"CREATE TABLESPACE ts LOCATION '/srv/ts'", "CREATE TABLESPACE"},
        {"DROP TABLESPACE ts", "DROP TABLESPACE"},
        {"ALTER SYSTEM SET work_mem = '4MB'", "ALTER SYSTEM"},
        {"ALTER SYSTEM RESET ALL", "ALTER SYSTEM"},
        {"ALTER TABLE parted DETACH PARTITION p1 CONCURRENTLY",
         "ALTER TABLE ... DETACH CONCURRENTLY"},
        {"DISCARD ALL", "DISCARD ALL"},
        {"CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p",
         "CREATE SUBSCRIPTION ... WITH (create_slot = true)"},
        {"CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p WITH (create_slot = true)",
         "CREATE SUBSCRIPTION ... WITH (create_slot = true)"},
        {"DROP SUBSCRIPTION s", "DROP SUBSCRIPTION"},
        {"ALTER SUBSCRIPTION s REFRESH PUBLICATION", "ALTER SUBSCRIPTION ... REFRESH"},
        {"ALTER SUBSCRIPTION s SET PUBLICATION p2", "ALTER SUBSCRIPTION with refresh"},
        {"ALTER SUBSCRIPTION s ADD PUBLICATION p3", "ALTER SUBSCRIPTION with refresh"},
        {"COMMIT PREPARED 'x'", "COMMIT PREPARED"},
        {"ROLLBACK PREPARED 'x'", "ROLLBACK PREPARED"},
    };
    for (const Case& c : cases) {
      StatementInfo info = info_of(c.sql);
      CHECK_MESSAGE(!info.can_run_in_transaction, c.sql);
      CHECK_MESSAGE(info.no_transaction_reason ==
                        std::string(c.reason) + " cannot run inside a transaction block",
                    c.sql);
    }
  }

  TEST_CASE("their transactional relatives run in a transaction block") {
    for (const char* sql : {
             "CREATE INDEX i ON t (a)",
             "DROP INDEX i",
             "REINDEX TABLE t",
             "REINDEX (CONCURRENTLY false) TABLE t",
             "ANALYZE t",
             "ANALYZE",
             "CLUSTER t USING t_pkey",
             "CLUSTER t",
             "ALTER TABLE parted DETACH PARTITION p1",
             "ALTER DATABASE x SET work_mem = '1MB'",
             "DISCARD PLANS",
             "CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p WITH (connect = false)",
             "CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p WITH (create_slot = false)",
             "ALTER SUBSCRIPTION s SET PUBLICATION p2 WITH (refresh = false)",
             "ALTER SUBSCRIPTION s DISABLE",
             "REFRESH MATERIALIZED VIEW CONCURRENTLY mv",
             "ALTER TYPE mood ADD VALUE 'c'",
             "CHECKPOINT",
         }) {
      StatementInfo info = info_of(sql);
      CHECK_MESSAGE(info.can_run_in_transaction, sql);
      CHECK_MESSAGE(info.no_transaction_reason.empty(), sql);
    }
  }

  TEST_CASE("all_can_run_in_transaction decides the step's mode") {
    SplitResult tx = parse_statements("SET lock_timeout = '2s'; ALTER TABLE t ADD COLUMN x int");
    SplitResult auto_commit =
        parse_statements("SET lock_timeout = '2s'; CREATE INDEX CONCURRENTLY i ON t (a)");
    CHECK(runbook::sql::all_can_run_in_transaction(tx.statements));
    CHECK_FALSE(runbook::sql::all_can_run_in_transaction(auto_commit.statements));
    CHECK(runbook::sql::all_can_run_in_transaction({}));
  }

  TEST_CASE("transaction control") {
    struct Case {
      const char* sql;
      const char* tag;
    };
    const Case cases[] = {
        {"BEGIN", "BEGIN"},
        {"BEGIN ISOLATION LEVEL SERIALIZABLE", "BEGIN"},
        {"START TRANSACTION READ ONLY", "START TRANSACTION"},
        {"COMMIT", "COMMIT"},
        {"END", "COMMIT"},
        {"COMMIT AND CHAIN", "COMMIT"},
        {"ROLLBACK", "ROLLBACK"},
        {"ABORT", "ROLLBACK"},
        {"SAVEPOINT s1", "SAVEPOINT"},
        {"RELEASE SAVEPOINT s1", "RELEASE"},
        {"RELEASE s1", "RELEASE"},
        {"ROLLBACK TO SAVEPOINT s1", "ROLLBACK"},
        {"PREPARE TRANSACTION 'x'", "PREPARE TRANSACTION"},
        {"COMMIT PREPARED 'x'", "COMMIT PREPARED"},
        {"ROLLBACK PREPARED 'x'", "ROLLBACK PREPARED"},
    };
    for (const Case& c : cases) {
      StatementInfo info = info_of(c.sql);
      CHECK_MESSAGE(info.transaction_control, c.sql);
      CHECK_MESSAGE(info.node == "TransactionStmt", c.sql);
      CHECK_MESSAGE(info.tag == c.tag, c.sql);
      CHECK_MESSAGE(!info.writes, c.sql);
      CHECK_MESSAGE(!info.read_only, c.sql);
    }
    for (const char* sql : {"SET TRANSACTION READ ONLY", "PREPARE p AS SELECT 1", "LOCK t",
                            "SELECT 1", "DO $$ BEGIN COMMIT; END $$"}) {
      CHECK_MESSAGE(!info_of(sql).transaction_control, sql);
    }
  }

  TEST_CASE("COPY through the client, and COPY a step can run") {
    for (const char* sql : {"COPY t FROM STDIN", "COPY t (a, b) FROM STDIN WITH (FORMAT csv)",
                            "COPY t TO STDOUT", "COPY (SELECT 1) TO STDOUT"}) {
      CHECK_MESSAGE(info_of(sql).client_copy, sql);
    }
    for (const char* sql : {"COPY t FROM '/srv/t.csv'", "COPY t TO '/srv/t.csv'",
                            "COPY t FROM PROGRAM 'zcat /srv/t.csv.gz'", "SELECT 1"}) {
      CHECK_MESSAGE(!info_of(sql).client_copy, sql);
    }
  }

  TEST_CASE("statements that need a transaction block") {
    struct Case {
      const char* sql;
      const char* reason;
    };
    const Case cases[] = {
        {"LOCK TABLE t IN SHARE MODE", "LOCK TABLE can only be used in transaction blocks"},
        {"DECLARE c CURSOR FOR SELECT 1", "DECLARE CURSOR can only be used in transaction blocks"},
        {"SAVEPOINT a", "SAVEPOINT can only be used in transaction blocks"},
        {"RELEASE a", "RELEASE SAVEPOINT can only be used in transaction blocks"},
        {"ROLLBACK TO a", "ROLLBACK TO SAVEPOINT can only be used in transaction blocks"},
        {"SET LOCAL lock_timeout = '1s'", "SET LOCAL has no effect outside a transaction block"},
        {"SET TRANSACTION ISOLATION LEVEL SERIALIZABLE",
         "SET TRANSACTION has no effect outside a transaction block"},
    };
    for (const Case& c : cases) {
      StatementInfo info = info_of(c.sql);
      CHECK_MESSAGE(info.needs_transaction, c.sql);
      CHECK_MESSAGE(info.needs_transaction_reason == c.reason, c.sql);
      CHECK_MESSAGE(info.can_run_in_transaction, c.sql);
    }
    for (const char* sql :
         {"DECLARE c CURSOR WITH HOLD FOR SELECT 1", "SET lock_timeout = '1s'", "SELECT 1"}) {
      CHECK_MESSAGE(!info_of(sql).needs_transaction, sql);
    }
  }

  TEST_CASE("plain reads are read-only") {
    for (const char* sql : {
             "SELECT 1",
             "SELECT conname FROM pg_constraint WHERE NOT convalidated",
             "VALUES (1), (2)",
             "TABLE t",
             "SELECT * FROM t UNION ALL SELECT * FROM u",
             "WITH x AS (SELECT * FROM t) SELECT count(*) FROM x",
             "SELECT * FROM (SELECT a FROM t) s JOIN u USING (a)",
             "SHOW lock_timeout",
             "SHOW ALL",
             "EXPLAIN SELECT * FROM t",
             "EXPLAIN UPDATE t SET a = 1",  // not executed without ANALYZE
             "EXPLAIN (ANALYZE) SELECT * FROM t",
             "EXPLAIN (ANALYZE false) DELETE FROM t",
             // Structurally a read: nextval() writes, but only the server
             // knows what a function does; READ ONLY transactions catch it.
             "SELECT nextval('s')",
         }) {
      StatementInfo info = info_of(sql);
      CHECK_MESSAGE(info.read_only, sql);
      CHECK_MESSAGE(!info.writes, sql);
    }
  }

  TEST_CASE("what is not a plain read") {
    struct Case {
      const char* sql;
      bool writes;
    };
    const Case cases[] = {
        {"SELECT * FROM t FOR UPDATE", false},
        {"SELECT * FROM t FOR NO KEY UPDATE SKIP LOCKED", false},
        {"SELECT * FROM t FOR SHARE OF t", false},
        {"SELECT * FROM t FOR KEY SHARE", false},
        {"SELECT * FROM (SELECT * FROM t FOR UPDATE) s", false},
        {"SELECT * INTO t2 FROM t", true},
        {"WITH d AS (DELETE FROM t RETURNING *) SELECT count(*) FROM d", true},
        {"WITH i AS (INSERT INTO t VALUES (1) RETURNING id) SELECT * FROM i", true},
        {"WITH u AS (UPDATE t SET a = 1 RETURNING id) SELECT * FROM u", true},
        {"EXPLAIN ANALYZE UPDATE t SET a = 1", true},
        {"EXPLAIN (ANALYZE, BUFFERS) INSERT INTO t VALUES (1)", true},
        {"INSERT INTO t VALUES (1)", true},
        {"UPDATE t SET a = 1", true},
        {"DELETE FROM t", true},
        {"MERGE INTO t USING u ON t.id = u.id WHEN MATCHED THEN DELETE", true},
        {"COPY t FROM STDIN", true},
        {"COPY t TO STDOUT", false},
        {"CREATE TABLE x (a int)", true},
        {"TRUNCATE t", true},
        {"ANALYZE t", true},
        {"GRANT SELECT ON t TO r", true},
        {"DO $$ BEGIN END $$", true},
        {"CALL p()", true},
        {"EXECUTE p", true},
        {"SET lock_timeout = '2s'", false},
        {"RESET ALL", false},
        {"LOCK TABLE t", false},
        {"LISTEN c", false},
        {"NOTIFY c", false},
        {"PREPARE p AS SELECT 1", false},
        {"DECLARE c CURSOR WITH HOLD FOR SELECT 1", false},
        {"FETCH 10 FROM c", false},
        {"CHECKPOINT", false},
    };
    for (const Case& c : cases) {
      StatementInfo info = info_of(c.sql);
      CHECK_MESSAGE(!info.read_only, c.sql);
      CHECK_MESSAGE(info.writes == c.writes, c.sql);
    }
  }

  TEST_CASE("command tags") {
    struct Case {
      const char* sql;
      const char* node;
      const char* tag;
    };
    const Case cases[] = {
        {"SELECT 1", "SelectStmt", "SELECT"},
        {"SELECT * INTO x FROM t", "SelectStmt", "SELECT INTO"},
        {"CREATE TABLE t (a int)", "CreateStmt", "CREATE TABLE"},
        {"CREATE TABLE t AS SELECT 1", "CreateTableAsStmt", "CREATE TABLE AS"},
        {"CREATE MATERIALIZED VIEW mv AS SELECT 1", "CreateTableAsStmt",
         "CREATE MATERIALIZED VIEW"},
        {"CREATE INDEX i ON t (a)", "IndexStmt", "CREATE INDEX"},
        {"ALTER TABLE t ADD COLUMN a int", "AlterTableStmt", "ALTER TABLE"},
        {"ALTER INDEX i SET (fillfactor = 80)", "AlterTableStmt", "ALTER INDEX"},
        {"ALTER MATERIALIZED VIEW mv SET TABLESPACE ts", "AlterTableStmt",
         "ALTER MATERIALIZED VIEW"},
        {"ALTER TABLE t RENAME TO u", "RenameStmt", "ALTER TABLE"},
        {"ALTER TABLE t RENAME COLUMN a TO b", "RenameStmt", "ALTER TABLE"},
        {"ALTER INDEX i RENAME TO j", "RenameStmt", "ALTER INDEX"},
        {"ALTER TABLE t SET SCHEMA s", "AlterObjectSchemaStmt", "ALTER TABLE"},
        {"DROP TABLE t", "DropStmt", "DROP TABLE"},
        {"DROP MATERIALIZED VIEW mv", "DropStmt", "DROP MATERIALIZED VIEW"},
        {"DROP TRIGGER tr ON t", "DropStmt", "DROP TRIGGER"},
        {"DROP STATISTICS st", "DropStmt", "DROP STATISTICS"},
        {"TRUNCATE t", "TruncateStmt", "TRUNCATE TABLE"},
        {"VACUUM t", "VacuumStmt", "VACUUM"},
        {"ANALYZE t", "VacuumStmt", "ANALYZE"},
        {"GRANT SELECT ON t TO r", "GrantStmt", "GRANT"},
        {"REVOKE SELECT ON t FROM r", "GrantStmt", "REVOKE"},
        {"SET x = 1", "VariableSetStmt", "SET"},
        {"RESET x", "VariableSetStmt", "RESET"},
        {"SHOW x", "VariableShowStmt", "SHOW"},
        {"CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'", "CreateFunctionStmt",
         "CREATE FUNCTION"},
        {"CREATE PROCEDURE p() LANGUAGE sql AS 'SELECT 1'", "CreateFunctionStmt",
         "CREATE PROCEDURE"},
        {"CREATE TYPE mood AS ENUM ('a')", "CreateEnumStmt", "CREATE TYPE"},
        {"ALTER TYPE mood ADD VALUE 'b'", "AlterEnumStmt", "ALTER TYPE"},
        {"CREATE EXTENSION pg_trgm", "CreateExtensionStmt", "CREATE EXTENSION"},
        {"COMMENT ON TABLE t IS 'x'", "CommentStmt", "COMMENT"},
        {"LOCK t", "LockStmt", "LOCK TABLE"},
        {"REFRESH MATERIALIZED VIEW mv", "RefreshMatViewStmt", "REFRESH MATERIALIZED VIEW"},
        {"DISCARD TEMP", "DiscardStmt", "DISCARD TEMP"},
        {"DO $$ BEGIN END $$", "DoStmt", "DO"},
        {"CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()", "CreateTrigStmt",
         "CREATE TRIGGER"},
        {"CREATE POLICY p ON t USING (true)", "CreatePolicyStmt", "CREATE POLICY"},
        {"ALTER SEQUENCE s RESTART", "AlterSeqStmt", "ALTER SEQUENCE"},
        {"CREATE STATISTICS st ON a, b FROM t", "CreateStatsStmt", "CREATE STATISTICS"},
        {"ALTER DOMAIN d ADD CONSTRAINT c CHECK (VALUE > 0)", "AlterDomainStmt", "ALTER DOMAIN"},
        {"CREATE AGGREGATE a (int) (sfunc = int4pl, stype = int)", "DefineStmt",
         "CREATE AGGREGATE"},
    };
    for (const Case& c : cases) {
      StatementInfo info = info_of(c.sql);
      CHECK_MESSAGE(info.node == c.node, c.sql);
      CHECK_MESSAGE(info.tag == c.tag, c.sql);
    }
  }

  TEST_CASE("concurrently") {
    for (const char* sql :
         {"CREATE INDEX CONCURRENTLY i ON t (a)", "DROP INDEX CONCURRENTLY i",
          "REINDEX TABLE CONCURRENTLY t", "REFRESH MATERIALIZED VIEW CONCURRENTLY mv",
          "ALTER TABLE p DETACH PARTITION c CONCURRENTLY"}) {
      CHECK_MESSAGE(info_of(sql).concurrently, sql);
    }
    for (const char* sql : {"CREATE INDEX i ON t (a)", "DROP INDEX i", "REINDEX TABLE t",
                            "REFRESH MATERIALIZED VIEW mv", "ALTER TABLE p DETACH PARTITION c"}) {
      CHECK_MESSAGE(!info_of(sql).concurrently, sql);
    }
  }

  TEST_CASE("relations as written, in order, without CTE names") {
    CHECK(info_of("ALTER TABLE public.\"RecipeItem\" ADD CONSTRAINT fk FOREIGN KEY (a) "
                  "REFERENCES \"Recipe\" (id)")
              .relations == std::vector<RelationName>{{"public", "RecipeItem"}, {"", "Recipe"}});
    CHECK(info_of("WITH x AS (SELECT * FROM s.t) SELECT * FROM x JOIN u ON true").relations ==
          std::vector<RelationName>{{"s", "t"}, {"", "u"}});
    CHECK(info_of("UPDATE t SET a = u.a FROM u WHERE t.id = u.id AND t.id IN (SELECT id FROM t)")
              .relations == std::vector<RelationName>{{"", "t"}, {"", "u"}});
    CHECK(info_of("DROP TABLE a, s.b").relations ==
          std::vector<RelationName>{{"", "a"}, {"s", "b"}});
    CHECK(info_of("DROP TRIGGER tr ON s.t").relations == std::vector<RelationName>{{"s", "t"}});
    CHECK(info_of("COMMENT ON COLUMN s.t.c IS 'x'").relations ==
          std::vector<RelationName>{{"s", "t"}});
    CHECK(info_of("DROP FUNCTION f()").relations.empty());
    CHECK(info_of("CREATE INDEX i ON Recipe (a)").relations ==
          std::vector<RelationName>{{"", "recipe"}});
  }

  TEST_CASE("settings") {
    auto setting = [](const char* sql) {
      StatementInfo info = info_of(sql);
      REQUIRE_MESSAGE(info.setting.has_value(), sql);
      return *info.setting;
    };
    CHECK(setting("SET lock_timeout = '2s'").name == "lock_timeout");
    CHECK(setting("SET lock_timeout = '2s'").value == "2s");
    CHECK_FALSE(setting("SET lock_timeout = '2s'").local);
    CHECK(setting("SET LOCAL statement_timeout TO 0").value == "0");
    CHECK(setting("SET LOCAL statement_timeout TO 0").local);
    CHECK(setting("SET statement_timeout = 5000").value == "5000");
    CHECK(setting("SET x.y = -1").value == "-1");
    CHECK(setting("SET search_path = a, \"B\"").value == "a, \"B\"");
    CHECK(setting("SET TIME ZONE 'UTC'").name == "timezone");
    CHECK(setting("SET TIME ZONE 'UTC'").value == "UTC");
    CHECK(setting("SET lock_timeout TO DEFAULT").value == "DEFAULT");
    CHECK(setting("RESET lock_timeout").name == "lock_timeout");
    CHECK(setting("RESET lock_timeout").value.empty());
    CHECK(setting("RESET ALL").name == "all");
    CHECK_FALSE(info_of("SET TRANSACTION READ ONLY").setting.has_value());
    CHECK_FALSE(info_of("SELECT 1").setting.has_value());
  }
}

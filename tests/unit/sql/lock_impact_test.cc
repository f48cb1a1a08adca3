#include "sql/lock_impact.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using runbook::sql::analyze_locks;
using runbook::sql::Answer;
using runbook::sql::LockImpact;
using runbook::sql::LockMode;
using runbook::sql::parse_statements;
using runbook::sql::RelationLock;
using runbook::sql::RelationName;
using runbook::sql::SplitResult;

namespace {

LockImpact impact_of(const std::string& sql) {
  SplitResult r = parse_statements(sql);
  REQUIRE_MESSAGE(!r.error, sql << ": " << (r.error ? r.error->message : ""));
  REQUIRE_MESSAGE(r.statements.size() == 1, sql);
  return analyze_locks(r.statements[0]);
}

// The analysis in one line, exact: `target:MODE`, then `created`,
// `[condition]`, `rewrite`/`rewrite?` (yes/depends) and `scan`/`scan?`,
// entries joined with ", ".
std::string locks_of(const std::string& sql) {
  std::string out;
  for (const RelationLock& l : impact_of(sql).locks) {
    out += out.empty() ? "" : ", ";
    out += l.target() + ":" + std::string(runbook::sql::lock_mode_short(l.mode));
    if (l.created) {
      out += " created";
    }
    if (!l.condition.empty()) {
      out += " [" + l.condition + "]";
    }
    if (l.rewrite.answer != Answer::no) {
      out += l.rewrite.answer == Answer::yes ? " rewrite" : " rewrite?";
    }
    if (l.scan.answer != Answer::no) {
      out += l.scan.answer == Answer::yes ? " scan" : " scan?";
    }
  }
  return out;
}

const RelationLock& lock_on(const LockImpact& impact, const std::string& name) {
  const RelationLock* l = impact.find(RelationName{"", name});
  REQUIRE_MESSAGE(l != nullptr, name);
  return *l;
}

bool has_note(const std::vector<std::string>& notes, const std::string& part) {
  for (const std::string& n : notes) {
    if (n.find(part) != std::string::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace

TEST_SUITE("sql::lock_impact") {
  TEST_CASE("2.1 tables") {
    CHECK(locks_of("CREATE TABLE c (id int PRIMARY KEY, v text)") == "c:AE created");
    CHECK(locks_of("CREATE TABLE c (id int PRIMARY KEY, p_id int REFERENCES p (id))") ==
          "c:AE created, p:SRE");
    CHECK(locks_of("CREATE TABLE c (a int, FOREIGN KEY (a) REFERENCES s.p)") ==
          "c:AE created, s.p:SRE");
    CHECK(locks_of("CREATE TABLE c AS SELECT * FROM t WHERE id < 10") == "c:AE created, t:AS scan");
    CHECK(locks_of("CREATE TABLE pt3 PARTITION OF parted FOR VALUES FROM (2000) TO (3000)") ==
          "pt3:AE created, parted:AE");
    CHECK(locks_of("DROP TABLE t") ==
          "t:AE, the tables t references by foreign key:AE [if it has foreign keys], "
          "the partitioned table t belongs to:AE [if it is a partition]");
    CHECK(locks_of("TRUNCATE t") == "t:AE");
    CHECK(locks_of("TRUNCATE p CASCADE") ==
          "p:AE, every table referencing p by foreign key:AE [if any]");
    LockImpact referenced = impact_of("TRUNCATE p");
    CHECK(locks_of("TRUNCATE p") == "p:AE");
    CHECK(has_note(referenced.notes, "fails if another table references it by foreign key"));
  }

  TEST_CASE("2.2 ADD COLUMN") {
    CHECK(locks_of("ALTER TABLE t ADD COLUMN x int") == "t:AE");
    CHECK(locks_of("ALTER TABLE t ADD COLUMN x int DEFAULT 0") == "t:AE");
    CHECK(locks_of("ALTER TABLE t ADD COLUMN x int NOT NULL DEFAULT 0") == "t:AE");
    CHECK(locks_of("ALTER TABLE t ADD COLUMN x int DEFAULT -1") == "t:AE");
    CHECK(locks_of("ALTER TABLE t ADD COLUMN x boolean NOT NULL DEFAULT false") == "t:AE");
    CHECK(locks_of("ALTER TABLE t ADD COLUMN x text DEFAULT NULL") == "t:AE");
    CHECK(locks_of("ALTER TABLE t ADD COLUMN x timestamptz DEFAULT now()") == "t:AE");
    CHECK(locks_of("ALTER TABLE t ADD COLUMN x timestamptz DEFAULT CURRENT_TIMESTAMP") == "t:AE");
    CHECK(locks_of("ALTER TABLE t ADD COLUMN x text DEFAULT lower('ABC')") == "t:AE");
    CHECK(locks_of("ALTER TABLE t ADD COLUMN x timestamptz DEFAULT 'now'::timestamptz") == "t:AE");
    CHECK(locks_of("ALTER TABLE t ADD COLUMN x int NOT NULL") == "t:AE scan");
    CHECK(locks_of("ALTER TABLE t ADD COLUMN x timestamptz DEFAULT clock_timestamp()") ==
          "t:AE rewrite scan");
    CHECK(locks_of("ALTER TABLE t ADD COLUMN x uuid DEFAULT gen_random_uuid()") ==
          "t:AE rewrite scan");
    CHECK(locks_of("ALTER TABLE t ADD COLUMN x bigint DEFAULT nextval('s1')") ==
          "t:AE rewrite scan");
    CHECK(locks_of("ALTER TABLE t ADD COLUMN x serial") ==
          "t:AE rewrite scan, a new sequence:AE created");
    CHECK(locks_of("ALTER TABLE t ADD COLUMN x bigserial NOT NULL") ==
          "t:AE rewrite scan, a new sequence:AE created");
    CHECK(locks_of("ALTER TABLE t ADD COLUMN x bigint GENERATED ALWAYS AS IDENTITY") ==
          "t:AE rewrite scan, a new sequence:AE created");
    CHECK(locks_of("ALTER TABLE t ADD COLUMN x int GENERATED ALWAYS AS (a * 2) STORED") ==
          "t:AE rewrite scan");
    CHECK(locks_of("ALTER TABLE t ADD COLUMN x int REFERENCES p (id)") == "t:AE, p:SRE");
    CHECK(locks_of("ALTER TABLE t ADD COLUMN x int DEFAULT 1 REFERENCES p (id)") ==
          "t:AE scan, p:SRE scan?");
    CHECK(locks_of("ALTER TABLE t ADD COLUMN x int UNIQUE") == "t:AE scan, a new index:AE created");
    CHECK(locks_of("ALTER TABLE t ADD COLUMN x int CONSTRAINT t_x_key UNIQUE") ==
          "t:AE scan, t_x_key:AE created");
    CHECK(locks_of("ALTER TABLE t ADD COLUMN x int CHECK (x > 0)") == "t:AE scan");
    CHECK(locks_of("ALTER TABLE t ADD COLUMN x json") == "t:AE");
    CHECK(locks_of("ALTER TABLE t ADD COLUMN x jsonb DEFAULT '{}'") == "t:AE");
  }

  TEST_CASE("2.2 volatile defaults by function name") {
    for (const char* fn : {"clock_timestamp()", "random()", "gen_random_uuid()",
                           "uuid_generate_v4()", "public.uuid_generate_v4()", "nextval('s')",
                           "timeofday()", "txid_current()", "(random() * 10)::int"}) {
      std::string sql = std::string("ALTER TABLE t ADD COLUMN x text DEFAULT ") + fn;
      LockImpact impact = impact_of(sql);
      const RelationLock& t = lock_on(impact, "t");
      CHECK_MESSAGE(t.rewrite.answer == Answer::yes, fn);
      CHECK_MESSAGE(t.scan.answer == Answer::yes, fn);
    }
    LockImpact uuid = impact_of("ALTER TABLE t ADD COLUMN x uuid DEFAULT gen_random_uuid()");
    const RelationLock& t = lock_on(uuid, "t");
    CHECK(t.rewrite.reason == "the default gen_random_uuid() is volatile: evaluated for every row");
  }

  TEST_CASE("2.2 a default calling an unknown function depends on its volatility") {
    LockImpact impact = impact_of("ALTER TABLE t ADD COLUMN x text DEFAULT app.make_code(1)");
    const RelationLock& t = lock_on(impact, "t");
    CHECK(t.rewrite.answer == Answer::depends);
    CHECK(t.rewrite.reason == "rewrites if app.make_code() is volatile");
    CHECK(t.scan.answer == Answer::depends);
    // A volatile call wins over an unknown one anywhere in the expression.
    CHECK(locks_of("ALTER TABLE t ADD COLUMN x text DEFAULT f(random())") == "t:AE rewrite scan");
  }

  TEST_CASE("2.2 a type that may be a domain with constraints") {
    LockImpact impact = impact_of("ALTER TABLE t ADD COLUMN x dpos DEFAULT 1");
    const RelationLock& t = lock_on(impact, "t");
    CHECK(t.rewrite.answer == Answer::depends);
    CHECK(t.rewrite.reason == "rewrites if dpos is a domain with constraints");
    CHECK(locks_of("ALTER TABLE t ADD COLUMN x uuid") == "t:AE");
    CHECK(locks_of("ALTER TABLE t ADD COLUMN x varchar(20)[]") == "t:AE");
  }

  TEST_CASE("2.3 DROP COLUMN, ALTER COLUMN TYPE, NULL and DEFAULT") {
    CHECK(locks_of("ALTER TABLE t DROP COLUMN b") ==
          "t:AE, the tables foreign keys on b reference:AE [if the column has a foreign key]");
    CHECK(locks_of("ALTER TABLE t DROP COLUMN IF EXISTS p_id CASCADE") ==
          "t:AE, the tables foreign keys on p_id reference:AE [if the column has a foreign "
          "key]");
    for (const char* sql : {
             "ALTER TABLE t ALTER COLUMN a TYPE bigint",
             "ALTER TABLE t ALTER COLUMN c TYPE varchar(50)",
             "ALTER TABLE t ALTER COLUMN c TYPE text",
             "ALTER TABLE t ALTER COLUMN c TYPE varchar(10)",
             "ALTER TABLE t ALTER COLUMN b TYPE varchar(100)",
             "ALTER TABLE t ALTER COLUMN nm TYPE numeric(12,2)",
             "ALTER TABLE t ALTER COLUMN n TYPE numeric",
             "ALTER TABLE t ALTER COLUMN c TYPE varchar(20) COLLATE \"C\"",
             "ALTER TABLE t ALTER COLUMN ts TYPE timestamptz",
             "ALTER TABLE t ALTER COLUMN c TYPE dvc",
             "ALTER TABLE t ALTER COLUMN a SET DATA TYPE bigint USING a",
             "ALTER TABLE t ALTER COLUMN a TYPE bigint USING a::bigint",
         }) {
      CHECK_MESSAGE(locks_of(sql) == "t:AE rewrite? scan?", sql);
    }
    CHECK(locks_of("ALTER TABLE t ALTER COLUMN n TYPE int USING n + 0") == "t:AE rewrite scan");
    CHECK(locks_of("ALTER TABLE t ALTER COLUMN n SET NOT NULL") == "t:AE scan?");
    CHECK(locks_of("ALTER TABLE t VALIDATE CONSTRAINT t_n_nn, ALTER COLUMN n SET NOT NULL") ==
          "t:AE scan, the table t_n_nn references:RS [if t_n_nn is a foreign key] scan?");
    CHECK(locks_of("ALTER TABLE t ALTER COLUMN p_id DROP NOT NULL") == "t:AE");
    CHECK(locks_of("ALTER TABLE t ALTER COLUMN n SET DEFAULT 5") == "t:AE");
    CHECK(locks_of("ALTER TABLE t ALTER COLUMN n DROP DEFAULT") == "t:AE");
    CHECK(locks_of("ALTER TABLE t ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY") ==
          "t:AE, a new sequence:AE created");
  }

  TEST_CASE("2.3 what a type change depends on, in words") {
    auto reason = [](const char* sql) { return lock_on(impact_of(sql), "t").rewrite.reason; };
    CHECK(reason("ALTER TABLE t ALTER COLUMN a TYPE bigint") ==
          "depends on the current type: none when it is binary coercible to bigint; otherwise "
          "the table and its indexes are rewritten");
    CHECK(reason("ALTER TABLE t ALTER COLUMN c TYPE varchar(50)") ==
          "depends on the current type: none from varchar(n) to a longer varchar or to text; "
          "otherwise the table and its indexes are rewritten");
    CHECK(reason("ALTER TABLE t ALTER COLUMN nm TYPE numeric(12,2)") ==
          "depends on the current type: none from numeric with the same scale and a lower "
          "precision; otherwise the table and its indexes are rewritten");
    CHECK(reason("ALTER TABLE t ALTER COLUMN ts TYPE timestamptz") ==
          "depends on the current type and the session TimeZone: none from timestamp when "
          "TimeZone is UTC; otherwise the table and its indexes are rewritten");
    CHECK(reason("ALTER TABLE t ALTER COLUMN ts TYPE timestamp with time zone") ==
          reason("ALTER TABLE t ALTER COLUMN ts TYPE timestamptz"));
    CHECK(reason("ALTER TABLE t ALTER COLUMN c TYPE dvc") ==
          "depends on the current type; always rewrites if dvc is a domain with constraints");
    CHECK(reason("ALTER TABLE t ALTER COLUMN n SET NOT NULL").empty());
    CHECK(lock_on(impact_of("ALTER TABLE t ALTER COLUMN n SET NOT NULL"), "t").scan.reason ==
          "reads every row, unless a validated CHECK (n IS NOT NULL) proves there is no NULL");
    CHECK(has_note(
        lock_on(impact_of("ALTER TABLE t ALTER COLUMN c TYPE text COLLATE \"C\""), "t").notes,
        "a new collation rebuilds the indexes on the column"));
  }

  TEST_CASE("2.4 constraints") {
    CHECK(locks_of("ALTER TABLE t ADD CONSTRAINT t_a_ck CHECK (a > 0)") == "t:AE scan");
    CHECK(locks_of("ALTER TABLE t ADD CONSTRAINT t_a_ck CHECK (a > 0) NOT VALID") == "t:AE");
    CHECK(locks_of("ALTER TABLE t VALIDATE CONSTRAINT t_a_ck") ==
          "t:SUE scan, the table t_a_ck references:RS [if t_a_ck is a foreign key] scan?");
    CHECK(locks_of("ALTER TABLE t ADD CONSTRAINT t_p_fk FOREIGN KEY (p_id) REFERENCES p (id)") ==
          "t:SRE scan, p:SRE scan?");
    CHECK(locks_of("ALTER TABLE t ADD CONSTRAINT t_p_fk FOREIGN KEY (p_id) REFERENCES p (id) "
                   "NOT VALID") == "t:SRE, p:SRE");
    CHECK(locks_of("ALTER TABLE t ADD CONSTRAINT t_a_uq UNIQUE (a)") ==
          "t:AE scan, t_a_uq:AE created");
    CHECK(locks_of("ALTER TABLE s.t ADD CONSTRAINT t_a_uq UNIQUE (a)") ==
          "s.t:AE scan, s.t_a_uq:AE created");
    CHECK(locks_of("ALTER TABLE t ADD CONSTRAINT t_a_uq UNIQUE USING INDEX t_a_uidx") ==
          "t:AE, t_a_uidx:SUE");
    CHECK(locks_of("ALTER TABLE t ADD PRIMARY KEY (id)") == "t:AE scan, a new index:AE created");
    CHECK(locks_of("ALTER TABLE t ADD CONSTRAINT t_pk PRIMARY KEY USING INDEX t_id_uidx") ==
          "t:AE scan?, t_id_uidx:SUE");
    CHECK(locks_of("ALTER TABLE t ADD CONSTRAINT t_a_ex EXCLUDE USING btree (a WITH =)") ==
          "t:AE scan, t_a_ex:AE created");
    CHECK(locks_of("ALTER TABLE t DROP CONSTRAINT t_a_ck") ==
          "t:AE, the table t_a_ck references:AE [if t_a_ck is a foreign key]");
    CHECK(locks_of("ALTER TABLE t ALTER CONSTRAINT t_p_fk DEFERRABLE") == "t:AE");
    CHECK(locks_of("ALTER TABLE t RENAME CONSTRAINT t_a_ck TO t_a_ck2") == "t:AE");
    LockImpact not_valid = impact_of("ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID");
    CHECK(has_note(lock_on(not_valid, "t").notes, "NOT VALID: existing rows are not checked"));
  }

  TEST_CASE("2.5 indexes") {
    CHECK(locks_of("CREATE INDEX t_b_idx ON t (b)") == "t:S scan, t_b_idx:AE created");
    CHECK(locks_of("CREATE UNIQUE INDEX t_b_uidx ON t (b)") == "t:S scan, t_b_uidx:AE created");
    CHECK(locks_of("CREATE INDEX ON s.t (b)") == "s.t:S scan, a new index:AE created");
    CHECK(locks_of("CREATE INDEX parted_k_idx ON ONLY parted (k)") ==
          "parted:S, parted_k_idx:AE created");
    CHECK(locks_of("CREATE INDEX CONCURRENTLY t_b_idx ON t (b)") ==
          "t:SUE scan, t_b_idx:RE created");
    CHECK(locks_of("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_b_uidx ON t (b)") ==
          "t:SUE scan, t_b_uidx:RE created");
    CHECK(locks_of("DROP INDEX t_a_idx") == "t_a_idx:AE, the table of index t_a_idx:AE");
    CHECK(locks_of("DROP INDEX CONCURRENTLY t_a_idx") ==
          "t_a_idx:SUE, the table of index t_a_idx:SUE");
    CHECK(locks_of("REINDEX INDEX t_a_idx") ==
          "t_a_idx:AE rewrite, the table of index t_a_idx:S scan");
    CHECK(locks_of("REINDEX TABLE t") == "t:S scan, the indexes of t:AE rewrite");
    CHECK(locks_of("REINDEX INDEX CONCURRENTLY t_a_idx") ==
          "t_a_idx:SUE rewrite, the table of index t_a_idx:SUE scan");
    CHECK(locks_of("REINDEX (CONCURRENTLY) TABLE t") == "t:SUE scan, the indexes of t:SUE rewrite");
    CHECK(locks_of("REINDEX SCHEMA app") ==
          "each table in schema app, one at a time:S scan, each index in schema app, one at a "
          "time:AE rewrite");
    CHECK(locks_of("ALTER INDEX t_a_idx RENAME TO t_a_idx2") == "t_a_idx:SUE");
    CHECK(locks_of("ALTER INDEX t_a_idx SET (fillfactor = 80)") == "t_a_idx:SUE");
    CHECK(locks_of("ALTER INDEX gin_idx SET (fastupdate = off)") == "gin_idx:AE");
    LockImpact cic = impact_of("CREATE INDEX CONCURRENTLY t_b_idx ON t (b)");
    CHECK(has_note(cic.notes, "even on other tables"));
    CHECK(has_note(cic.notes, "INVALID index"));
  }

  TEST_CASE("2.6 renames, triggers, RLS, other ALTER TABLE forms") {
    CHECK(locks_of("ALTER TABLE t RENAME TO t_renamed") == "t:AE");
    CHECK(locks_of("ALTER TABLE t RENAME COLUMN b TO b2") == "t:AE");
    CHECK(locks_of("ALTER VIEW v RENAME COLUMN b TO b2") == "v:AE");
    CHECK(locks_of("CREATE TRIGGER t_trg BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()") ==
          "t:SRE");
    CHECK(locks_of("DROP TRIGGER t_trg ON s.t") == "s.t:AE");
    CHECK(locks_of("ALTER TABLE t DISABLE TRIGGER t_trg") == "t:SRE");
    CHECK(locks_of("ALTER TABLE t ENABLE TRIGGER ALL") == "t:SRE");
    CHECK(locks_of("ALTER TABLE t ENABLE ROW LEVEL SECURITY") == "t:AE");
    CHECK(locks_of("CREATE POLICY pol ON t USING (true)") == "t:AE");
    CHECK(locks_of("ALTER TABLE t ALTER COLUMN a SET STATISTICS 500") == "t:SUE");
    CHECK(locks_of("ALTER TABLE t ALTER COLUMN a SET STATISTICS 0") == "t:SUE");
    CHECK(locks_of("ALTER TABLE t ALTER COLUMN a SET (n_distinct = 100)") == "t:SUE");
    CHECK(locks_of("ALTER TABLE t SET (fillfactor = 70)") == "t:SUE");
    CHECK(locks_of("ALTER TABLE t SET (autovacuum_enabled = false, toast.autovacuum_enabled = "
                   "false)") == "t:SUE");
    CHECK(locks_of("ALTER TABLE t RESET (fillfactor)") == "t:SUE");
    CHECK(locks_of("ALTER TABLE t SET (user_catalog_table = true)") == "t:AE");
    CHECK(locks_of("ALTER TABLE t CLUSTER ON t_pkey") == "t:SUE, t_pkey:SUE");
    CHECK(locks_of("ALTER TABLE t SET WITHOUT CLUSTER") == "t:SUE");
    CHECK(locks_of("ALTER TABLE t ALTER COLUMN b SET STORAGE EXTERNAL") == "t:AE");
    CHECK(locks_of("ALTER TABLE t ALTER COLUMN b SET COMPRESSION pglz") == "t:AE");
    CHECK(locks_of("ALTER TABLE t SET UNLOGGED") == "t:AE rewrite scan");
    CHECK(locks_of("ALTER TABLE t SET LOGGED") == "t:AE rewrite scan");
    CHECK(locks_of("ALTER TABLE t REPLICA IDENTITY FULL") == "t:AE");
    CHECK(locks_of("ALTER TABLE t OWNER TO r") == "t:AE, the indexes of t:AE");
    CHECK(locks_of("ALTER TABLE t SET SCHEMA s2") == "t:AE");
    CHECK(locks_of("ALTER TABLE t ALTER COLUMN a SET STATISTICS 100, ADD COLUMN x int") == "t:AE");
    CHECK(locks_of("ALTER TABLE t SET TABLESPACE fast") == "t:AE rewrite scan");
    CHECK(locks_of("ALTER TABLE t SET ACCESS METHOD heap") == "t:AE rewrite? scan?");
  }

  TEST_CASE("several subcommands: the strongest lock wins") {
    CHECK(locks_of("ALTER TABLE t ALTER COLUMN a SET STATISTICS 100, "
                   "ADD CONSTRAINT fk FOREIGN KEY (p_id) REFERENCES p NOT VALID") ==
          "t:SRE, p:SRE");
    CHECK(locks_of("ALTER TABLE t VALIDATE CONSTRAINT c, DISABLE TRIGGER ALL") ==
          "t:SRE scan, the table c references:RS [if c is a foreign key] scan?");
    CHECK(impact_of("ALTER TABLE t SET (fillfactor = 70), ENABLE ROW LEVEL SECURITY").strongest() ==
          LockMode::access_exclusive);
  }

  TEST_CASE("2.7 partitions") {
    CHECK(locks_of("ALTER TABLE parted ATTACH PARTITION pt2 FOR VALUES FROM (1000) TO (2000)") ==
          "parted:SUE, pt2:AE scan?, the default partition of parted:AE [if parted has one] "
          "scan");
    CHECK(locks_of("ALTER TABLE parted DETACH PARTITION pt1") ==
          "parted:AE, pt1:AE, tables referencing parted by foreign key:AE [if any] scan");
    CHECK(locks_of("ALTER TABLE parted DETACH PARTITION pt1 CONCURRENTLY") ==
          "parted:SUE, pt1:SUE");
    CHECK(locks_of("ALTER INDEX parted_k_idx ATTACH PARTITION pt1_k_idx") ==
          "parted_k_idx:SUE, pt1_k_idx:AE");
    CHECK(has_note(impact_of("ALTER TABLE parted DETACH PARTITION pt1 CONCURRENTLY").notes,
                   "runs two transactions"));
  }

  TEST_CASE("2.8 other DDL") {
    CHECK(locks_of("CREATE EXTENSION pg_trgm").empty());
    CHECK(locks_of("DROP SCHEMA app").empty());
    CHECK(locks_of("DROP SCHEMA app CASCADE") ==
          "every relation in schema app:AE [if there is any]");
    CHECK(locks_of("DROP TYPE s.mood CASCADE") ==
          "every table with a column of type s.mood:AE [if there is any]");
    CHECK(locks_of("CREATE VIEW v AS SELECT * FROM t") == "v:AE created, t:AS");
    CHECK(locks_of("CREATE OR REPLACE VIEW v AS SELECT id, a FROM t") == "v:AE, t:AS");
    CHECK(locks_of("COMMENT ON TABLE t IS 'hello'") == "t:SUE");
    CHECK(locks_of("COMMENT ON COLUMN s.t.a IS 'x'") == "s.t:SUE");
    CHECK(locks_of("COMMENT ON CONSTRAINT c ON t IS 'x'") == "t:AS");
    CHECK(locks_of("GRANT SELECT ON t TO PUBLIC").empty());
    CHECK(locks_of("CREATE STATISTICS t_st ON a, n FROM t") == "t:SUE");
    CHECK(locks_of("ALTER TYPE mood ADD VALUE 'c'").empty());
    CHECK(locks_of("ALTER TYPE mood RENAME VALUE 'a' TO 'aa'").empty());
    CHECK(locks_of("ALTER DOMAIN dvc ADD CONSTRAINT dvc_len CHECK (length(VALUE) < 10)") ==
          "every table with a column of domain dvc:S scan");
    CHECK(locks_of("ALTER DOMAIN dvc ADD CONSTRAINT dvc_len CHECK (length(VALUE) < 10) NOT "
                   "VALID")
              .empty());
    CHECK(locks_of("ALTER DOMAIN dvc SET NOT NULL") ==
          "every table with a column of domain dvc:S scan");
    CHECK(locks_of("ALTER SEQUENCE s1 RESTART WITH 100") == "s1:SRE");
    CHECK(locks_of("ALTER SEQUENCE s1 OWNED BY t.a") == "s1:SRE, t:AS");
    CHECK(locks_of("CREATE RULE r AS ON INSERT TO t DO INSTEAD NOTHING") == "t:AE");
    CHECK(locks_of("DROP POLICY pol ON t") == "t:AE");
    CHECK(locks_of("DROP STATISTICS t_st") == "the table of statistics t_st:SUE");
    CHECK(locks_of("CREATE TABLE ch (x int) INHERITS (t)") == "ch:AE created, t:SUE");
    CHECK(locks_of("ALTER TABLE ch INHERIT t") == "ch:AE, t:SUE");
    CHECK(locks_of("CREATE PUBLICATION pub FOR TABLE t, s.u") == "t:SUE, s.u:SUE");
  }

  TEST_CASE("2.8 materialized views") {
    CHECK(locks_of("REFRESH MATERIALIZED VIEW mv") ==
          "mv:AE rewrite scan, the tables the view reads:AS scan");
    CHECK(locks_of("REFRESH MATERIALIZED VIEW CONCURRENTLY mv") ==
          "mv:E scan, the tables the view reads:AS scan");
    CHECK(locks_of("REFRESH MATERIALIZED VIEW mv WITH NO DATA") ==
          "mv:AE, the tables the view reads:AS");
    CHECK(locks_of("CREATE MATERIALIZED VIEW mv AS SELECT id FROM t") ==
          "mv:AE created, t:AS scan");
    CHECK(locks_of("CREATE MATERIALIZED VIEW mv AS SELECT id FROM t WITH NO DATA") ==
          "mv:AE created, t:AS");
  }

  TEST_CASE("2.8 maintenance") {
    CHECK(locks_of("VACUUM t") == "t:SUE scan");
    CHECK(locks_of("VACUUM (VERBOSE, ANALYZE) t, s.u") == "t:SUE scan, s.u:SUE scan");
    CHECK(locks_of("VACUUM FULL t") == "t:AE rewrite scan");
    CHECK(locks_of("VACUUM") == "each table in the database, one at a time:SUE scan");
    CHECK(locks_of("CLUSTER t USING t_pkey") == "t:AE rewrite scan");
    CHECK(locks_of("CLUSTER") == "each table clustered before, one at a time:AE rewrite scan");
    CHECK(locks_of("ANALYZE t") == "t:SUE");
  }

  TEST_CASE("2.8 DML") {
    CHECK(locks_of("INSERT INTO t VALUES (1)") ==
          "t:RE, the tables t references by foreign key:RS [if it has foreign keys]");
    CHECK(locks_of("INSERT INTO t SELECT * FROM u") ==
          "t:RE, the tables t references by foreign key:RS [if it has foreign keys], u:AS");
    CHECK(locks_of("UPDATE t SET n = n + 1 WHERE id = 1") ==
          "t:RE, the tables t references by foreign key:RS [if it has foreign keys]");
    CHECK(locks_of("DELETE FROM t WHERE id = 1") == "t:RE");
    CHECK(locks_of("UPDATE t SET n = n + 1") ==
          "t:RE scan, the tables t references by foreign key:RS [if it has foreign keys]");
    CHECK(locks_of("DELETE FROM t") == "t:RE scan");
    CHECK(locks_of("UPDATE t SET a = u.a FROM u WHERE u.id = t.id") ==
          "t:RE, the tables t references by foreign key:RS [if it has foreign keys], u:AS");
    CHECK(locks_of("MERGE INTO t USING u ON t.id = u.id WHEN MATCHED THEN DELETE") ==
          "t:RE, the tables t references by foreign key:RS [if it has foreign keys], u:AS");
    CHECK(locks_of("COPY t FROM STDIN") ==
          "t:RE, the tables t references by foreign key:RS [if it has foreign keys]");
    CHECK(locks_of("COPY t TO STDOUT") == "t:AS scan");
  }

  TEST_CASE("UPDATE or DELETE without WHERE row-locks every row") {
    LockImpact all = impact_of("UPDATE t SET n = 0");
    CHECK(has_note(all.notes, "no WHERE: every row of t is locked until commit"));
    CHECK(lock_on(all, "t").scan.reason == "changes every row");
    LockImpact some = impact_of("DELETE FROM t WHERE id < 100");
    CHECK_FALSE(has_note(some.notes, "no WHERE"));
    CHECK(has_note(some.notes, "row locks on the rows it changes"));
  }

  TEST_CASE("2.8 SELECT, FOR UPDATE/SHARE, INTO, WITH") {
    CHECK(locks_of("SELECT count(*) FROM t JOIN p ON p.id = t.p_id") == "t:AS, p:AS");
    CHECK(locks_of("SELECT 1 FROM t WHERE id = 1 FOR UPDATE") == "t:RS");
    CHECK(locks_of("SELECT 1 FROM t WHERE id = 1 FOR SHARE") == "t:RS");
    CHECK(locks_of("SELECT * FROM t JOIN u USING (id) FOR UPDATE OF t") == "t:RS, u:AS");
    CHECK(locks_of("SELECT * INTO t3 FROM t") == "t3:AE created, t:AS");
    CHECK(locks_of("WITH x AS (SELECT * FROM t) SELECT * FROM x") == "t:AS");
    CHECK(locks_of("WITH d AS (DELETE FROM t WHERE id = 1 RETURNING *) SELECT * FROM d") == "t:RE");
    CHECK(locks_of("SELECT 1") == "");
    CHECK(has_note(impact_of("SELECT * FROM t FOR UPDATE").notes, "row locks on the rows it"));
  }

  TEST_CASE("EXPLAIN plans: locks without effects unless ANALYZE") {
    CHECK(locks_of("EXPLAIN UPDATE t SET a = 1") == "t:RE");
    CHECK(locks_of("EXPLAIN ANALYZE UPDATE t SET a = 1") ==
          "t:RE scan, the tables t references by foreign key:RS [if it has foreign keys]");
  }

  TEST_CASE("2.8 LOCK TABLE in every mode") {
    CHECK(locks_of("LOCK TABLE t") == "t:AE");
    CHECK(locks_of("LOCK t, s.u IN ACCESS SHARE MODE") == "t:AS, s.u:AS");
    CHECK(locks_of("LOCK TABLE t IN ROW SHARE MODE") == "t:RS");
    CHECK(locks_of("LOCK TABLE t IN ROW EXCLUSIVE MODE") == "t:RE");
    CHECK(locks_of("LOCK TABLE t IN SHARE UPDATE EXCLUSIVE MODE") == "t:SUE");
    CHECK(locks_of("LOCK TABLE t IN SHARE MODE") == "t:S");
    CHECK(locks_of("LOCK TABLE t IN SHARE ROW EXCLUSIVE MODE") == "t:SRE");
    CHECK(locks_of("LOCK TABLE t IN EXCLUSIVE MODE NOWAIT") == "t:E");
    CHECK(locks_of("LOCK TABLE ONLY t IN ACCESS EXCLUSIVE MODE") == "t:AE");
  }

  TEST_CASE("statements that lock no table, and code the parser cannot see") {
    for (const char* sql :
         {"SET lock_timeout = '2s'", "SHOW lock_timeout", "BEGIN",
          "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'", "CREATE SCHEMA app",
          "CREATE TYPE mood AS ENUM ('a')", "DROP FUNCTION f()", "CREATE ROLE r"}) {
      LockImpact impact = impact_of(sql);
      CHECK_MESSAGE(impact.known, sql);
      CHECK_MESSAGE(impact.locks.empty(), sql);
      CHECK_MESSAGE(impact.summary == "no table locks", sql);
    }
    for (const char* sql : {"DO $$ BEGIN EXECUTE 'ALTER TABLE t ADD COLUMN x int'; END $$",
                            "CALL maintenance()", "EXECUTE prepared_stmt"}) {
      LockImpact impact = impact_of(sql);
      CHECK_MESSAGE(!impact.known, sql);
      CHECK_MESSAGE(impact.locks.empty(), sql);
      CHECK_MESSAGE(impact.summary.starts_with("not analysed: "), sql);
    }
    CHECK(impact_of("DO $$ BEGIN END $$").summary ==
          "not analysed: a DO block runs code the parser cannot see");
  }

  TEST_CASE("summaries") {
    CHECK(impact_of("ALTER TABLE \"Recipe\" ADD COLUMN x int").summary ==
          "ACCESS EXCLUSIVE on \"Recipe\" (blocks reads and writes) — instant, no rewrite");
    CHECK(impact_of("ALTER TABLE public.\"RecipeItem\" ADD CONSTRAINT \"RecipeItem_key\" "
                    "UNIQUE (\"recipeId\", \"ingredientId\")")
              .summary ==
          "ACCESS EXCLUSIVE on public.\"RecipeItem\" (blocks reads and writes), creates index "
          "public.\"RecipeItem_key\" — scans public.\"RecipeItem\" (builds the index)");
    CHECK(impact_of("ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (p_id) REFERENCES p").summary ==
          "SHARE ROW EXCLUSIVE on t and p (blocks writes) — scans t (checks every row against "
          "p) and may scan p (read in full or through its key index, as the validation query "
          "plans)");
    CHECK(impact_of("CREATE INDEX CONCURRENTLY i ON t (a)").summary ==
          "SHARE UPDATE EXCLUSIVE on t (does not block reads or writes), creates index i — "
          "scans t (builds the index in two passes)");
    CHECK(impact_of("ALTER TABLE t ADD COLUMN x timestamptz DEFAULT clock_timestamp()").summary ==
          "ACCESS EXCLUSIVE on t (blocks reads and writes) — rewrites t (the default "
          "clock_timestamp() is volatile: evaluated for every row)");
    // A conditional lock that blocks nothing stays out of the one-liner.
    CHECK(impact_of("ALTER TABLE t VALIDATE CONSTRAINT c").summary ==
          "SHARE UPDATE EXCLUSIVE on t (does not block reads or writes) — scans t (validates "
          "every row) and may scan the table c references (read in full or through its key "
          "index, as the validation query plans)");
    CHECK(impact_of("DROP INDEX i").summary ==
          "ACCESS EXCLUSIVE on i and the table of index i (blocks reads and writes) — instant, "
          "no rewrite");
    CHECK(impact_of("ALTER TABLE t DROP CONSTRAINT c").summary ==
          "ACCESS EXCLUSIVE on t (blocks reads and writes), ACCESS EXCLUSIVE on the table c "
          "references if c is a foreign key (blocks reads and writes) — instant, no rewrite");
  }

  TEST_CASE("strongest, find, rewrites and scans") {
    LockImpact fk = impact_of("ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES p");
    CHECK(fk.strongest() == LockMode::share_row_exclusive);
    CHECK(fk.find(RelationName{"", "p"})->mode == LockMode::share_row_exclusive);
    CHECK(fk.find(RelationName{"public", "p"}) == nullptr);
    CHECK(fk.scans());
    CHECK_FALSE(fk.rewrites());
    // Created relations and conditional locks do not count.
    CHECK(impact_of("CREATE TABLE c (a int)").strongest() == std::nullopt);
    CHECK(impact_of("CREATE INDEX i ON t (a)").strongest() == LockMode::share);
    CHECK(impact_of("ALTER TABLE t DROP CONSTRAINT c").strongest() == LockMode::access_exclusive);
    CHECK(impact_of("VACUUM FULL t").rewrites());
    CHECK_FALSE(impact_of("SELECT * FROM t").scans());
  }

  TEST_CASE("relation names as written") {
    LockImpact i = impact_of("ALTER TABLE App.\"Order Items\" ADD COLUMN x int");
    REQUIRE(i.locks.size() == 1);
    CHECK(i.locks[0].relation == RelationName{"app", "Order Items"});
    CHECK(i.locks[0].target() == "app.\"Order Items\"");
    CHECK(runbook::sql::identifier_sql("a\"b") == "\"a\"\"b\"");
    CHECK(runbook::sql::identifier_sql("_x1$") == "_x1$");
    CHECK(runbook::sql::identifier_sql("1x") == "\"1x\"");
  }
}

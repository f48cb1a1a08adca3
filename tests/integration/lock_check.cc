// Replays tests/integration/locks/cases.yaml on a real PostgreSQL server and
// compares what the server does with what sql/lock_impact.h says.
//
// For each case, in a scratch database: build the base schema and the
// case's setup, then BEGIN, snapshot pg_class and pg_stat_xact_user_tables,
// run the statement, read pg_locks for this backend, snapshot again,
// ROLLBACK. Checked:
//   - the server's strongest lock on each relation listed in `locks`;
//   - every relation the analysis names (or maps through `implied`) is locked
//     by the server in exactly the mode the analysis gives;
//   - the tables whose relfilenode changed are `rewrites`, and the analysis
//     says yes for those and no for the others (or depends);
//   - the tables whose seq_scan grew are `scans`, likewise;
//   - statements PostgreSQL refuses in a transaction block are refused with
//     the analysis' reason; run on their own while a second session holds
//     SHARE UPDATE EXCLUSIVE on `waits_on`, the mode they wait for there
//     must be the analysis' mode.
//
// The connection comes from the PG* environment variables. Without a server
// the program exits 77 (skipped).
//
//   lock_check [--cases FILE] [doctest options]

#define DOCTEST_CONFIG_IMPLEMENT
#include "sql/lock_impact.h"
#include "sql/statements.h"

#include <doctest/doctest.h>
#include <libpq-fe.h>
#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unistd.h>
#include <vector>

namespace sql = runbook::sql;

namespace {

struct Case {
  std::string id;
  std::string row;
  std::string setup;
  std::string before;
  std::string statement;
  std::map<std::string, std::string> locks;    // relation -> pg_locks mode
  std::map<std::string, std::string> implied;  // analysis description -> relation
  std::set<std::string> rewrites;
  std::set<std::string> scans;
  std::optional<std::string> error;
  bool transaction = true;
  bool effects = true;   // false: the analysis' rewrite/scan claims are not compared
  std::string waits_on;  // non-transactional: the relation whose lock request is observed
};

struct Corpus {
  std::string base_setup;
  std::vector<Case> cases;
};

std::set<std::string> string_set(const YAML::Node& n) {
  std::set<std::string> out;
  for (const auto& item : n) {
    out.insert(item.as<std::string>());
  }
  return out;
}

std::map<std::string, std::string> string_map(const YAML::Node& n) {
  std::map<std::string, std::string> out;
  for (const auto& item : n) {
    out[item.first.as<std::string>()] = item.second.as<std::string>();
  }
  return out;
}

Corpus load_corpus(const std::string& path) {
  YAML::Node root = YAML::LoadFile(path);
  Corpus corpus;
  corpus.base_setup = root["base_setup"].as<std::string>();
  for (const auto& c : root["cases"]) {
    Case k;
    k.id = c["id"].as<std::string>();
    k.row = c["row"].as<std::string>("");
    k.setup = c["setup"].as<std::string>("");
    k.before = c["before"].as<std::string>("");
    k.statement = c["sql"].as<std::string>();
    k.locks = string_map(c["locks"]);
    k.implied = string_map(c["implied"]);
    k.rewrites = string_set(c["rewrites"]);
    k.scans = string_set(c["scans"]);
    if (c["error"]) {
      k.error = c["error"].as<std::string>();
    }
    k.transaction = c["transaction"].as<bool>(true);
    k.effects = c["effects"].as<bool>(true);
    k.waits_on = c["waits_on"].as<std::string>("");
    corpus.cases.push_back(std::move(k));
  }
  return corpus;
}

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

class Connection {
 public:
  explicit Connection(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str())) {
    // Setup and reset print NOTICEs (drop cascades ...): not of interest here.
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
  }
  ~Connection() { PQfinish(conn_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool ok() const { return PQstatus(conn_) == CONNECTION_OK; }
  std::string error() const { return PQerrorMessage(conn_); }

  // Runs one statement; returns PostgreSQL's primary message on failure.
  std::optional<std::string> run(const std::string& statement) {
    Result r(PQexec(conn_, statement.c_str()));
    ExecStatusType st = PQresultStatus(r.get());
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
      return std::nullopt;
    }
    const char* primary = PQresultErrorField(r.get(), PG_DIAG_MESSAGE_PRIMARY);
    return std::string(primary != nullptr ? primary : PQerrorMessage(conn_));
  }

  // Starts `statement` without waiting for it.
  void send(const std::string& statement) {
    REQUIRE_MESSAGE(PQsendQuery(conn_, statement.c_str()) == 1, PQerrorMessage(conn_));
  }

  // Waits for what send() started; PostgreSQL's message on failure.
  std::optional<std::string> finish() {
    std::optional<std::string> err;
    while (PGresult* raw = PQgetResult(conn_)) {
      Result r(raw);
      if (PQresultStatus(r.get()) == PGRES_FATAL_ERROR && !err) {
        const char* primary = PQresultErrorField(r.get(), PG_DIAG_MESSAGE_PRIMARY);
        err = std::string(primary != nullptr ? primary : "error");
      }
    }
    return err;
  }

  std::string backend_pid() { return std::to_string(PQbackendPID(conn_)); }

  Result query(const std::string& statement) {
    Result r(PQexec(conn_, statement.c_str()));
    REQUIRE_MESSAGE(PQresultStatus(r.get()) == PGRES_TUPLES_OK,
                    statement << ": " << PQerrorMessage(conn_));
    return r;
  }

  // Runs SQL statement by statement, as split by the code under test, so
  // that statements that refuse a transaction block (VACUUM) work in setup.
  void run_script(const std::string& script, const std::string& what) {
    sql::SplitResult split = sql::parse_statements(script);
    REQUIRE_MESSAGE(!split.error, what << ": " << split.error->message);
    for (const sql::Statement& s : split.statements) {
      std::optional<std::string> err = run(s.text);
      REQUIRE_MESSAGE(!err, what << ": " << s.text << ": " << *err);
    }
  }

 private:
  PGconn* conn_;
};

std::string g_cases_path = RUNBOOK_LOCK_CASES;
std::unique_ptr<Connection> g_conn;     // runs the cases
std::unique_ptr<Connection> g_blocker;  // holds locks and watches g_conn

struct Relation {
  std::string name;
  char kind = 'r';
  std::string filenode;
  long seq_scan = 0;
};

using Snapshot = std::map<std::string, Relation>;  // by oid

Snapshot snapshot(Connection& conn) {
  Result r = conn.query(
      "SELECT c.oid, c.relname, c.relkind, c.relfilenode, coalesce(s.seq_scan, 0) "
      "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
      "LEFT JOIN pg_stat_xact_user_tables s ON s.relid = c.oid "
      "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
      "AND n.nspname NOT LIKE 'pg_toast%'");
  Snapshot out;
  for (int i = 0; i < PQntuples(r.get()); ++i) {
    Relation rel;
    rel.name = PQgetvalue(r.get(), i, 1);
    rel.kind = PQgetvalue(r.get(), i, 2)[0];
    rel.filenode = PQgetvalue(r.get(), i, 3);
    rel.seq_scan = std::atol(PQgetvalue(r.get(), i, 4));
    out[PQgetvalue(r.get(), i, 0)] = rel;
  }
  return out;
}

struct Observation {
  std::map<std::string, sql::LockMode> locks;  // strongest per relation name
  std::map<std::string, char> kinds;           // pg_class.relkind per name
  std::set<std::string> rewritten;             // tables, materialized views and indexes
  std::set<std::string> scanned;               // tables and materialized views
};

bool is_table(char kind) {
  return kind == 'r' || kind == 'm';
}

std::string joined(const std::set<std::string>& names) {
  std::string out = "[";
  for (const std::string& n : names) {
    out += (out.size() > 1 ? ", " : "") + n;
  }
  return out + "]";
}

std::map<std::string, sql::LockMode> held_locks(Connection& conn, const Snapshot& before,
                                                const Snapshot& after) {
  Result r = conn.query(
      "SELECT relation::text, mode FROM pg_locks "
      "WHERE pid = pg_backend_pid() AND locktype = 'relation' AND granted");
  std::map<std::string, sql::LockMode> out;
  for (int i = 0; i < PQntuples(r.get()); ++i) {
    std::string oid = PQgetvalue(r.get(), i, 0);
    // Names as the statement wrote them: from before it ran (it may rename
    // the relation), else from after (it created it).
    const Snapshot* where = before.count(oid) != 0 ? &before : &after;
    auto rel = where->find(oid);
    std::optional<sql::LockMode> mode = sql::lock_mode_from_pg_locks(PQgetvalue(r.get(), i, 1));
    if (rel == where->end() || !mode) {
      continue;  // a catalog or TOAST relation
    }
    auto [it, inserted] = out.emplace(rel->second.name, *mode);
    if (!inserted && *mode > it->second) {
      it->second = *mode;
    }
  }
  return out;
}

Observation observe(const Case& c, const Corpus& corpus) {
  Connection& conn = *g_conn;
  conn.run_script(
      "DROP SCHEMA IF EXISTS public CASCADE; DROP SCHEMA IF EXISTS s2 CASCADE; "
      "CREATE SCHEMA public;",
      "reset");
  conn.run_script(corpus.base_setup, "base_setup");
  conn.run_script(c.setup, "setup");
  REQUIRE_FALSE(conn.run("BEGIN"));
  conn.run_script(c.before, "before");
  Snapshot before = snapshot(conn);
  std::optional<std::string> err = conn.run(c.statement);
  Observation obs;
  if (err) {
    REQUIRE_MESSAGE(c.error.has_value(), "unexpected error: " << *err);
    CHECK(*err == *c.error);
    conn.run("ROLLBACK");
    return obs;
  }
  REQUIRE_MESSAGE(!c.error.has_value(), "expected the error: " << *c.error);
  Snapshot after = snapshot(conn);
  obs.locks = held_locks(conn, before, after);
  for (const auto& [oid, rel] : before) {
    obs.kinds[rel.name] = rel.kind;
    auto now = after.find(oid);
    if (now == after.end() || (!is_table(rel.kind) && rel.kind != 'i')) {
      continue;
    }
    if (now->second.filenode != rel.filenode) {
      obs.rewritten.insert(rel.name);
    }
    if (is_table(rel.kind) && now->second.seq_scan > rel.seq_scan) {
      obs.scanned.insert(rel.name);
    }
  }
  REQUIRE_FALSE(conn.run("ROLLBACK"));
  return obs;
}

std::string mode_name(std::optional<sql::LockMode> m) {
  return m ? std::string(sql::lock_mode_pg_locks(*m)) : "(none)";
}

std::optional<sql::LockMode> server_mode(const Observation& obs, const std::string& name) {
  auto it = obs.locks.find(name);
  return it == obs.locks.end() ? std::nullopt : std::optional(it->second);
}

// The relation an analysis entry stands for in this case, or "" when it
// cannot be told (an unnamed relation the case does not map).
std::string relation_of(const sql::RelationLock& l, const Case& c) {
  if (!l.relation.empty()) {
    return l.relation.name;
  }
  auto it = c.implied.find(l.described);
  return it == c.implied.end() ? "" : it->second;
}

// For a statement that cannot run in a transaction block: another session
// holds SHARE UPDATE EXCLUSIVE on `waits_on`, so the statement's request for
// its working lock there (SHARE UPDATE EXCLUSIVE or stronger: every such
// statement takes one) waits and shows in pg_locks with its mode. Weaker
// locks taken on the way, such as VACUUM's ACCESS SHARE while it looks the
// table up, pass. Returns that mode, and the statement's own error, if any,
// once the blocker lets go.
std::pair<std::optional<sql::LockMode>, std::optional<std::string>> requested_lock(
    const Case& c, const Corpus& corpus) {
  Connection& conn = *g_conn;
  conn.run_script(
      "DROP SCHEMA IF EXISTS public CASCADE; DROP SCHEMA IF EXISTS s2 CASCADE; "
      "CREATE SCHEMA public;",
      "reset");
  conn.run_script(corpus.base_setup, "base_setup");
  conn.run_script(c.setup, "setup");
  REQUIRE_FALSE(g_blocker->run("BEGIN"));
  REQUIRE_FALSE(g_blocker->run("LOCK TABLE " + c.waits_on + " IN SHARE UPDATE EXCLUSIVE MODE"));
  conn.send(c.statement);
  std::string watch =
      "SELECT mode FROM pg_locks WHERE locktype = 'relation' AND NOT granted AND pid = " +
      conn.backend_pid() + " AND relation = '" + c.waits_on + "'::regclass";
  std::optional<sql::LockMode> mode;
  for (int attempt = 0; attempt < 500 && !mode; ++attempt) {
    Result r = g_blocker->query(watch);
    if (PQntuples(r.get()) > 0) {
      mode = sql::lock_mode_from_pg_locks(PQgetvalue(r.get(), 0, 0));
    } else {
      usleep(10000);
    }
  }
  REQUIRE_FALSE(g_blocker->run("ROLLBACK"));
  return {mode, conn.finish()};
}

void check_effect(const std::string& what, const std::string& name, sql::Answer answer,
                  bool happened) {
  if (answer == sql::Answer::yes) {
    CHECK_MESSAGE(happened, "analysis says " << name << " " << what << ", the server did not");
  } else if (answer == sql::Answer::no) {
    CHECK_MESSAGE(!happened, "the server " << what << " " << name << ", the analysis says no");
  }
}

void check_case(const Case& c, const Corpus& corpus) {
  sql::SplitResult split = sql::parse_statements(c.statement);
  REQUIRE_MESSAGE(!split.error, split.error->message);
  REQUIRE(split.statements.size() == 1);
  const sql::Statement& statement = split.statements[0];
  if (!c.transaction) {
    REQUIRE(!statement.info.can_run_in_transaction);
    REQUIRE_FALSE(g_conn->run("BEGIN"));
    std::optional<std::string> err = g_conn->run(c.statement);
    g_conn->run("ROLLBACK");
    REQUIRE(err.has_value());
    CHECK(*err == statement.info.no_transaction_reason);
    if (!c.waits_on.empty()) {
      auto [requested, failure] = requested_lock(c, corpus);
      CHECK_MESSAGE(failure == c.error, "the statement's outcome: " << failure.value_or("ok"));
      CHECK_MESSAGE(mode_name(requested) == c.locks.at(c.waits_on), "requested on " << c.waits_on);
      sql::LockImpact impact = sql::analyze_locks(statement);
      std::optional<sql::LockMode> analysed;
      for (const sql::RelationLock& l : impact.locks) {
        if (relation_of(l, c) == c.waits_on) {
          analysed = l.mode;
        }
      }
      CHECK_MESSAGE(mode_name(analysed) == mode_name(requested), "analysis on " << c.waits_on);
    }
    return;
  }
  CHECK(statement.info.can_run_in_transaction);
  Observation obs = observe(c, corpus);
  if (c.error) {
    return;
  }
  for (const auto& [name, mode] : c.locks) {
    CHECK_MESSAGE(mode_name(server_mode(obs, name)) == mode, "the server's lock on " << name);
  }
  sql::LockImpact impact = sql::analyze_locks(statement);
  std::set<std::string> covered;
  for (const sql::RelationLock& l : impact.locks) {
    std::string name = relation_of(l, c);
    if (name.empty()) {
      // Only a condition the setup does not meet may go unmapped.
      CHECK_MESSAGE((!l.condition.empty() || l.created), "unmapped: " << l.target());
      continue;
    }
    covered.insert(name);
    std::optional<sql::LockMode> held = server_mode(obs, name);
    if (l.created) {
      CHECK_MESSAGE(held.has_value(), "created " << name << " is not locked");
      continue;
    }
    CHECK_MESSAGE(mode_name(held) == mode_name(l.mode), "analysis vs server on " << name);
    auto kind = obs.kinds.find(name);
    if (!c.effects || kind == obs.kinds.end()) {
      continue;  // created by the statement, or effects not comparable (see the case)
    }
    if (is_table(kind->second) || kind->second == 'i') {
      check_effect("rewrites", name, l.rewrite.answer, obs.rewritten.count(name) != 0);
    }
    // "Scan" is a full read under a lock that blocks others; under a lock
    // that blocks nothing (SELECT, DML) only a certain full read is claimed.
    bool claims = l.scan.answer == sql::Answer::yes || l.blocks() != sql::Blocks::nothing;
    if (is_table(kind->second) && claims) {
      check_effect("scans", name, l.scan.answer, obs.scanned.count(name) != 0);
    }
  }
  for (const auto& [name, mode] : c.locks) {
    (void)mode;
    bool named_in_statement = false;
    for (const sql::RelationName& r : statement.info.relations) {
      named_in_statement = named_in_statement || r.name == name;
    }
    if (named_in_statement) {
      CHECK_MESSAGE(covered.count(name) != 0, "analysis misses " << name);
    }
  }
  std::set<std::string> rewritten_tables;
  for (const std::string& name : obs.rewritten) {
    if (is_table(obs.kinds[name])) {
      rewritten_tables.insert(name);
    }
  }
  CHECK_MESSAGE(rewritten_tables == c.rewrites, "rewritten: " << joined(rewritten_tables));
  CHECK_MESSAGE(obs.scanned == c.scans, "scanned: " << joined(obs.scanned));
}

}  // namespace

TEST_CASE("lock corpus against pg_locks") {
  Corpus corpus = load_corpus(g_cases_path);
  REQUIRE(!corpus.cases.empty());
  std::set<std::string> ids;
  for (const Case& c : corpus.cases) {
    REQUIRE_MESSAGE(ids.insert(c.id).second, "duplicate id " << c.id);
    SUBCASE(c.id.c_str()) {
      INFO(c.id << ": " << c.statement);
      check_case(c, corpus);
    }
  }
}

int main(int argc, char** argv) {
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--cases" && i + 1 < argc) {
      g_cases_path = argv[++i];
    } else {
      args.push_back(argv[i]);
    }
  }
  Connection admin("");
  if (!admin.ok()) {
    std::fprintf(stderr, "lock_check: SKIP: no PostgreSQL server: %s", admin.error().c_str());
    return 77;
  }
  std::string db = "rb_lock_check_" + std::to_string(getpid());
  if (std::optional<std::string> err = admin.run("CREATE DATABASE " + db)) {
    std::fprintf(stderr, "lock_check: cannot create a scratch database: %s\n", err->c_str());
    return 1;
  }
  admin.run(
      "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rb_lock_check_role') "
      "THEN CREATE ROLE rb_lock_check_role; END IF; END $$");
  g_conn = std::make_unique<Connection>("dbname=" + db);
  g_blocker = std::make_unique<Connection>("dbname=" + db);
  int result = 1;
  if (g_conn->ok() && g_blocker->ok()) {
    doctest::Context context(static_cast<int>(args.size()), args.data());
    result = context.run();
  } else {
    std::fprintf(stderr, "lock_check: %s", g_conn->error().c_str());
  }
  g_conn.reset();
  g_blocker.reset();
  admin.run("DROP DATABASE IF EXISTS " + db);
  admin.run("DROP ROLE IF EXISTS rb_lock_check_role");
  return result;
}

#include "exec/journal.h"

#include "base/sha256.h"
#include "plan/planner.h"
#include "tmpl/sql_quote.h"

namespace runbook::exec {

namespace {

// Collects the rows of a small result as strings.
class TableSink final : public RowSink {
 public:
  void columns(const std::vector<std::string>& names) override { names_ = names; }
  bool row(const Row& cells) override {
    rows_.push_back(cells);
    return true;
  }
  const std::vector<Row>& rows() const { return rows_; }

 private:
  std::vector<std::string> names_;
  std::vector<Row> rows_;
};

std::optional<std::string> text_or_null(const std::string& s) {
  if (s.empty()) {
    return std::nullopt;
  }
  return s;
}

bool ok(const ExecResult& r, SqlError* error) {
  if (r.error) {
    *error = *r.error;
    return false;
  }
  return true;
}

}  // namespace

std::int64_t advisory_key(const std::string& runbook_id) {
  // The first 63 bits of sha256("runbook:" + id): stable, and well spread.
  std::string hex = sha256_hex("runbook:" + runbook_id).substr(0, 16);
  return static_cast<std::int64_t>(std::stoull(hex, nullptr, 16) >> 1);
}

Journal::Journal(Session& session, std::string schema, std::vector<std::string> secrets)
    : session_(session), schema_(std::move(schema)), secrets_(std::move(secrets)) {}

// Text for a journal column: NULL when empty, secrets masked.
std::optional<std::string> Journal::masked(const std::string& text) const {
  return text_or_null(plan::redact(text, secrets_));
}

std::string Journal::table(const char* name) const {
  return tmpl::quote_identifier(schema_) + "." + name;
}

std::optional<std::map<std::string, JournalStep>> Journal::read_steps(const std::string& runbook_id,
                                                                      SqlError* error) {
  TableSink exists;
  auto r = session_.execute_params("SELECT to_regclass($1) IS NOT NULL",
                                   {tmpl::quote_identifier(schema_) + ".steps"}, &exists);
  if (!ok(r, error)) {
    return std::nullopt;
  }
  std::map<std::string, JournalStep> steps;
  if (exists.rows().empty() || exists.rows()[0][0] != Cell("t")) {
    return steps;
  }
  TableSink rows;
  r = session_.execute_params(
      "SELECT DISTINCT ON (s.step_id) s.step_id, s.status, s.run_id, s.sql_checksum, "
      "to_char(s.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
      "to_char(s.finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), r.username, "
      "s.seq, s.note "
      "FROM " +
          table("steps") + " s JOIN " + table("runs") +
          " r USING (run_id) "
          "WHERE s.runbook_id = $1 ORDER BY s.step_id, s.seq DESC",
      {runbook_id}, &rows);
  if (!ok(r, error)) {
    return std::nullopt;
  }
  for (const Row& row : rows.rows()) {
    auto get = [&](std::size_t i) { return row[i].value_or(""); };
    steps[get(0)] = JournalStep{
        get(0), get(1), get(2), get(3), get(4), get(5), get(6), std::stoll(get(7)), get(8)};
  }
  return steps;
}

bool Journal::ensure_tables(SqlError* error) {
  std::string schema = tmpl::quote_identifier(schema_);
  // One transaction, serialized by a transaction-level advisory lock, so that
  // two runbooks reaching their first write at once do not race on CREATE.
  const std::string ddl[] = {
      "BEGIN",
      "SELECT pg_advisory_xact_lock(7213560420611338240)",
      "CREATE SCHEMA IF NOT EXISTS " + schema,
      "CREATE TABLE IF NOT EXISTS " + table("journal_version") +
          " (version int PRIMARY KEY, installed_at timestamptz NOT NULL DEFAULT now())",
      "INSERT INTO " + table("journal_version") + " (version) VALUES (" +
          std::to_string(kJournalVersion) + ") ON CONFLICT DO NOTHING",
      "CREATE TABLE IF NOT EXISTS " + table("runs") +
          " (run_id text PRIMARY KEY, runbook_id text NOT NULL, title text, file text,"
          " file_checksum text NOT NULL, plan_checksum text NOT NULL, params jsonb NOT NULL,"
          " username text, host text, tool_version text, started_at timestamptz NOT NULL,"
          " finished_at timestamptz, outcome text NOT NULL DEFAULT 'running', summary text)",
      "CREATE TABLE IF NOT EXISTS " + table("steps") +
          " (seq bigserial PRIMARY KEY, run_id text NOT NULL REFERENCES " + table("runs") +
          ", runbook_id text NOT NULL, step_id text NOT NULL, phase text NOT NULL,"
          " kind text NOT NULL, status text NOT NULL, attempts int NOT NULL DEFAULT 1,"
          " started_at timestamptz, finished_at timestamptz, sql_checksum text,"
          " rows_affected bigint, error_sqlstate text, error_message text, note text)",
      "CREATE INDEX IF NOT EXISTS steps_runbook_step ON " + table("steps") +
          " (runbook_id, step_id, seq)",
      "COMMIT"};
  for (const std::string& statement : ddl) {
    ExecResult r = session_.execute(statement, nullptr);
    if (!r.ok()) {
      session_.execute("ROLLBACK", nullptr);
      *error = *r.error;
      return false;
    }
  }
  return true;
}

bool Journal::open_run(const RunRecord& run, SqlError* error) {
  if (open_) {
    return true;
  }
  if (!ensure_tables(error)) {
    return false;
  }
  std::vector<std::optional<std::string>> values = {
      run.run_id,        run.runbook_id, run.title, run.file,         run.file_checksum,
      run.plan_checksum, run.user,       run.host,  run.tool_version, run.started_at};
  std::string keys, vals;
  for (std::size_t i = 0; i < run.params.size(); ++i) {
    values.push_back(run.params[i].first);
    values.push_back(run.params[i].second);
    keys += (i > 0 ? ", " : "") + std::string("$") + std::to_string(11 + 2 * i) + "::text, $" +
            std::to_string(12 + 2 * i) + "::text";
  }
  std::string object = run.params.empty() ? "'{}'::jsonb" : "jsonb_build_object(" + keys + ")";
  ExecResult r = session_.execute_params(
      "INSERT INTO " + table("runs") +
          " (run_id, runbook_id, title, file, file_checksum, plan_checksum, username, host,"
          " tool_version, started_at, params) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,"
          " $10::timestamptz, " +
          object + ")",
      values, nullptr);
  open_ = ok(r, error);
  return open_;
}

bool Journal::record_step(const std::string& run_id, const std::string& runbook_id,
                          const StepRecord& step, const std::string& status, SqlError* error) {
  std::vector<std::optional<std::string>> values = {
      run_id,
      runbook_id,
      step.id,
      to_string(step.phase),
      to_string(step.kind),
      status,
      std::to_string(std::max(step.attempts, 1)),
      text_or_null(step.started_at),
      text_or_null(step.sql_checksum),
      step.rows_affected ? std::optional<std::string>(std::to_string(*step.rows_affected))
                         : std::nullopt,
      step.error ? text_or_null(step.error->sqlstate) : std::nullopt,
      step.error ? masked(step.error->message) : std::nullopt,
      masked(step.note)};
  std::string finished = status == "running" ? "NULL" : "clock_timestamp()";
  ExecResult r = session_.execute_params(
      "INSERT INTO " + table("steps") +
          " (run_id, runbook_id, step_id, phase, kind, status, attempts, started_at, sql_checksum,"
          " rows_affected, error_sqlstate, error_message, note, finished_at) VALUES ($1, $2, $3,"
          " $4, $5, $6, $7::int, $8::timestamptz, $9, $10::bigint, $11, $12, $13, " +
          finished + ")",
      values, nullptr);
  return ok(r, error);
}

bool Journal::finish_run(const RunRecord& run, SqlError* error) {
  if (!open_) {
    return true;
  }
  ExecResult r = session_.execute_params(
      "UPDATE " + table("runs") +
          " SET finished_at = clock_timestamp(), outcome = $2, summary = $3 WHERE run_id = $1",
      {run.run_id, std::string(to_string(run.outcome)), masked(run.summary)}, nullptr);
  return ok(r, error);
}

}  // namespace runbook::exec

#include "exec/journal_history.h"

#include "tmpl/sql_quote.h"

namespace runbook::exec {

namespace {

class Rows final : public RowSink {
 public:
  void columns(const std::vector<std::string>&) override {}
  bool row(const Row& cells) override {
    rows.push_back(cells);
    return true;
  }
  std::vector<Row> rows;
};

std::string iso(const char* column) {
  return std::string("to_char(") + column +
         " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
}

}  // namespace

bool applied_sql_changed(const plan::PlannedStep& step, const JournalStep& applied) {
  return step.kind == StepKind::sql && !step.sql.deferred && !step.batch_size &&
         applied.sql_checksum != step.sql.checksum;
}

std::optional<JournalHistory> read_history(Session& session, const std::string& schema,
                                           const std::string& runbook_id, int limit,
                                           SqlError* error) {
  JournalHistory h;
  Journal journal(session, schema);
  auto steps = journal.read_steps(runbook_id, error);
  if (!steps) {
    return std::nullopt;
  }
  h.steps = std::move(*steps);
  std::string q = tmpl::quote_identifier(schema);
  Rows exists;
  ExecResult r =
      session.execute_params("SELECT to_regclass($1) IS NOT NULL", {q + ".runs"}, &exists);
  if (r.error) {
    *error = *r.error;
    return std::nullopt;
  }
  h.exists = !exists.rows.empty() && exists.rows[0][0] == Cell("t");
  if (!h.exists) {
    return h;
  }
  Rows version;
  session.execute("SELECT max(version) FROM " + q + ".journal_version", &version);
  if (!version.rows.empty() && version.rows[0][0]) {
    h.version = std::stoi(*version.rows[0][0]);
  }
  Rows runs;
  r = session.execute_params(
      "SELECT run_id, " + iso("started_at") + ", " + iso("finished_at") +
          ", username, host, tool_version, outcome, summary, file_checksum, plan_checksum FROM " +
          q + ".runs WHERE runbook_id = $1 ORDER BY started_at DESC LIMIT $2::int",
      {runbook_id, std::to_string(limit)}, &runs);
  if (r.error) {
    *error = *r.error;
    return std::nullopt;
  }
  for (const Row& row : runs.rows) {
    auto get = [&](std::size_t i) { return row[i].value_or(""); };
    h.runs.push_back(
        JournalRun{get(0), get(1), get(2), get(3), get(4), get(5), get(6), get(7), get(8), get(9)});
  }
  return h;
}

}  // namespace runbook::exec

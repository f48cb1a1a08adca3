// `runbook status FILE`: what the journal says about this runbook on the
// target: its runs, and for each step whether it is done, failed, rolled
// back, left running by a crash, or still pending. Exit 0 when the journal
// could be read (even when the runbook never ran there), 6 when not.

#include "adapters/pg/pg_connector.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "exec/journal_history.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>
#include <set>
#include <sstream>

namespace runbook::cli {

namespace {

struct StatusOptions {
  std::string file;
  std::string db;
  InputOptions input;
  std::string journal_schema = "runbook";
  std::string format = "text";
  int runs = 5;
};

// The steps the journal tracks (they write), in plan order.
struct StepLine {
  std::string id, status, detail;
  bool changed = false;
};

std::vector<StepLine> step_lines(const plan::ExecutionPlan& plan,
                                 const exec::JournalHistory& history, bool compare_checksums) {
  std::vector<StepLine> lines;
  std::set<std::string> seen;
  for (const plan::PlannedStep& s : plan.steps) {
    if (s.kind != StepKind::sql && s.kind != StepKind::command) {
      continue;
    }
    seen.insert(s.id);
    auto it = history.steps.find(s.id);
    if (it == history.steps.end()) {
      lines.push_back({s.id, "pending", "", false});
      continue;
    }
    const exec::JournalStep& j = it->second;
    std::string when = j.finished_at.empty() ? "started " + j.started_at : j.finished_at;
    StepLine line{s.id, j.status, fmt::format("{} by {} (run {})", when, j.username, j.run_id),
                  false};
    line.changed = compare_checksums && j.status == "done" && exec::applied_sql_changed(s, j);
    lines.push_back(std::move(line));
  }
  for (const auto& [id, j] : history.steps) {
    if (!seen.count(id)) {
      lines.push_back({id, j.status, "no longer in the runbook (run " + j.run_id + ")", false});
    }
  }
  return lines;
}

const char* mark(const std::string& status) {
  if (status == "done")
    return "✓";
  if (status == "failed")
    return "✗";
  if (status == "running")
    return "!";
  if (status == "rolled_back")
    return "↶";
  return "·";
}

void print_text(const plan::ExecutionPlan& plan, const std::string& database,
                const exec::JournalHistory& h, const std::vector<StepLine>& lines) {
  std::cout << "runbook " << plan.runbook->id
            << (plan.runbook->title.empty() ? "" : " — " + plan.runbook->title) << "\n";
  std::cout << "database: " << database << "\n";
  if (!h.exists) {
    std::cout << "journal: none yet (this runbook has never written to this database)\n";
  } else {
    std::cout << "journal: version " << h.version << "\n";
  }
  if (!h.runs.empty()) {
    std::cout << "\nruns (newest first):\n";
    for (const exec::JournalRun& r : h.runs) {
      std::cout << fmt::format("  {}  {}  {}@{}  {}{}\n", r.run_id, r.started_at, r.username,
                               r.host, r.outcome, r.summary.empty() ? "" : ": " + r.summary);
    }
  }
  std::cout << "\nsteps:\n";
  std::size_t width = 0;
  for (const StepLine& l : lines) {
    width = std::max(width, l.id.size());
  }
  for (const StepLine& l : lines) {
    std::cout << fmt::format("  {} {:<{}}  {:<11} {}\n", mark(l.status), l.id, width, l.status,
                             l.detail);
    if (l.status == "running") {
      std::cout << "      left running by a crash: it may be applied in part; check the database, "
                   "then `runbook run --resume`\n";
    }
    if (l.changed) {
      std::cout << "      the runbook changed since this step was applied (a run stops with exit "
                   "5)\n";
    }
  }
}

void print_json(const plan::ExecutionPlan& plan, const std::string& database,
                const exec::JournalHistory& h, const std::vector<StepLine>& lines) {
  nlohmann::json runs = nlohmann::json::array();
  for (const exec::JournalRun& r : h.runs) {
    runs.push_back({{"run_id", r.run_id},
                    {"started_at", r.started_at},
                    {"finished_at", r.finished_at},
                    {"user", r.username},
                    {"host", r.host},
                    {"tool_version", r.tool_version},
                    {"outcome", r.outcome},
                    {"summary", r.summary}});
  }
  nlohmann::json steps = nlohmann::json::array();
  for (const StepLine& l : lines) {
    steps.push_back({{"id", l.id},
                     {"status", l.status},
                     {"detail", l.detail},
                     {"changed_since_applied", l.changed}});
  }
  nlohmann::json j = {
      {"runbook", plan.runbook->id},  {"database", database}, {"journal_exists", h.exists},
      {"journal_version", h.version}, {"runs", runs},         {"steps", steps}};
  std::cout << j.dump(2) << "\n";
}

ExitCode run_status(const StatusOptions& o) {
  // The plan gives the step order; without its required params, placeholders
  // still give the ids (but rendered SQL cannot be compared then).
  bool complete = true;
  std::ostringstream quiet;
  auto plan = load_plan(o.file, o.input, load::MissingParams::error, std::nullopt, false, quiet);
  if (!plan) {
    complete = false;
    plan = load_plan(o.file, o.input, load::MissingParams::placeholder, std::nullopt, false,
                     std::cerr);
    if (!plan) {
      return ExitCode::invalid;
    }
  }
  adapters::PgConnector connector(adapters::choose_conninfo(o.db));
  std::string error;
  auto session = connector.connect("runbook-status:" + plan->runbook->id, &error);
  if (!session) {
    std::cerr << "runbook: cannot connect: " << error << "\n";
    return ExitCode::environment;
  }
  exec::SqlError sql_error;
  auto history =
      exec::read_history(*session, o.journal_schema, plan->runbook->id, o.runs, &sql_error);
  if (!history) {
    std::cerr << "runbook: cannot read the journal: " << sql_error.message << "\n";
    return ExitCode::environment;
  }
  auto lines = step_lines(*plan, *history, complete);
  if (o.format == "json") {
    print_json(*plan, connector.describe(), *history, lines);
  } else {
    print_text(*plan, connector.describe(), *history, lines);
  }
  return ExitCode::go;
}

}  // namespace

Command status_command() {
  auto o = std::make_shared<StatusOptions>();
  auto sub = std::make_shared<CLI::App*>(nullptr);
  return Command{
      [o, sub](CLI::App& app) {
        CLI::App* c = app.add_subcommand("status", "What the journal says about a runbook");
        *sub = c;
        c->add_option("file", o->file, "Runbook file")->required();
        c->add_option("--db", o->db, "Connection URL (else DATABASE_URL, else PG* defaults)");
        add_input_options(*c, o->input);
        c->add_option("--journal-schema", o->journal_schema, "Schema of the journal");
        c->add_option("--runs", o->runs, "How many recent runs to list")
            ->check(CLI::Range(1, 1000));
        c->add_option("--format", o->format, "text or json")
            ->check(CLI::IsMember({"text", "json"}));
      },
      [sub] { return (*sub)->parsed(); }, [o] { return run_status(*o); }};
}

}  // namespace runbook::cli

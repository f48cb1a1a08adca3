// `runbook rehearse FILE`: prove a runbook on a throwaway cluster before it
// meets production. Stages, each of which must hold for exit 0:
//   cluster      initdb + pg_ctl in a temporary directory
//   schema       --from-db (pg_dump --schema-only), --schema and --data files
//   run          the runbook, as `runbook run` runs it, then the rollback of
//                every step it completed, newest first
//   rollback     every rollback held
//   fingerprint  the schema equals the one before the run
//   run-again    a second run after the rollback holds too
// The cluster is deleted at the end, also after a failure or Ctrl-C.

#include "adapters/os/artifact_writer.h"
#include "adapters/os/identity.h"
#include "adapters/os/process_runner.h"
#include "adapters/os/signals.h"
#include "adapters/os/system_clock.h"
#include "adapters/os/throwaway_cluster.h"
#include "adapters/pg/pg_connector.h"
#include "adapters/term/status_printer.h"
#include "adapters/term/terminal.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/run_identity.h"
#include "exec/executor.h"
#include "exec/observers.h"
#include "exec/schema_fingerprint.h"
#include "plan/planner.h"
#include "report/events_jsonl.h"
#include "report/redact.h"
#include "report/rehearsal_report.h"
#include "report/run_report.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <thread>
#include <unistd.h>

namespace runbook::cli {

namespace {

struct RehearseOptions {
  std::string file;
  std::string from_db;
  std::vector<std::string> schema_files;
  std::vector<std::string> data_files;
  std::vector<std::string> psql_vars;  // --var NAME=VALUE for the SQL files
  std::vector<std::string>
      database_envs;  // --database-env NAME: another database, its conninfo in $NAME
  InputOptions input;
  exec::RunOptions run;
  std::string out;
  std::string format = "text";
};

constexpr const char* kDatabase = "rehearsal";

// The database of `--database-env NAME`: NAME in lower case
// (STAGING_DATABASE_URL -> staging_database_url).
std::string database_for(const std::string& variable) {
  std::string name = variable;
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return name;
}

bool valid_variable_name(const std::string& name) {
  return !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0])) &&
         std::all_of(name.begin(), name.end(), [](unsigned char c) {
           return std::isupper(c) || std::isdigit(c) || c == '_';
         });
}

void write_reports(const std::string& dir, const RunRecord& record) {
  std::string error;
  bool ok = adapters::write_file_atomically(dir + "/report.json", report::run_report_json(record),
                                            &error) &&
            adapters::write_file_atomically(dir + "/report.md", report::run_report_markdown(record),
                                            &error) &&
            adapters::write_file_atomically(dir + "/junit.xml", report::junit_xml(record), &error);
  if (!ok) {
    std::cerr << "runbook: " << error << "\n";
  }
}

// Nobody answers prompts in a rehearsal: it runs twice, often in CI.
// Confirm steps need --yes or --approve, as `run` without a terminal does.
class NoPrompter final : public exec::Prompter {
 public:
  bool interactive() const override { return false; }
  bool confirm(const std::string&) override { return false; }
};

class Rehearsal {
 public:
  Rehearsal(RehearseOptions& o, exec::Interrupt& interrupt)
      : o_(o), interrupt_(interrupt), cluster_(interrupt) {}

  ExitCode run() {
    if (!check_inputs()) {
      return ExitCode::invalid;
    }
    std::string id = adapters::new_run_id();
    dir_ = o_.out.empty() ? ".runbook/rehearsals/" + id : o_.out;
    std::string error;
    if (!adapters::make_directories(dir_, &error)) {
      std::cerr << "runbook: " << error << "\n";
      return ExitCode::environment;
    }
    for (const char* name : {"cluster", "schema", "run", "rollback", "fingerprint", "run-again"}) {
      RehearsalStage stage;
      stage.name = name;
      record_.stages.push_back(stage);
    }
    run_stages();
    cluster_.stop();
    finish();
    return record_.exit_code;
  }

 private:
  // The runbook must load and the files exist before a cluster is made:
  // a typo costs no initdb, and exit 5 means nothing ran.
  bool check_inputs() {
    for (const std::string& name : o_.database_envs) {
      if (!valid_variable_name(name) || name == "DATABASE_URL" || database_for(name) == kDatabase) {
        std::cerr << "runbook: --database-env " << name
                  << ": give an environment variable name in upper case (A-Z, 0-9, _), "
                     "not DATABASE_URL (the run's own target)\nnothing ran\n";
        return false;
      }
      // The runbook may require it (`env:`): the real connection is set once
      // the cluster is up.
      ::setenv(name.c_str(), ("dbname=" + database_for(name)).c_str(), 1);
    }
    auto plan = load_plan(o_.file, o_.input, load::MissingParams::error,
                          run_value("rehearsal", started_at_text(clock_)), false, std::cerr);
    if (!plan) {
      return false;
    }
    for (const plan::PlannedStep& step : plan->steps) {
      if (!step.irreversible.empty()) {
        irreversible_[step.id] = step.irreversible;
      }
    }
    record_.runbook_id = plan->runbook->id;
    record_.file = o_.file;
    secrets_ = plan->secrets;
    std::vector<std::string> problems = exec::check_step_options(*plan, o_.run);
    for (const std::string& f : o_.schema_files) {
      add_if_unreadable(f, problems);
    }
    for (const std::string& f : o_.data_files) {
      add_if_unreadable(f, problems);
    }
    for (const std::string& p : problems) {
      std::cerr << "runbook: " << p << "\n";
    }
    if (!problems.empty()) {
      std::cerr << "nothing ran\n";
    }
    return problems.empty();
  }

  static void add_if_unreadable(const std::string& file, std::vector<std::string>& problems) {
    if (::access(file.c_str(), R_OK) != 0) {
      problems.push_back("cannot read " + file);
    }
  }

  void run_stages() {
    // Lambdas rather than an array of member-function pointers: GCC's UBSan
    // misreads indexing into such an array as out of bounds.
    using Stage = std::function<bool(RehearsalStage&)>;
    const std::array<Stage, 6> stages = {[this](RehearsalStage& s) { return start_cluster(s); },
                                         [this](RehearsalStage& s) { return load_schema(s); },
                                         [this](RehearsalStage& s) { return first_run(s); },
                                         [this](RehearsalStage& s) { return check_rollback(s); },
                                         [this](RehearsalStage& s) { return compare_schema(s); },
                                         [this](RehearsalStage& s) { return second_run(s); }};
    for (std::size_t i = 0; i < std::min(record_.stages.size(), stages.size()); ++i) {
      RehearsalStage& stage = record_.stages[i];
      if (interrupt_.requested()) {
        fail(stage, ExitCode::interrupted, "interrupted");
        return;
      }
      std::cerr << "rehearse: " << stage.name << "\n";
      auto start = clock_.monotonic();
      bool ok = stages[i](stage);
      stage.duration_ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(clock_.monotonic() - start).count();
      if (!ok) {
        return;
      }
      stage.status = StageStatus::passed;
    }
  }

  bool fail(RehearsalStage& stage, ExitCode code, const std::string& summary,
            const std::string& details = "") {
    stage.status = StageStatus::failed;
    stage.summary = plan::redact(summary, secrets_);
    std::string text = plan::redact(details, secrets_);
    std::size_t from = 0;
    while (from < text.size()) {
      std::size_t nl = text.find('\n', from);
      stage.lines.push_back(text.substr(from, nl == std::string::npos ? nl : nl - from));
      from = nl == std::string::npos ? text.size() : nl + 1;
    }
    record_.exit_code = interrupt_.requested() ? ExitCode::interrupted : code;
    return false;
  }

  // ---- cluster

  bool start_cluster(RehearsalStage& stage) {
    adapters::ProcessRunner runner(interrupt_);
    std::string searched;
    auto bindir =
        adapters::find_server_bindir(adapters::ServerSearch::from_environment(), runner, &searched);
    if (!bindir) {
      return fail(stage, ExitCode::environment,
                  "no PostgreSQL server binaries (initdb, pg_ctl, postgres) in " + searched +
                      ". Install the Debian package 'postgresql' (or your system's PostgreSQL "
                      "server), or set RUNBOOK_PG_BINDIR to the directory holding them");
    }
    std::string error;
    if (!cluster_.start(*bindir, kDatabase, &error)) {
      return fail(stage, ExitCode::environment, "the throwaway cluster did not start", error);
    }
    record_.server = cluster_.server_version();
    stage.summary = cluster_.server_version() + " from " + *bindir + ", in " + cluster_.directory();
    return true;
  }

  // ---- schema

  bool load_schema(RehearsalStage& stage) {
    std::string error;
    int files = 0;
    if (!o_.from_db.empty()) {
      std::string dump = cluster_.directory() + "/source-schema.sql";
      if (!dump_source_schema(dump, &error)) {
        return fail(stage, ExitCode::environment, "pg_dump --schema-only of --from-db failed",
                    error);
      }
      if (!cluster_.run_sql_file(kDatabase, dump, {}, &error)) {
        return fail(stage, ExitCode::environment, "the schema of --from-db did not load", error);
      }
      ++files;
    }
    std::vector<std::string> all = o_.schema_files;
    all.insert(all.end(), o_.data_files.begin(), o_.data_files.end());
    for (const std::string& file : all) {
      if (!cluster_.run_sql_file(kDatabase, file, o_.psql_vars, &error)) {
        return fail(stage, ExitCode::environment, file + " did not load", error);
      }
      ++files;
    }
    auto catalog = read_catalog(stage);
    if (!catalog) {
      return false;
    }
    before_ = std::move(*catalog);
    record_.fingerprint_before = before_.fingerprint();
    stage.summary = std::to_string(files) + " file(s) loaded; fingerprint " +
                    record_.fingerprint_before.substr(0, 12) + " (" +
                    std::to_string(before_.lines.size()) + " objects)";
    return copy_databases(stage);
  }

  // --database-env NAME: a copy of the loaded database, its conninfo in
  // $NAME for the runs (the child processes inherit it).
  bool copy_databases(RehearsalStage& stage) {
    for (const std::string& name : o_.database_envs) {
      std::string database = database_for(name);
      std::string error;
      if (!cluster_.create_database(database, &error, kDatabase)) {
        return fail(stage, ExitCode::environment,
                    "database " + database + " for " + name + " was not created", error);
      }
      ::setenv(name.c_str(), cluster_.conninfo(database).c_str(), 1);
      stage.lines.push_back("database " + database + " (a copy) in " + name);
    }
    return true;
  }

  // pg_dump of the newest server version reads any older source; the
  // connection reaches it in PG* variables, never on the command line.
  bool dump_source_schema(const std::string& file, std::string* error) {
    adapters::PgConnector source(o_.from_db);
    secrets_.insert(secrets_.end(), source.secrets().begin(), source.secrets().end());
    adapters::ProcessRunner runner(interrupt_);
    exec::CommandResult r = runner.run({cluster_.bindir() + "/pg_dump", "--schema-only",
                                        "--no-owner", "--no-privileges", "--file", file},
                                       source.child_environment(), std::nullopt);
    if (r.exit_code != 0 || !r.error.empty()) {
      *error = r.error.empty() ? r.output : r.error;
      return false;
    }
    return true;
  }

  std::optional<exec::SchemaCatalog> read_catalog(RehearsalStage& stage,
                                                  const std::string& database = kDatabase) {
    adapters::PgConnector connector(cluster_.conninfo(database));
    std::string error;
    auto session = connector.connect("runbook:rehearse", &error, &interrupt_.flag());
    if (!session) {
      fail(stage, ExitCode::environment, "cannot connect to the throwaway cluster: " + error);
      return std::nullopt;
    }
    // The journal is the run's own bookkeeping, not the runbook's change.
    std::vector<std::string> excluded = {o_.run.journal_schema};
    if (o_.run.journal_schema != "runbook") {
      excluded.push_back("runbook");  // nested runs keep theirs there
    }
    exec::SqlError sql_error;
    auto catalog = exec::read_schema_catalog(*session, excluded, &sql_error);
    if (!catalog) {
      fail(stage, ExitCode::environment, "cannot read the schema catalog: " + sql_error.message);
    }
    return catalog;
  }

  // ---- the runs

  // Runs the runbook as `runbook run` does, with its artifacts in
  // DIR/LABEL; returns the record (redacted).
  RunRecord execute(const std::string& label, bool roll_back_after, std::string* artifacts) {
    std::string run_id = adapters::new_run_id();
    std::string started_at = started_at_text(clock_);
    auto plan = load_plan(o_.file, o_.input, load::MissingParams::error,
                          run_value(run_id, started_at), false, std::cerr);
    *artifacts = dir_ + "/" + label;
    std::string error;
    if (!plan || !adapters::make_directories(*artifacts, &error)) {
      RunRecord r;
      r.outcome = plan ? RunOutcome::environment : RunOutcome::invalid;
      r.summary = plan ? error : "the runbook no longer loads";
      return r;
    }
    std::ofstream events_file(*artifacts + "/events.jsonl");
    report::EventsJsonl events(events_file);
    adapters::StatusPrinter printer(std::cerr, adapters::colour_wanted(STDERR_FILENO),
                                    ::isatty(STDERR_FILENO) != 0);
    printer.set_artifacts(*artifacts);
    std::vector<std::string> secrets = plan->secrets;
    exec::RedactingFanOut guarded({&events, &printer}, secrets);
    adapters::PgConnector connector(cluster_.conninfo(kDatabase));
    adapters::ProcessRunner commands(interrupt_);
    NoPrompter prompter;
    exec::RunOptions options = o_.run;
    options.roll_back_after_go = roll_back_after;
    exec::Ports ports{connector, commands, prompter, clock_, guarded, interrupt_};
    RunRecord record =
        exec::run_plan(*plan, options, ports, run_identity(*plan, run_id, started_at));
    report::redact_run(record, secrets);
    write_reports(*artifacts, record);
    return record;
  }

  static bool held(RunOutcome outcome) {
    return outcome == RunOutcome::go || outcome == RunOutcome::go_with_warnings;
  }

  // The run held, and only the rollback after it failed: that is the
  // rollback stage's to report. (After a failed step, on_failure: rollback
  // may fail too: that is the run's failure.)
  bool only_rollback_failed() const {
    return first_.outcome == RunOutcome::rollback_failed &&
           std::none_of(first_.steps.begin(), first_.steps.end(),
                        [](const StepRecord& s) { return s.status == StepStatus::failed; });
  }

  bool first_run(RehearsalStage& stage) {
    first_ = execute("run", true, &stage.artifacts);
    first_ended_ = started_at_text(clock_);
    stage.run_id = first_.run_id;
    if (!held(first_.outcome) && !only_rollback_failed()) {
      return fail(stage, exit_code_of(first_.outcome),
                  std::string(to_string(first_.outcome)) + ": " + first_.summary);
    }
    stage.summary = only_rollback_failed()
                        ? "GO: every step ran and every check held"
                        : std::string(to_string(first_.outcome)) + ": " + first_.summary;
    return true;
  }

  bool check_rollback(RehearsalStage& stage) {
    stage.run_id = first_.run_id;
    stage.artifacts = record_.stages[2].artifacts;
    if (only_rollback_failed()) {
      // The executor appends to the summary of a GO, which has none yet.
      std::string why =
          first_.summary.rfind("; ", 0) == 0 ? first_.summary.substr(2) : first_.summary;
      return fail(stage, ExitCode::rollback_failed, why);
    }
    int rolled_back = 0;
    for (const StepRecord& step : first_.steps) {
      if (step.status == StepStatus::rolled_back) {
        ++rolled_back;
      } else if (step.phase == Phase::steps &&
                 (step.status == StepStatus::done || step.status == StepStatus::warned) &&
                 (step.kind == StepKind::sql || step.kind == StepKind::command)) {
        stage.lines.push_back("not undone: " + step.id + " (" + why_not_undone(step.id) + ")");
      }
    }
    stage.summary = std::to_string(rolled_back) + " step(s) rolled back, newest first";
    return true;
  }

  std::string why_not_undone(const std::string& id) const {
    auto it = irreversible_.find(id);
    return it == irreversible_.end() ? "no rollback declared" : "irreversible: " + it->second;
  }

  bool compare_schema(RehearsalStage& stage) {
    auto after = read_catalog(stage);
    if (!after) {
      return false;
    }
    record_.fingerprint_after = after->fingerprint();
    std::string lines;
    for (const std::string& line :
         exec::describe_difference(exec::compare_catalogs(before_, *after))) {
      lines += line + "\n";
    }
    // The copies started as the loaded database: they must end as it began.
    for (const std::string& name : o_.database_envs) {
      auto copy = read_catalog(stage, database_for(name));
      if (!copy) {
        return false;
      }
      for (const std::string& line :
           exec::describe_difference(exec::compare_catalogs(before_, *copy))) {
        lines += "database " + database_for(name) + ": " + line + "\n";
      }
    }
    if (!lines.empty()) {
      return fail(stage, ExitCode::rollback_failed,
                  "the schema after the rollback is not the one before the run "
                  "(- only before, + only after):",
                  lines);
    }
    stage.summary =
        "the schema after the rollback equals the one before (" +
        record_.fingerprint_after.substr(0, 12) + ")" +
        (o_.database_envs.empty() ? std::string()
                                  : ", in the " + std::to_string(o_.database_envs.size()) +
                                        " --database-env copies too");
    return true;
  }

  bool second_run(RehearsalStage& stage) {
    // The journal keeps start times to the second: a run that asks "what ran
    // since I began" (nested runs, say) must not count the rollback's runs.
    while (started_at_text(clock_) == first_ended_ && !interrupt_.requested()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    RunRecord again = execute("run-again", false, &stage.artifacts);
    stage.run_id = again.run_id;
    std::string summary = std::string(to_string(again.outcome)) + ": " + again.summary;
    if (!held(again.outcome)) {
      return fail(stage, exit_code_of(again.outcome),
                  "the runbook does not run again after its rollback; " + summary);
    }
    stage.summary = summary;
    return true;
  }

  // ---- the report

  void finish() {
    std::string error;
    if (!adapters::write_file_atomically(dir_ + "/rehearsal.json", report::rehearsal_json(record_),
                                         &error)) {
      std::cerr << "runbook: " << error << "\n";
    }
    if (o_.format == "json") {
      std::cout << report::rehearsal_json(record_);
    } else {
      std::cout << report::rehearsal_text(record_) << "report: " << dir_ << "/rehearsal.json\n";
    }
  }

  RehearseOptions& o_;
  exec::Interrupt& interrupt_;
  adapters::SystemClock clock_;
  adapters::ThrowawayCluster cluster_;
  std::string dir_;
  std::vector<std::string> secrets_;
  RehearsalRecord record_;
  exec::SchemaCatalog before_;
  RunRecord first_;
  std::string first_ended_;  // when the first run and its rollback ended, to the second
  std::map<std::string, std::string> irreversible_;  // step id -> why it has no rollback
};

ExitCode run_rehearse(RehearseOptions& o) {
  exec::Interrupt interrupt;
  adapters::SignalWatcher signals(interrupt);  // before any other thread starts
  Rehearsal rehearsal(o, interrupt);
  return rehearsal.run();
}

}  // namespace

Command rehearse_command() {
  auto o = std::make_shared<RehearseOptions>();
  auto sub = std::make_shared<CLI::App*>(nullptr);
  return Command{
      [o, sub](CLI::App& app) {
        CLI::App* c = app.add_subcommand(
            "rehearse",
            "Run, roll back and run again on a throwaway PostgreSQL cluster; check the schema "
            "after the rollback equals the one before");
        *sub = c;
        c->add_option("file", o->file, "Runbook file")->required();
        c->add_option("--schema", o->schema_files,
                      "SQL file to load before the run (psql; repeatable, in order)");
        c->add_option("--from-db", o->from_db,
                      "Copy the schema of this database (pg_dump --schema-only) before the run");
        c->add_option("--data", o->data_files,
                      "SQL file loaded after the schema, e.g. seed data (repeatable)");
        c->add_option("--var", o->psql_vars,
                      "psql variable NAME=VALUE for the --schema and --data files (repeatable)");
        c->add_option("--database-env", o->database_envs,
                      "Give the runbook another database NAME: a copy of the loaded one, its "
                      "conninfo in the environment variable NAME (repeatable)");
        add_input_options(*c, o->input);
        c->add_flag("-y,--yes", o->run.yes, "Approve every confirm step");
        c->add_option("--approve", o->run.approvals, "Approve the confirm step ID (repeatable)");
        c->add_option("--journal-schema", o->run.journal_schema,
                      "Schema of the journal (left out of the fingerprint)");
        c->add_option("--out", o->out,
                      "Directory of the report and both runs' artifacts "
                      "(default .runbook/rehearsals/ID)");
        c->add_option("--format", o->format, "text or json (rehearsal.json on stdout)")
            ->check(CLI::IsMember({"text", "json"}));
      },
      [sub] { return (*sub)->parsed(); }, [o] { return run_rehearse(*o); }};
}

}  // namespace runbook::cli

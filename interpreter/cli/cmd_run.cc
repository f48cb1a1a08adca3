// `runbook run FILE`: execute against the target database.

#include "adapters/os/artifact_writer.h"
#include "adapters/os/identity.h"
#include "adapters/os/process_runner.h"
#include "adapters/os/signals.h"
#include "adapters/os/system_clock.h"
#include "adapters/pg/pg_connector.h"
#include "adapters/term/status_printer.h"
#include "adapters/term/terminal.h"
#include "adapters/term/terminal_prompter.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "exec/executor.h"
#include "exec/observers.h"
#include "report/events_jsonl.h"
#include "report/redact.h"
#include "report/run_report.h"

#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <memory>
#include <unistd.h>

#ifndef RUNBOOK_VERSION
#define RUNBOOK_VERSION "dev"
#endif

namespace runbook::cli {

namespace {

struct RunCommandOptions {
  std::string file;
  std::string db;
  InputOptions input;
  exec::RunOptions run;
  std::string on_failure;
  std::string out;
  std::string format = "text";
};

RunRecord initial_record(const plan::ExecutionPlan& plan, const std::string& run_id,
                         const std::string& started_at) {
  RunRecord r;
  r.run_id = run_id;
  r.runbook_id = plan.runbook->id;
  r.title = plan.runbook->title;
  r.file = plan.runbook->file;
  r.file_checksum = plan.runbook->checksum;
  r.plan_checksum = plan.checksum;
  r.started_at = started_at;
  r.user = adapters::current_user();
  r.host = adapters::host_name();
  r.tool_version = RUNBOOK_VERSION;
  for (const ParamSpec& spec : plan.runbook->params) {
    const Value* v = plan.params.find(spec.name);
    r.params.emplace_back(spec.name, spec.secret ? "********" : (v ? v->to_text() : ""));
  }
  return r;
}

bool write_artifacts(const std::string& dir, const RunRecord& record) {
  std::string error;
  bool ok = adapters::write_file_atomically(dir + "/report.json", report::run_report_json(record),
                                            &error) &&
            adapters::write_file_atomically(dir + "/report.md", report::run_report_markdown(record),
                                            &error) &&
            adapters::write_file_atomically(dir + "/junit.xml", report::junit_xml(record), &error);
  if (!ok) {
    std::cerr << "runbook: " << error << "\n";
  }
  return ok;
}

Value run_value(const std::string& run_id, const std::string& started_at) {
  Value run{ValueMap{}};
  run.set("id", Value(run_id));
  run.set("started_at", Value(started_at));
  // This executable, for a command step that runs another runbook.
  char self[4096];
  ssize_t n = ::readlink("/proc/self/exe", self, sizeof(self) - 1);
  run.set("binary", Value(n > 0 ? std::string(self, static_cast<std::size_t>(n)) : "runbook"));
  return run;
}

ExitCode run_run(RunCommandOptions& o) {
  exec::Interrupt interrupt;
  adapters::SignalWatcher signals(interrupt);  // before any other thread starts
  adapters::SystemClock clock;
  std::string run_id = adapters::new_run_id();
  std::string started_at;
  {
    // The same clock as the executor's, in its format.
    auto now = clock.now();
    std::time_t t = std::chrono::system_clock::to_time_t(now);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &tm);
    started_at = buffer;
  }
  auto plan = load_plan(o.file, o.input, load::MissingParams::error, run_value(run_id, started_at),
                        false, std::cerr);
  if (!plan) {
    return ExitCode::invalid;
  }
  std::vector<std::string> problems = exec::check_step_options(*plan, o.run);
  for (const std::string& p : problems) {
    std::cerr << "runbook: " << p << "\n";
  }
  if (!problems.empty()) {
    std::cerr << "nothing ran\n";
    return ExitCode::invalid;
  }
  if (!o.on_failure.empty()) {
    o.run.on_failure = o.on_failure == "rollback" ? OnFailure::rollback : OnFailure::stop;
  }
  std::string out_dir = o.out.empty() ? ".runbook/runs/" + run_id : o.out;
  std::string error;
  if (!adapters::make_directories(out_dir, &error)) {
    std::cerr << "runbook: " << error << "\n";
    return ExitCode::environment;
  }
  std::ofstream events_file(out_dir + "/events.jsonl");
  report::EventsJsonl events(events_file);
  bool terminal = ::isatty(STDERR_FILENO) != 0;
  adapters::StatusPrinter printer(std::cerr, adapters::colour_wanted(STDERR_FILENO), terminal);
  printer.set_artifacts(out_dir);
  std::vector<exec::RunObserver*> targets = {&events};
  if (o.format == "text") {
    targets.push_back(&printer);
  }
  adapters::PgConnector connector(adapters::choose_conninfo(o.db));
  // The password is a secret of the run like the secret params: the
  // executor masks it too (journal rows, summaries), not only the output.
  plan->secrets.insert(plan->secrets.end(), connector.secrets().begin(), connector.secrets().end());
  std::vector<std::string> secrets = plan->secrets;
  exec::RedactingFanOut guarded(targets, secrets);
  adapters::ProcessRunner commands(interrupt);
  adapters::TerminalPrompter prompter;
  exec::Ports ports{connector, commands, prompter, clock, guarded, interrupt};
  RunRecord record = exec::run_plan(*plan, o.run, ports, initial_record(*plan, run_id, started_at));
  report::redact_run(record, secrets);
  write_artifacts(out_dir, record);
  if (o.format == "json") {
    std::cout << report::run_report_json(record);
  }
  return exit_code_of(record.outcome);
}

}  // namespace

Command run_command() {
  auto o = std::make_shared<RunCommandOptions>();
  auto sub = std::make_shared<CLI::App*>(nullptr);
  return Command{
      [o, sub](CLI::App& app) {
        CLI::App* c = app.add_subcommand("run", "Execute a runbook against PostgreSQL");
        *sub = c;
        c->add_option("file", o->file, "Runbook file")->required();
        c->add_option("--db", o->db, "Connection URL (else DATABASE_URL, else PG* defaults)");
        add_input_options(*c, o->input);
        c->add_flag("--dry-run", o->run.dry_run,
                    "Render everything and run preflight only; write nothing");
        c->add_option("--from", o->run.from, "Start at this step");
        c->add_option("--only", o->run.only, "Run only this step (with preflight and postflight)");
        c->add_flag("--resume", o->run.resume, "Retry a step a crash left running");
        c->add_option("--rerun", o->run.rerun, "Run this step even if the journal has it done");
        c->add_flag("-y,--yes", o->run.yes, "Approve every confirm step");
        c->add_option("--approve", o->run.approvals, "Approve the confirm step ID (repeatable)");
        c->add_option("--on-failure", o->on_failure, "stop or rollback")
            ->check(CLI::IsMember({"stop", "rollback"}));
        c->add_option("--out", o->out, "Artifacts directory (default .runbook/runs/RUN_ID)");
        c->add_option("--format", o->format, "text or json (report.json on stdout)")
            ->check(CLI::IsMember({"text", "json"}));
        c->add_option("--journal-schema", o->run.journal_schema,
                      "Schema of the journal in the target database");
      },
      [sub] { return (*sub)->parsed(); }, [o] { return run_run(*o); }};
}

}  // namespace runbook::cli

// `runbook run FILE`: execute against the target database.

#include "cli/commands.h"
#include "cli/run_harness.h"

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

namespace runbook::cli {

namespace {

struct RunCommandOptions {
  std::string file;
  InputOptions input;
  OutputOptions output;
  exec::RunOptions run;
  std::string on_failure;
};

ExitCode run_run(RunCommandOptions& o) {
  RunHarness harness;
  auto plan = harness.load(o.file, o.input);
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
  if (!harness.open(*plan, o.output)) {
    return ExitCode::environment;
  }
  return harness.finish(
      exec::run_plan(*plan, o.run, harness.ports(), harness.initial_record(*plan)));
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
        add_output_options(*c, o->output);
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
        c->add_option("--journal-schema", o->run.journal_schema,
                      "Schema of the journal in the target database");
      },
      [sub] { return (*sub)->parsed(); }, [o] { return run_run(*o); }};
}

}  // namespace runbook::cli

// `runbook rollback FILE [--to ID]`: undo what the journal says this runbook
// applied to the target, newest first, with the rollbacks the file renders
// with the same params as the run (exec/history_rollback.h says what stops
// it before anything is undone). Output and artifacts as `run` writes them.

#include "cli/commands.h"
#include "cli/run_harness.h"
#include "exec/history_rollback.h"

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

namespace runbook::cli {

namespace {

struct RollbackCommandOptions {
  std::string file;
  InputOptions input;
  OutputOptions output;
  exec::RollbackOptions rollback;
};

ExitCode run_rollback(RollbackCommandOptions& o) {
  RunHarness harness;
  auto plan = harness.load(o.file, o.input);
  if (!plan) {
    return ExitCode::invalid;
  }
  if (!o.rollback.to.empty()) {
    if (auto problem = exec::unknown_step_option(*plan, "--to", o.rollback.to)) {
      std::cerr << "runbook: " << *problem << "\nnothing was undone\n";
      return ExitCode::invalid;
    }
  }
  if (!harness.open(*plan, o.output)) {
    return ExitCode::environment;
  }
  RunRecord record = harness.initial_record(*plan);
  record.command = "rollback";
  return harness.finish(
      exec::rollback_history(*plan, o.rollback, harness.ports(), std::move(record)));
}

}  // namespace

Command rollback_command() {
  auto o = std::make_shared<RollbackCommandOptions>();
  auto sub = std::make_shared<CLI::App*>(nullptr);
  return Command{
      [o, sub](CLI::App& app) {
        CLI::App* c =
            app.add_subcommand("rollback", "Undo the steps the journal has applied, newest first");
        *sub = c;
        c->add_option("file", o->file, "Runbook file")->required();
        add_output_options(*c, o->output);
        add_input_options(*c, o->input);
        c->add_option("--to", o->rollback.to,
                      "Keep this step and the ones before it; undo what was applied after it");
        c->add_flag("--dry-run", o->rollback.dry_run,
                    "Show what would be undone, with each rollback's SQL; write nothing");
        c->add_flag("--allow-changed", o->rollback.allow_changed,
                    "Also undo steps whose SQL changed since they were applied, with the "
                    "rollback the file has now");
        c->add_flag("--keep-irreversible", o->rollback.keep_irreversible,
                    "Leave irreversible steps applied (reported as not undone) and undo the "
                    "others, as run --on-failure rollback does");
        c->add_option("--journal-schema", o->rollback.journal_schema,
                      "Schema of the journal in the target database");
      },
      [sub] { return (*sub)->parsed(); }, [o] { return run_rollback(*o); }};
}

}  // namespace runbook::cli

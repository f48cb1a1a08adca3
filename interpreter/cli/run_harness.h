#pragma once
// What `run` and `rollback` set up around the executor, in order: signals
// first (before any other thread starts), the run's id and start time; then,
// with the plan loaded, the artifacts directory with its events.jsonl, the
// live view on the terminal and the adapters (libpq, processes, prompts)
// with every secret masked; at the end, the reports.

#include "adapters/os/process_runner.h"
#include "adapters/os/signals.h"
#include "adapters/os/system_clock.h"
#include "adapters/pg/pg_connector.h"
#include "adapters/pg/progress_watcher.h"
#include "adapters/term/status_printer.h"
#include "adapters/term/terminal_prompter.h"
#include "cli/common.h"
#include "exec/executor.h"
#include "exec/observers.h"
#include "report/events_jsonl.h"

#include <fstream>
#include <memory>
#include <optional>
#include <string>

namespace runbook::cli {

struct OutputOptions {
  std::string db;               // --db
  std::string out;              // --out (default .runbook/runs/RUN_ID)
  std::string format = "text";  // text: the run on stderr; json: report.json on stdout
};

// Adds --db, --out and --format to a subcommand.
void add_output_options(CLI::App& command, OutputOptions& options);

class RunHarness {
 public:
  RunHarness();

  // The plan rendered with this run's `run.*`; nullopt after printing why.
  std::optional<plan::ExecutionPlan> load(const std::string& file, const InputOptions& input);

  // Opens the artifacts and the output and wires the adapters; adds the
  // connection's password to the plan's secrets. False (said on stderr)
  // when the artifacts directory cannot be made.
  bool open(plan::ExecutionPlan& plan, const OutputOptions& options);

  exec::Ports& ports() { return *ports_; }

  // The record before the run starts: identity, file, checksums, params
  // (secret values as ********).
  RunRecord initial_record(const plan::ExecutionPlan& plan) const;

  // Masks the secrets in `record`, writes report.json, report.md and
  // junit.xml, prints report.json for --format json; the exit code.
  ExitCode finish(RunRecord record);

 private:
  exec::Interrupt interrupt_;
  adapters::SignalWatcher signals_;
  adapters::SystemClock clock_;
  std::string run_id_;
  std::string started_at_;

  std::string dir_;
  std::string format_;
  std::ofstream events_file_;
  std::unique_ptr<report::EventsJsonl> events_;
  std::unique_ptr<adapters::StatusPrinter> printer_;
  std::unique_ptr<adapters::PgConnector> connector_;
  std::vector<std::string> secrets_;
  std::unique_ptr<exec::RedactingFanOut> guarded_;
  adapters::ProcessRunner commands_;
  adapters::TerminalPrompter prompter_;
  std::unique_ptr<exec::Ports> ports_;
  // Reports to the observers above from its thread: declared last, destroyed first.
  std::unique_ptr<adapters::ProgressWatcher> watcher_;
};

}  // namespace runbook::cli

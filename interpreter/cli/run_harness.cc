#include "cli/run_harness.h"

#include "adapters/os/artifact_writer.h"
#include "adapters/os/identity.h"
#include "adapters/term/terminal.h"
#include "cli/run_identity.h"
#include "report/redact.h"
#include "report/run_report.h"

#include <CLI/CLI.hpp>

#include <iostream>
#include <unistd.h>

namespace runbook::cli {

void add_output_options(CLI::App& command, OutputOptions& options) {
  command.add_option("--db", options.db, "Connection URL (else DATABASE_URL, else PG* defaults)");
  command.add_option("--out", options.out, "Artifacts directory (default .runbook/runs/RUN_ID)");
  command.add_option("--format", options.format, "text or json (report.json on stdout)")
      ->check(CLI::IsMember({"text", "json"}));
}

RunHarness::RunHarness()
    : signals_(interrupt_),
      run_id_(adapters::new_run_id()),
      started_at_(started_at_text(clock_)),
      commands_(interrupt_) {}

std::optional<plan::ExecutionPlan> RunHarness::load(const std::string& file,
                                                    const InputOptions& input) {
  return load_plan(file, input, load::MissingParams::error, run_value(run_id_, started_at_), false,
                   std::cerr);
}

bool RunHarness::open(plan::ExecutionPlan& plan, const OutputOptions& options) {
  dir_ = options.out.empty() ? ".runbook/runs/" + run_id_ : options.out;
  format_ = options.format;
  std::string error;
  if (!adapters::make_directories(dir_, &error)) {
    std::cerr << "runbook: " << error << "\n";
    return false;
  }
  events_file_.open(dir_ + "/events.jsonl");
  events_ = std::make_unique<report::EventsJsonl>(events_file_);
  printer_ = std::make_unique<adapters::StatusPrinter>(
      std::cerr, adapters::colour_wanted(STDERR_FILENO), ::isatty(STDERR_FILENO) != 0);
  printer_->set_artifacts(dir_);
  std::vector<exec::RunObserver*> targets = {events_.get()};
  if (format_ == "text") {
    targets.push_back(printer_.get());
  }
  connector_ = std::make_unique<adapters::PgConnector>(adapters::choose_conninfo(options.db));
  // The password is a secret of the run like the secret params: the
  // executor masks it too (journal rows, summaries), not only the output.
  plan.secrets.insert(plan.secrets.end(), connector_->secrets().begin(),
                      connector_->secrets().end());
  secrets_ = plan.secrets;
  guarded_ = std::make_unique<exec::RedactingFanOut>(targets, secrets_);
  ports_ = std::make_unique<exec::Ports>(
      exec::Ports{*connector_, commands_, prompter_, clock_, *guarded_, interrupt_});
  // Long statements show how long they have run (CREATE INDEX how far it
  // got), every second, or every RUNBOOK_PROGRESS_INTERVAL.
  std::optional<std::chrono::milliseconds> every = adapters::progress_interval();
  if (every) {
    printer_->set_progress_interval(*every);
  }
  watcher_ = std::make_unique<adapters::ProgressWatcher>(*connector_, "runbook:" + plan.runbook->id,
                                                         every.value_or(std::chrono::seconds(1)));
  ports_->watcher = watcher_.get();
  return true;
}

RunRecord RunHarness::initial_record(const plan::ExecutionPlan& plan) const {
  return run_identity(plan, run_id_, started_at_);
}

ExitCode RunHarness::finish(RunRecord record) {
  report::redact_run(record, secrets_);
  std::string error;
  bool ok = adapters::write_file_atomically(dir_ + "/report.json", report::run_report_json(record),
                                            &error) &&
            adapters::write_file_atomically(dir_ + "/report.md",
                                            report::run_report_markdown(record), &error) &&
            adapters::write_file_atomically(dir_ + "/junit.xml", report::junit_xml(record), &error);
  if (!ok) {
    std::cerr << "runbook: " << error << "\n";
  }
  if (format_ == "json") {
    std::cout << report::run_report_json(record);
  }
  return exit_code_of(record.outcome);
}

}  // namespace runbook::cli

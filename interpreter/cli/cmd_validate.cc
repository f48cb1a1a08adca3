// `runbook validate FILE...`: schema and meaning, no database.

#include "cli/commands.h"
#include "cli/common.h"

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

namespace runbook::cli {

namespace {

struct ValidateOptions {
  std::vector<std::string> files;
  InputOptions input;
  bool quiet = false;
};

ExitCode run_validate(const ValidateOptions& o) {
  bool ok = true;
  for (const std::string& file : o.files) {
    // Required params without a value get typed placeholders: validation
    // checks everything else without them.
    auto plan = load_plan(file, o.input, load::MissingParams::placeholder, std::nullopt, !o.quiet,
                          std::cerr);
    if (!plan) {
      ok = false;
      continue;
    }
    if (!o.quiet) {
      std::cout << file << ": ok (" << plan->steps.size() << " steps)\n";
    }
  }
  return ok ? ExitCode::go : ExitCode::invalid;
}

}  // namespace

Command validate_command() {
  auto options = std::make_shared<ValidateOptions>();
  auto sub = std::make_shared<CLI::App*>(nullptr);
  return Command{[options, sub](CLI::App& app) {
                   *sub = app.add_subcommand("validate", "Check runbooks without a database");
                   (*sub)->add_option("files", options->files, "Runbook files")->required();
                   add_input_options(**sub, options->input);
                   (*sub)->add_flag("-q,--quiet", options->quiet, "Print only errors");
                 },
                 [sub] { return (*sub)->parsed(); }, [options] { return run_validate(*options); }};
}

}  // namespace runbook::cli

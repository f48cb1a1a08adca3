// `runbook plan FILE`: the review document, no database.

#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "report/plan_formats.h"

namespace runbook::cli {

namespace {

struct PlanOptions {
  std::string file;
  std::string format = "text";
  InputOptions input;
};

ExitCode run_plan(const PlanOptions& o) {
  auto plan = load_plan(o.file, o.input, load::MissingParams::error, std::nullopt, false,
                        std::cerr);
  if (!plan) {
    return ExitCode::invalid;
  }
  report::PlanView view = report::make_plan_view(*plan);
  if (o.format == "json") {
    std::cout << report::plan_json(view);
  } else if (o.format == "markdown") {
    std::cout << report::plan_markdown(view);
  } else {
    std::cout << report::plan_text(view);
  }
  return ExitCode::go;
}

}  // namespace

Command plan_command() {
  auto options = std::make_shared<PlanOptions>();
  auto sub = std::make_shared<CLI::App*>(nullptr);
  return Command{
      [options, sub](CLI::App& app) {
        *sub = app.add_subcommand("plan", "Render a runbook for review (no database)");
        (*sub)->add_option("file", options->file, "Runbook file")->required();
        (*sub)
            ->add_option("--format", options->format, "text, markdown or json")
            ->check(CLI::IsMember({"text", "markdown", "json"}));
        add_input_options(**sub, options->input);
      },
      [sub] { return (*sub)->parsed(); }, [options] { return run_plan(*options); }};
}

}  // namespace runbook::cli

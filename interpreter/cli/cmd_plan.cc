// `runbook plan FILE`: the review document, no database.

#include "cli/commands.h"
#include "cli/common.h"
#include "report/line_diff.h"
#include "report/plan_formats.h"

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

namespace runbook::cli {

namespace {

struct PlanOptions {
  std::vector<std::string> files;
  std::string format = "text";
  bool diff = false;
  InputOptions input;
};

std::optional<std::string> render(const std::string& file, const PlanOptions& o) {
  auto plan = load_plan(file, o.input, load::MissingParams::error, std::nullopt, false, std::cerr);
  if (!plan) {
    return std::nullopt;
  }
  report::PlanView view = report::make_plan_view(*plan);
  if (o.format == "json") {
    return report::plan_json(view);
  }
  return o.format == "markdown" ? report::plan_markdown(view) : report::plan_text(view);
}

// What a change to a runbook changes in its rendered plan: a unified diff of
// the two renderings (in a ```diff block for markdown).
ExitCode run_diff(const PlanOptions& o) {
  auto before = render(o.files[0], o);
  auto after = render(o.files[1], o);
  if (!before || !after) {
    return ExitCode::invalid;
  }
  std::string diff = report::unified_diff(*before, *after, o.files[0], o.files[1]);
  if (diff.empty()) {
    std::cout << "no change in the rendered plan\n";
  } else if (o.format == "markdown") {
    std::cout << "```diff\n" << diff << "```\n";
  } else {
    std::cout << diff;
  }
  return ExitCode::go;
}

ExitCode run_plan(const PlanOptions& o) {
  if (o.diff != (o.files.size() == 2)) {
    std::cerr << "runbook plan: give one file, or --diff OLD NEW\n";
    return ExitCode::invalid;
  }
  if (o.diff) {
    return run_diff(o);
  }
  auto text = render(o.files[0], o);
  if (!text) {
    return ExitCode::invalid;
  }
  std::cout << *text;
  return ExitCode::go;
}

}  // namespace

Command plan_command() {
  auto options = std::make_shared<PlanOptions>();
  auto sub = std::make_shared<CLI::App*>(nullptr);
  return Command{[options, sub](CLI::App& app) {
                   *sub = app.add_subcommand("plan", "Render a runbook for review (no database)");
                   (*sub)
                       ->add_option("files", options->files, "Runbook file (two with --diff)")
                       ->required()
                       ->expected(1, 2);
                   (*sub)->add_flag("--diff", options->diff,
                                    "Show what changes in the rendered plan between OLD and NEW");
                   (*sub)
                       ->add_option("--format", options->format, "text, markdown or json")
                       ->check(CLI::IsMember({"text", "markdown", "json"}));
                   add_input_options(**sub, options->input);
                 },
                 [sub] { return (*sub)->parsed(); }, [options] { return run_plan(*options); }};
}

}  // namespace runbook::cli

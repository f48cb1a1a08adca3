#pragma once
// What every command that reads a runbook shares: reading the file, binding
// params, expanding and rendering the plan, and printing diagnostics.

#include "base/diagnostic.h"
#include "load/params.h"
#include "plan/execution_plan.h"

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace runbook::cli {

struct InputOptions {
  std::vector<std::string> set;            // --set k=v
  std::string params_file;                 // --params FILE
  std::vector<std::string> template_dirs;  // --templates DIR
};

// Adds --set, --params and --templates to a subcommand.
void add_input_options(CLI::App& command, InputOptions& options);

// Loads `file` and renders its plan. Diagnostics (errors and, when
// `show_warnings`, warnings) are printed to `err`. Returns nullopt on errors.
std::optional<plan::ExecutionPlan> load_plan(const std::string& file, const InputOptions& options,
                                             load::MissingParams missing, std::optional<Value> run,
                                             bool show_warnings, std::ostream& err);

// Prints diagnostics sorted, each with the source line and a caret when the
// file can be read, then a one-line summary. Secrets are masked.
void print_diagnostics(const Diagnostics& diags, std::ostream& err,
                       const std::vector<std::string>& secrets = {});

// Template search path: --templates dirs, RUNBOOK_TEMPLATE_PATH entries,
// then the installed templates/ (next to the executable, then the compiled-in prefix).
std::vector<std::string> template_search_path(const std::vector<std::string>& dirs);

}  // namespace runbook::cli

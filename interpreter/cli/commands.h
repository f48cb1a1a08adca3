#pragma once
// The subcommand table. Each command registers its flags on the app and
// runs when selected; its options live in its own file (cmd_*.cc).

#include "model/outcome.h"

#include <functional>
#include <vector>

namespace CLI {
class App;
}

namespace runbook::cli {

struct Command {
  std::function<void(CLI::App&)> setup;  // adds the subcommand and its flags
  std::function<bool()> selected;        // was it given on the command line?
  std::function<ExitCode()> run;
};

Command validate_command();
Command plan_command();
Command run_command();
Command status_command();
Command rollback_command();
Command rehearse_command();
Command new_command();
Command lint_command();

std::vector<Command> all_commands();

}  // namespace runbook::cli

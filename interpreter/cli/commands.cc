#include "cli/commands.h"

namespace runbook::cli {

std::vector<Command> all_commands() {
  return {validate_command(), plan_command(), run_command(),      status_command(),
          new_command(),      lint_command(), rollback_command(), rehearse_command()};
}

}  // namespace runbook::cli

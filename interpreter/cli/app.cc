#include "cli/app.h"

#include "cli/commands.h"
#include "model/outcome.h"

#include <CLI/CLI.hpp>

#include <iostream>

#ifndef RUNBOOK_VERSION
#define RUNBOOK_VERSION "dev"
#endif

namespace runbook::cli {

int main(int argc, char** argv) {
  CLI::App app{"runbook — execute database runbooks written as YAML against PostgreSQL"};
  app.set_version_flag("--version", RUNBOOK_VERSION);
  app.require_subcommand(1);
  std::vector<Command> commands = all_commands();
  for (Command& c : commands) {
    c.setup(app);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return to_int(ExitCode::invalid);  // usage errors are "invalid, nothing ran"
  }
  for (Command& c : commands) {
    if (c.selected()) {
      try {
        return to_int(c.run());
      } catch (const std::exception& e) {
        std::cerr << "runbook: internal error: " << e.what() << "\n";
        return to_int(ExitCode::environment);
      }
    }
  }
  return to_int(ExitCode::invalid);
}

}  // namespace runbook::cli

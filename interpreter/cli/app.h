#pragma once
// The command line: parses argv, runs a subcommand, returns the exit code.

namespace runbook::cli {

int main(int argc, char** argv);

}  // namespace runbook::cli

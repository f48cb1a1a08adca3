#include "adapters/term/terminal_prompter.h"

#include <iostream>
#include <string>
#include <unistd.h>

namespace runbook::adapters {

bool TerminalPrompter::interactive() const {
  return ::isatty(STDIN_FILENO) != 0 && ::isatty(STDERR_FILENO) != 0;
}

bool TerminalPrompter::confirm(const std::string& question) {
  std::cerr << "\n? " << question << "\n  Type yes to go on, anything else to stop: " << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) {
    return false;
  }
  return answer == "yes" || answer == "y" || answer == "YES";
}

}  // namespace runbook::adapters

#include "adapters/term/terminal.h"

#include "base/duration.h"

#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace runbook::adapters {

bool is_terminal(int fd) {
  return ::isatty(fd) == 1;
}

bool colour_wanted(int fd) {
  if (std::getenv("NO_COLOR") != nullptr) {
    return false;
  }
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::strcmp(term, "dumb") == 0) {
    return false;
  }
  return is_terminal(fd);
}

std::optional<std::chrono::milliseconds> progress_interval() {
  const char* text = std::getenv("RUNBOOK_PROGRESS_INTERVAL");
  if (text == nullptr) {
    return std::nullopt;
  }
  std::optional<Millis> every = parse_duration(text);
  if (!every || every->count() <= 0) {
    return std::nullopt;
  }
  return *every;
}

}  // namespace runbook::adapters

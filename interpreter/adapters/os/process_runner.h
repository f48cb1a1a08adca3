#pragma once
// Runs `command:` steps: fork/exec without a shell (argv), the target's
// connection in PG* variables (never on the command line), output captured
// and bounded, a timeout, and SIGINT/SIGTERM of the run passed on.

#include "exec/interrupt.h"
#include "exec/ports.h"

#include <sys/types.h>

namespace runbook::adapters {

class ProcessRunner final : public exec::CommandRunner {
 public:
  explicit ProcessRunner(const exec::Interrupt& interrupt, std::size_t max_output = 64 * 1024)
      : interrupt_(interrupt), max_output_(max_output) {}

  exec::CommandResult run(const std::vector<std::string>& argv,
                          const std::vector<std::pair<std::string, std::string>>& env,
                          std::optional<std::chrono::milliseconds> timeout) override;

 private:
  int watch_child(pid_t pid, int out_fd, std::optional<std::chrono::milliseconds> timeout,
                  exec::CommandResult& result);
  bool read_output(int fd, int wait_ms, std::string& output) const;

  const exec::Interrupt& interrupt_;
  std::size_t max_output_;
};

}  // namespace runbook::adapters

#pragma once
// Asks `confirm:` questions on the controlling terminal.

#include "exec/ports.h"

namespace runbook::adapters {

class TerminalPrompter final : public exec::Prompter {
 public:
  bool interactive() const override;
  bool confirm(const std::string& question) override;
};

}  // namespace runbook::adapters

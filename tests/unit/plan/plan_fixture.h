#pragma once
// Plans a runbook written inline, with templates from an in-memory file
// tree, for the plan module's tests.

#include "load/runbook_loader.h"
#include "plan/planner.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace runbook::testing {

class MemoryFiles final : public load::FileReader {
 public:
  std::map<std::string, std::string> files;
  std::optional<std::string> read(const std::string& path, std::string* error) const override {
    auto it = files.find(path);
    if (it == files.end()) {
      *error = "no such file";
      return std::nullopt;
    }
    return it->second;
  }
  bool exists(const std::string& path) const override { return files.count(path) > 0; }
};

struct Planned {
  std::optional<plan::ExecutionPlan> plan;
  Diagnostics diags;
};

// The runbook is rb/main.yaml: its templates go in rb/templates/NAME.yaml.
inline Planned plan_of(const std::string& text, MemoryFiles files = {},
                       std::vector<std::string> set = {}) {
  Planned out;
  auto rb = load::load_runbook(text, "rb/main.yaml", out.diags);
  if (!rb) {
    return out;
  }
  load::TemplateCatalog catalog(files, {"installed"});
  plan::PlanInputs inputs;
  inputs.params = load::parse_set_arguments(set, out.diags);
  out.plan =
      plan::make_plan(std::make_shared<const Runbook>(std::move(*rb)), inputs, catalog, out.diags);
  return out;
}

inline std::string first_error(const Diagnostics& d) {
  for (const auto& x : d.sorted()) {
    if (x.severity == Severity::error) {
      return x.where.str() + ": " + x.message;
    }
  }
  return "";
}

}  // namespace runbook::testing

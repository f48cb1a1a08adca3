#pragma once
// One step mapping -> Step (DESIGN §1 "Steps").

#include "base/diagnostic.h"
#include "load/yaml_reader.h"
#include "model/runbook.h"

#include <optional>
#include <vector>

namespace runbook::load {

std::optional<Step> load_step(const Node& node, Phase phase, Diagnostics& diags);

// A list of steps (a phase, or a template file's `steps:`). Reports duplicate
// ids within the list.
std::vector<Step> load_steps(const Node& list, Phase phase, Diagnostics& diags);

}  // namespace runbook::load

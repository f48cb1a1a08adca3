#pragma once
// An `expect:` mapping -> Expectation (DESIGN §1 "Expectations").

#include "base/diagnostic.h"
#include "load/yaml_reader.h"
#include "model/expectation.h"
#include "model/runbook.h"

#include <optional>

namespace runbook::load {

// `kind` decides which checks make sense: `affected` only for sql steps,
// `exit_code`/`stdout_contains` only for command steps.
std::optional<Expectation> load_expectation(const Node& node, StepKind kind, Diagnostics& diags);

}  // namespace runbook::load

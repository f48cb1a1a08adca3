// libFuzzer target for the loader and the planner: any input, read as a
// runbook file (and as a template file), must end in a runbook or in
// diagnostics — without a crash, a leak, a hang or unbounded memory. A
// runbook that loads is also planned (required params get placeholders, as
// `validate` does) and its deferred steps rendered again with captures, so
// that expansion, rendering, SQL splitting and transaction decisions see the
// fuzzed shapes too. No file, environment or database I/O: templates come
// from an empty in-memory reader, so every `use:` is "not found".

#include "base/diagnostic.h"
#include "load/file_reader.h"
#include "load/runbook_loader.h"
#include "load/template_catalog.h"
#include "plan/planner.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace {

class NoFiles : public runbook::load::FileReader {
 public:
  std::optional<std::string> read(const std::string&, std::string* error) const override {
    *error = "No such file or directory";
    return std::nullopt;
  }
  bool exists(const std::string&) const override { return false; }
};

// A value for every capture the plan sets, shaped as the executor keeps them.
runbook::Value captures_of(const runbook::plan::ExecutionPlan& plan) {
  runbook::Value captures{runbook::ValueMap{}};
  for (const runbook::plan::PlannedStep& step : plan.steps) {
    if (step.capture.empty()) {
      continue;
    }
    runbook::Value row{runbook::ValueMap{}};
    row.set("n", runbook::Value(std::int64_t{1}));
    runbook::Value capture{runbook::ValueMap{}};
    capture.set("rows", runbook::Value(runbook::ValueList{row}));
    capture.set("value", runbook::Value(std::int64_t{1}));
    capture.set("row_count", runbook::Value(std::int64_t{1}));
    captures.set(step.capture, capture);
  }
  return captures;
}

void plan_it(runbook::Runbook rb, runbook::Diagnostics& diags) {
  static const NoFiles files;
  runbook::load::TemplateCatalog catalog(files, {});
  runbook::plan::PlanInputs inputs;
  inputs.missing = runbook::load::MissingParams::placeholder;
  auto shared = std::make_shared<const runbook::Runbook>(std::move(rb));
  auto plan = runbook::plan::make_plan(shared, inputs, catalog, diags);
  if (!plan) {
    return;
  }
  runbook::Value captures = captures_of(*plan);
  for (runbook::plan::PlannedStep& step : plan->steps) {
    if (step.sql.deferred) {
      runbook::Diagnostics run_diags;
      runbook::plan::render_at_run_time(step, captures, run_diags);
    }
  }
  (void)runbook::plan::redact(plan->checksum, plan->secrets);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  runbook::Diagnostics diags;
  if (auto rb = runbook::load::load_runbook(text, "fuzz.yaml", diags)) {
    plan_it(std::move(*rb), diags);
  }
  runbook::load::load_template_file(text, "fuzz-template.yaml", diags);
  for (const runbook::Diagnostic& d : diags.sorted()) {
    (void)runbook::format_diagnostic(d);
  }
  return 0;
}

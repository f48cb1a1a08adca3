#include "cli/run_identity.h"

#include "adapters/os/identity.h"

#include <ctime>
#include <unistd.h>

#ifndef RUNBOOK_VERSION
#define RUNBOOK_VERSION "dev"
#endif

namespace runbook::cli {

std::string started_at_text(const exec::Clock& clock) {
  std::time_t t = std::chrono::system_clock::to_time_t(clock.now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

Value run_value(const std::string& run_id, const std::string& started_at) {
  Value run{ValueMap{}};
  run.set("id", Value(run_id));
  run.set("started_at", Value(started_at));
  char self[4096];
  ssize_t n = ::readlink("/proc/self/exe", self, sizeof(self) - 1);
  run.set("binary", Value(n > 0 ? std::string(self, static_cast<std::size_t>(n)) : "runbook"));
  return run;
}

RunRecord run_identity(const plan::ExecutionPlan& plan, const std::string& run_id,
                       const std::string& started_at) {
  RunRecord r;
  r.run_id = run_id;
  r.runbook_id = plan.runbook->id;
  r.title = plan.runbook->title;
  r.file = plan.runbook->file;
  r.file_checksum = plan.runbook->checksum;
  r.plan_checksum = plan.checksum;
  r.started_at = started_at;
  r.user = adapters::current_user();
  r.host = adapters::host_name();
  r.tool_version = RUNBOOK_VERSION;
  for (const ParamSpec& spec : plan.runbook->params) {
    const Value* v = plan.params.find(spec.name);
    r.params.emplace_back(spec.name, spec.secret ? "********" : (v ? v->to_text() : ""));
  }
  return r;
}

}  // namespace runbook::cli

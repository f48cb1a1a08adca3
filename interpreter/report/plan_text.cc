#include "base/strings.h"
#include "report/plan_formats.h"

#include <fmt/format.h>

namespace runbook::report {

namespace {

void append_block(std::string& out, const std::string& label, const std::string& body) {
  out += "    " + label + ":\n";
  out += indent(std::string(trim(body)), 6) + "\n";
}

// Each statement with how it runs and what it locks.
void append_statements(std::string& out, const char* label,
                       const std::vector<StatementLine>& statements) {
  if (statements.empty()) {
    return;
  }
  out += std::string("    ") + label + ":\n";
  for (std::size_t i = 0; i < statements.size(); ++i) {
    const StatementLine& s = statements[i];
    out += fmt::format("      {}. {} ({})\n", i + 1, s.tag, s.mode);
    if (!s.summary.empty()) {
      out += indent(s.summary, 9) + "\n";
    }
    for (const std::string& note : s.notes) {
      out += indent("note: " + note, 9) + "\n";
    }
  }
}

void append_step(std::string& out, const StepView& v) {
  if (v.block_start) {
    out += fmt::format("-- {}: {}\n   {}\n", v.block_id, v.block_title, v.origin);
    if (!v.block_description.empty()) {
      out += indent(v.block_description, 3) + "\n";
    }
    if (!v.block_condition_query.empty()) {
      out += "   runs only when this query returns true (asked once, before its first step):\n" +
             indent(v.block_condition_query, 5) + "\n";
    }
    out += "\n";
  }
  if (v.skipped) {
    out += fmt::format("[{}] {}  (skipped: {})\n\n", v.number, v.step->id,
                       v.condition.substr(v.condition.find(':') + 2));
    return;
  }
  out += fmt::format("[{}] {}\n", v.number, v.title);
  out += fmt::format("    {} step, {}\n", v.kind, v.wrapping);
  if (!v.origin.empty() && v.block_id.empty()) {
    out += "    " + v.origin + "\n";
  }
  if (!v.condition.empty()) {
    out += "    " + v.condition + (v.condition_query.empty() ? "" : ":") + "\n";
  }
  if (!v.condition_query.empty()) {
    out += indent(v.condition_query, 6) + "\n";
  }
  if (!v.description.empty()) {
    out += indent(std::string(trim(v.description)), 4) + "\n";
  }
  append_block(out, v.body_label, v.body);
  append_statements(out, "statements", v.statements);
  for (const std::string& e : v.expect) {
    append_block(out, "expect", e);
  }
  if (!v.verify_query.empty()) {
    append_block(out, "verify query", v.verify_query);
    for (const std::string& e : v.verify_expect) {
      append_block(out, "verify expect", e);
    }
  }
  for (const std::string& o : v.options) {
    out += "    " + o + "\n";
  }
  for (const std::string& l : v.lint) {
    out += "    lint: " + l + "\n";
  }
  if (!v.rollback.empty()) {
    append_block(out, v.rollback_mode.empty() ? "rollback" : "rollback (" + v.rollback_mode + ")",
                 v.rollback);
    append_statements(out, "rollback statements", v.rollback_statements);
  }
  out += "\n";
}

void append_phase(std::string& out, const char* name, const std::vector<StepView>& steps) {
  if (steps.empty()) {
    return;
  }
  out += fmt::format("== {} ==\n\n", name);
  for (const StepView& v : steps) {
    append_step(out, v);
  }
}

}  // namespace

std::string plan_text(const PlanView& view) {
  std::string out = "runbook " + view.id;
  if (!view.title.empty()) {
    out += " — " + view.title;
  }
  out += "\nfile: " + view.file + "\n";
  out += "checksum: " + view.checksum.substr(0, 16) +
         "  plan: " + view.plan_checksum.substr(0, 16) + "\n";
  if (!view.description.empty()) {
    out += "\n" + std::string(trim(view.description)) + "\n";
  }
  if (!view.params.empty()) {
    out += "\nparams:\n";
    for (const ParamLine& p : view.params) {
      out +=
          fmt::format("  {} ({}) = {}{}\n", p.name, p.type, p.value, p.secret ? "  [secret]" : "");
    }
  }
  if (!view.session.empty()) {
    out += "\nsession:\n";
    for (const auto& [name, value] : view.session) {
      out += fmt::format("  {} = {}\n", name, value);
    }
  }
  out += "\non_failure: " + view.on_failure + "\n\n";
  append_phase(out, "preflight", view.preflight);
  append_phase(out, "steps", view.steps);
  append_phase(out, "postflight", view.postflight);
  for (const std::string& l : view.lint) {
    out += "lint: " + l + "\n";
  }
  if (!view.warnings.empty()) {
    out += "== warnings ==\n\n";
    for (const std::string& w : view.warnings) {
      out += w + "\n";
    }
  }
  return out;
}

}  // namespace runbook::report

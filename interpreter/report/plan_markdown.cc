#include "base/strings.h"
#include "report/plan_formats.h"

#include <fmt/format.h>

namespace runbook::report {

namespace {

// A fence longer than any backtick run in `body`, so SQL holding ``` stays intact.
std::string fence_for(const std::string& body) {
  std::size_t longest = 0, run = 0;
  for (char c : body) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return std::string(std::max<std::size_t>(3, longest + 1), '`');
}

std::string code(const std::string& body, const char* language) {
  std::string fence = fence_for(body);
  return fence + language + "\n" + std::string(trim(body)) + "\n" + fence + "\n";
}

// Text for a table cell: pipes escaped, newlines as spaces.
std::string cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string body_language(const StepView& v) {
  return v.kind == "sql" || v.kind == "query" ? "sql" : v.kind == "command" ? "sh" : "";
}

// One check on the label's line; several as a list (all must hold); a
// table check as the psql table it expects.
void append_checks(std::string& out, const char* label, const std::vector<std::string>& checks) {
  std::vector<std::string> lines, tables;
  for (const std::string& c : checks) {
    (c.find('\n') != std::string::npos ? tables : lines).push_back(c);
  }
  if (lines.size() == 1) {
    out += fmt::format("**{}:** {}\n\n", label, lines[0]);
  } else if (lines.size() > 1) {
    out += fmt::format("**{}** (all of):\n\n", label);
    for (const std::string& l : lines) {
      out += "- " + l + "\n";
    }
    out += "\n";
  }
  for (const std::string& t : tables) {
    out += fmt::format("**{}:**\n\n{}\n", label, code(t, "text"));
  }
}

// The statements of a step with how each runs and what it locks.
std::string lock_table(const std::vector<StatementLine>& statements) {
  if (statements.empty()) {
    return "";
  }
  std::string out = "| # | statement | runs | lock impact |\n|---|---|---|---|\n";
  for (std::size_t i = 0; i < statements.size(); ++i) {
    const StatementLine& s = statements[i];
    std::string impact = s.summary.empty() ? "—" : cell(s.summary);
    for (const std::string& note : s.notes) {
      impact += "<br>*" + cell(note) + "*";
    }
    out += fmt::format("| {} | {} | {} | {} |\n", i + 1, cell(s.tag), s.mode, impact);
  }
  return out + "\n";
}

void append_block_heading(std::string& out, const StepView& v) {
  out += fmt::format("#### `{}` — {}\n\n", v.block_id, v.block_title);
  out += "*" + v.origin + "*\n\n";
  if (!v.block_description.empty()) {
    out += v.block_description + "\n\n";
  }
  if (!v.block_condition_query.empty()) {
    out +=
        "**The whole block runs only when this query returns true** (asked once, before "
        "its first step):\n\n" +
        code(v.block_condition_query, "sql") + "\n";
  }
}

void append_condition(std::string& out, const StepView& v) {
  if (v.condition_query.empty()) {
    out += "> " + v.condition + "\n\n";
  } else {
    out += "*" + v.condition + ":*\n\n" + code(v.condition_query, "sql") + "\n";
  }
}

// A confirm step in words: the question, and who answers it.
void append_question(std::string& out, const StepView& v) {
  out += "**Asks:** " + std::string(trim(v.body)) + "\n\n";
  out += fmt::format(
      "*The person running it answers at the terminal; without a terminal it needs "
      "`--approve {}` (or `--yes`). No answer, or no, is a NO-GO: the run stops here.*\n\n",
      v.step->id);
}

// Everything of a step below its heading.
void append_details(std::string& out, const StepView& v);

const char* heading_of(const StepView& v) {
  return v.block_id.empty() ? "####" : "#####";
}

void append_step(std::string& out, const StepView& v) {
  if (v.block_start) {
    append_block_heading(out, v);
  }
  if (v.skipped) {  // never runs with these params: one line is enough
    out += fmt::format("{} {}. ~~`{}`~~ — skipped: {}\n\n", heading_of(v), v.number, v.step->id,
                       v.condition.substr(v.condition.find(':') + 2));
    return;
  }
  out += fmt::format("{} {}. `{}`{}\n\n", heading_of(v), v.number, v.step->id,
                     v.name.empty() ? "" : " — " + v.name);
  out += fmt::format("*{} step · {}*", v.kind, v.wrapping);
  if (!v.origin.empty() && v.block_id.empty()) {
    out += " · " + v.origin;
  }
  out += "\n\n";
  append_details(out, v);
}

void append_details(std::string& out, const StepView& v) {
  if (!v.condition.empty()) {
    append_condition(out, v);
  }
  if (!v.description.empty()) {
    out += std::string(trim(v.description)) + "\n\n";
  }
  if (v.kind == "confirm") {
    append_question(out, v);
  } else {
    out += code(v.body, body_language(v).c_str()) + "\n";
  }
  out += lock_table(v.statements);
  append_checks(out, "expect", v.expect);
  if (!v.verify_query.empty()) {
    out += "**verify:**\n\n" + code(v.verify_query, "sql") + "\n";
    append_checks(out, "verify expects", v.verify_expect);
  }
  for (const std::string& o : v.options) {
    out += "- " + o + "\n";
  }
  if (!v.options.empty()) {
    out += "\n";
  }
  for (const std::string& l : v.lint) {
    out += "> **lint** " + cell(l) + "\n>\n";
  }
  if (!v.lint.empty()) {
    out += "\n";
  }
  if (!v.rollback.empty()) {
    if (v.rollback_mode.empty()) {
      out += "**rollback:** " + v.rollback + "\n\n";
    } else if (v.rollback_is_command) {
      out += "**rollback** (" + v.rollback_mode + "):\n\n" + code(v.rollback, "sh") + "\n";
    } else {
      out += "<details><summary>rollback (" + v.rollback_mode + ")</summary>\n\n" +
             code(v.rollback, "sql") + "\n" + lock_table(v.rollback_statements) + "</details>\n\n";
    }
  }
}

// The id a `foreach:` step was written with: "add-fk[3]" -> "add-fk".
std::string foreach_id(const std::string& id) {
  return id.substr(0, id.rfind('['));
}

// Steps one `foreach:` expanded, as one: a table of the items, the first
// item in full, and the others (the same but for the item) folded away.
void append_foreach(std::string& out, const StepView* items, int count) {
  const StepView& first = items[0];
  if (first.block_start) {
    append_block_heading(out, first);
  }
  out += fmt::format("{} {}–{}. `{}[0..{}]` — once for each of {} items\n\n", heading_of(first),
                     first.number, first.number + count - 1, foreach_id(first.step->id), count - 1,
                     count);
  out += fmt::format("*{} step · {}*\n\n", first.kind, first.wrapping);
  out += "| # | step | item | name |\n|---|---|---|---|\n";
  for (int i = 0; i < count; ++i) {
    out += fmt::format("| {} | `{}` | {} | {} |\n", items[i].number, items[i].step->id,
                       cell(items[i].step->item), cell(items[i].name));
  }
  out += fmt::format("\nShown for `{}`; the other items differ only in their values.\n\n",
                     first.step->id);
  append_details(out, first);
  out += fmt::format("<details><summary>the other {} items, rendered</summary>\n\n", count - 1);
  for (int i = 1; i < count; ++i) {
    out += fmt::format("**`{}`**{}\n\n", items[i].step->id,
                       items[i].name.empty() ? "" : " — " + items[i].name);
    append_details(out, items[i]);
  }
  out += "</details>\n\n";
}

void append_phase(std::string& out, const char* name, const std::vector<StepView>& steps) {
  if (steps.empty()) {
    return;
  }
  out += fmt::format("### {}\n\n", name);
  for (const StepView& v : steps) {
    if (v.foreach_size > 0) {
      append_foreach(out, &v, v.foreach_size);
    } else if (!v.foreach_rest) {
      append_step(out, v);
    }
  }
}

}  // namespace

std::string plan_markdown(const PlanView& view) {
  std::string out =
      fmt::format("## Runbook `{}`{}\n\n", view.id, view.title.empty() ? "" : ": " + view.title);
  out += fmt::format("`{}` · checksum `{}` · plan `{}`\n\n", view.file, view.checksum.substr(0, 16),
                     view.plan_checksum.substr(0, 16));
  if (!view.description.empty()) {
    out += std::string(trim(view.description)) + "\n\n";
  }
  if (!view.params.empty()) {
    out += "| param | type | value | description |\n|---|---|---|---|\n";
    for (const ParamLine& p : view.params) {
      out += fmt::format("| `{}` | {} | {} | {} |\n", p.name, p.type,
                         p.secret ? "*secret*" : "`" + cell(p.value) + "`", cell(p.description));
    }
    out += "\n";
  }
  if (!view.session.empty()) {
    out += "**session:** ";
    std::vector<std::string> settings;
    for (const auto& [name, value] : view.session) {
      settings.push_back("`" + name + " = " + value + "`");
    }
    out += join(settings, ", ") + "\n\n";
  }
  out += "**on failure:** " + view.on_failure + "\n\n";
  std::size_t total = view.preflight.size() + view.steps.size() + view.postflight.size();
  out += fmt::format(
      "{} preflight checks · {} steps · {} postflight checks ({} in all) · lint: "
      "{} errors, {} warnings{}\n\n",
      view.preflight.size(), view.steps.size(), view.postflight.size(), total, view.lint_errors,
      view.lint_warnings,
      view.lint_suppressed > 0 ? fmt::format(", {} suppressed with a reason", view.lint_suppressed)
                               : "");
  for (const std::string& l : view.lint) {
    out += "> **lint** " + cell(l) + "\n\n";
  }
  append_phase(out, "Preflight", view.preflight);
  append_phase(out, "Steps", view.steps);
  append_phase(out, "Postflight", view.postflight);
  if (!view.warnings.empty()) {
    out += "### Warnings\n\n";
    for (const std::string& w : view.warnings) {
      out += "- `" + cell(w.substr(0, w.find('\n'))) + "`\n";
    }
    out += "\n";
  }
  return out;
}

}  // namespace runbook::report

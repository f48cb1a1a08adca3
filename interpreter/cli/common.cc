#include "cli/common.h"

#include "adapters/os/real_file_reader.h"
#include "base/strings.h"
#include "load/runbook_loader.h"
#include "load/template_catalog.h"
#include "plan/planner.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <unistd.h>

namespace runbook::cli {

void add_input_options(CLI::App& command, InputOptions& options) {
  command.add_option("--set", options.set, "Set a param: name=value (repeatable)");
  command.add_option("--params", options.params_file, "Read params from a YAML file");
  command.add_option("--templates", options.template_dirs,
                     "Also look for `use:` templates in DIR (repeatable)");
}

namespace {

std::string executable_dir() {
  char buffer[4096];
  ssize_t n = ::readlink("/proc/self/exe", buffer, sizeof(buffer) - 1);
  if (n <= 0) {
    return "";
  }
  return load::directory_of(std::string(buffer, static_cast<std::size_t>(n)));
}

// The line `line` of `file`, read once per file.
std::optional<std::string> source_line(const std::string& file, int line) {
  static std::map<std::string, std::optional<std::string>> cache;
  auto it = cache.find(file);
  if (it == cache.end()) {
    adapters::RealFileReader reader;
    std::string error;
    it = cache.emplace(file, reader.exists(file) ? reader.read(file, &error) : std::nullopt).first;
  }
  if (!it->second || line < 1) {
    return std::nullopt;
  }
  auto lines = split_lines(*it->second);
  if (static_cast<std::size_t>(line) > lines.size()) {
    return std::nullopt;
  }
  return std::string(lines[static_cast<std::size_t>(line - 1)]);
}

std::string excerpt(const Diagnostic& d) {
  auto line = source_line(d.where.file, d.where.line);
  if (!line || line->size() > 300) {
    return "";
  }
  std::string caret(static_cast<std::size_t>(std::max(0, d.where.column - 1)), ' ');
  for (std::size_t i = 0; i < caret.size() && i < line->size(); ++i) {
    if ((*line)[i] == '\t') {
      caret[i] = '\t';
    }
  }
  return fmt::format("\n  {:>4} | {}\n       | {}^", d.where.line, *line, caret);
}

// The folder that holds the runbook's folder: "" for runbooks/x.yaml, ".." for x.yaml.
std::string sibling_folder_base(const std::string& file) {
  std::string dir = load::directory_of(file);
  if (dir.empty()) {
    return "..";
  }
  std::string parent = load::directory_of(dir);
  return parent.empty() && dir != "/" && dir.find('/') == std::string::npos ? "" : parent;
}

}  // namespace

std::vector<std::string> template_search_path(const std::vector<std::string>& dirs) {
  std::vector<std::string> path = dirs;
  if (const char* env = std::getenv("RUNBOOK_TEMPLATE_PATH")) {
    for (std::string_view entry : split(env, ':')) {
      if (!entry.empty()) {
        path.emplace_back(entry);
      }
    }
  }
  std::string exe = executable_dir();
  if (!exe.empty()) {
    path.push_back(load::join_path(exe, "../share/runbook/templates"));
  }
#ifdef RUNBOOK_INSTALL_DATADIR
  path.push_back(std::string(RUNBOOK_INSTALL_DATADIR) + "/templates");
#endif
  return path;
}

void print_diagnostics(const Diagnostics& diags, std::ostream& err,
                       const std::vector<std::string>& secrets) {
  // Past this many, more errors are usually one mistake repeated: say how
  // many there are instead of burying the first ones.
  constexpr std::size_t kShown = 50;
  std::size_t errors = 0, warnings = 0, shown = 0;
  for (const Diagnostic& d : diags.sorted()) {
    (d.severity == Severity::error ? errors : warnings)++;
    if (++shown <= kShown) {
      err << plan::redact(format_diagnostic(d) + excerpt(d), secrets) << "\n";
    }
  }
  if (shown > kShown) {
    err << fmt::format("... and {} more not shown\n", shown - kShown);
  }
  if (errors > 0) {
    err << fmt::format(
        "{} error{}{}; nothing ran\n", errors, errors == 1 ? "" : "s",
        warnings > 0 ? fmt::format(", {} warning{}", warnings, warnings == 1 ? "" : "s") : "");
  }
}

std::optional<plan::ExecutionPlan> load_plan(const std::string& file, const InputOptions& options,
                                             load::MissingParams missing, std::optional<Value> run,
                                             bool show_warnings, std::ostream& err) {
  adapters::RealFileReader reader;
  Diagnostics diags;
  std::string error;
  auto text = reader.read(file, &error);
  if (!text) {
    diags.error(Location{file, 0, 0}, "cannot read the runbook: " + error);
    print_diagnostics(diags, err);
    return std::nullopt;
  }
  auto runbook = load::load_runbook(*text, file, diags);
  plan::PlanInputs inputs;
  if (!options.params_file.empty()) {
    auto params_text = reader.read(options.params_file, &error);
    if (!params_text) {
      diags.error(Location{options.params_file, 0, 0}, "cannot read the params file: " + error);
    } else {
      inputs.params = load::read_params_file(*params_text, options.params_file, diags);
    }
  }
  auto set = load::parse_set_arguments(options.set, diags);
  inputs.params.insert(inputs.params.end(), set.begin(), set.end());
  inputs.missing = missing;
  inputs.run = std::move(run);
  if (!runbook || diags.has_errors()) {
    print_diagnostics(diags, err);
    return std::nullopt;
  }
  for (const std::string& name : runbook->env) {
    if (const char* value = std::getenv(name.c_str())) {
      inputs.env.emplace_back(name, value);
    }
  }
  // `templates/` beside the runbook's folder too: the usual project layout
  // keeps runbooks/ and templates/ side by side.
  std::vector<std::string> dirs = options.template_dirs;
  dirs.insert(dirs.begin(), load::join_path(sibling_folder_base(file), "templates"));
  load::TemplateCatalog catalog(reader, template_search_path(dirs));
  // The secrets are known before planning, so that no error about a value
  // derived from one (e.g. a `with:` value) can show it.
  Diagnostics ignored;
  std::vector<std::string> secrets = plan::secrets_of(
      load::bind_params(runbook->params, inputs.params, load::MissingParams::placeholder, ignored));
  auto shared = std::make_shared<const Runbook>(std::move(*runbook));
  auto plan = plan::make_plan(shared, inputs, catalog, diags);
  if (!plan || (show_warnings && !plan->warnings.all().empty())) {
    Diagnostics all = diags;
    if (plan && show_warnings) {
      all.merge(plan->warnings);
    }
    print_diagnostics(all, err, secrets);
  }
  return plan;
}

}  // namespace runbook::cli

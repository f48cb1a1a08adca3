// `runbook lint FILE...`: migration-safety rules on the rendered SQL, no
// database. Exit 1 when an error-level finding is not suppressed, 5 when a
// file is invalid, 0 otherwise.

#include "cli/commands.h"
#include "cli/common.h"
#include "lint/format.h"
#include "lint/linter.h"
#include "lint/registry.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <iomanip>
#include <iostream>
#include <memory>

namespace runbook::cli {

namespace {

struct LintOptions {
  std::vector<std::string> files;
  std::string format = "text";
  bool list_rules = false;
  InputOptions input;
};

struct FileResult {
  std::string file;
  bool valid = false;
  std::vector<lint::Finding> findings;
};

nlohmann::ordered_json location_json(const Location& l) {
  return {{"file", l.file}, {"line", l.line}, {"column", l.column}};
}

nlohmann::ordered_json finding_json(const lint::Finding& f) {
  nlohmann::ordered_json j = {{"rule", f.rule},
                              {"severity", lint::severity_name(f.severity)},
                              {"message", f.message},
                              {"hint", f.hint},
                              {"file", f.where.file},
                              {"line", f.where.line},
                              {"column", f.where.column},
                              {"step", f.step},
                              {"rollback", f.in_rollback},
                              {"suppressed", f.suppressed}};
  if (f.suppressed) {
    j["why"] = f.why;
  }
  if (!f.used_at.empty()) {
    j["used_at"] = nlohmann::ordered_json::array();
    for (const Location& l : f.used_at) {
      j["used_at"].push_back(location_json(l));
    }
  }
  return j;
}

nlohmann::ordered_json counts_json(const lint::Counts& c) {
  return {{"errors", c.errors},
          {"warnings", c.warnings},
          {"infos", c.infos},
          {"suppressed", c.suppressed}};
}

void print_json(const std::vector<FileResult>& results, const lint::Counts& total) {
  nlohmann::ordered_json files = nlohmann::ordered_json::array();
  for (const FileResult& r : results) {
    nlohmann::ordered_json findings = nlohmann::ordered_json::array();
    for (const lint::Finding& f : r.findings) {
      findings.push_back(finding_json(f));
    }
    files.push_back({{"file", r.file},
                     {"valid", r.valid},
                     {"findings", findings},
                     {"counts", counts_json(lint::count(r.findings))}});
  }
  nlohmann::ordered_json out = {{"files", files}, {"counts", counts_json(total)}};
  std::cout << out.dump(2) << "\n";
}

void list_rules(const std::string& format) {
  if (format == "json") {
    nlohmann::ordered_json rules = nlohmann::ordered_json::array();
    for (const lint::Rule& r : lint::all_rules()) {
      rules.push_back({{"id", r.id},
                       {"severity", lint::severity_name(r.severity)},
                       {"title", r.title},
                       {"safe", r.safe}});
    }
    std::cout << rules.dump(2) << "\n";
    return;
  }
  for (const lint::Rule& r : lint::all_rules()) {
    std::cout << std::left << std::setw(36) << r.id << std::setw(9)
              << lint::severity_name(r.severity) << r.title << "\n";
  }
}

ExitCode run_lint(const LintOptions& o) {
  if (o.list_rules) {
    list_rules(o.format);
    return ExitCode::go;
  }
  if (o.files.empty()) {
    std::cerr << "runbook lint: give one or more runbook files (or --list-rules)\n";
    return ExitCode::invalid;
  }
  std::vector<FileResult> results;
  std::vector<lint::Finding> all;
  bool invalid = false;
  for (const std::string& file : o.files) {
    // Like validate: required params without a value get typed placeholders.
    auto plan =
        load_plan(file, o.input, load::MissingParams::placeholder, std::nullopt, false, std::cerr);
    FileResult r{file, plan.has_value(), {}};
    invalid |= !plan;
    if (plan) {
      r.findings = lint::lint_plan(*plan);
      all.insert(all.end(), r.findings.begin(), r.findings.end());
    }
    results.push_back(std::move(r));
  }
  lint::Counts total = lint::count(all);
  if (o.format == "json") {
    print_json(results, total);
  } else {
    for (const lint::Finding& f : all) {
      std::cout << (o.format == "github" ? lint::format_github(f) : lint::format_text(f));
    }
    std::cout << lint::summary_line(total, static_cast<int>(o.files.size())) << "\n";
  }
  if (invalid) {
    return ExitCode::invalid;
  }
  // 1, as for a NO-GO: the change should not go ahead as written.
  return lint::fails(all) ? ExitCode::no_go : ExitCode::go;
}

}  // namespace

Command lint_command() {
  auto options = std::make_shared<LintOptions>();
  auto sub = std::make_shared<CLI::App*>(nullptr);
  return Command{[options, sub](CLI::App& app) {
                   *sub = app.add_subcommand("lint",
                                             "Check runbooks for unsafe migrations (no database)");
                   (*sub)->add_option("files", options->files, "Runbook files");
                   (*sub)
                       ->add_option("--format", options->format, "text, json or github")
                       ->check(CLI::IsMember({"text", "json", "github"}));
                   (*sub)->add_flag("--list-rules", options->list_rules,
                                    "List every rule with its id, severity and title");
                   add_input_options(**sub, options->input);
                 },
                 [sub] { return (*sub)->parsed(); }, [options] { return run_lint(*options); }};
}

}  // namespace runbook::cli

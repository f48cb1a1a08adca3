// `runbook new NAME [--template T]`: scaffolds NAME.yaml from a starter that
// validates and lints clean as written.

#include "adapters/os/artifact_writer.h"
#include "adapters/os/real_file_reader.h"
#include "base/edit_distance.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "cli/starters.h"

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

namespace runbook::cli {

namespace {

struct NewOptions {
  std::string name;
  std::string starter = "blank";
  std::string title;
  std::string dir = ".";
  bool force = false;
  bool list = false;
};

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t pos = text.find(from); pos != std::string::npos;
       pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

const Starter* find_starter(const std::string& name) {
  for (const Starter& s : starters()) {
    if (s.name == name) {
      return &s;
    }
  }
  return nullptr;
}

std::vector<std::string> starter_names() {
  std::vector<std::string> names;
  for (const Starter& s : starters()) {
    names.push_back(s.name);
  }
  return names;
}

ExitCode run_new(const NewOptions& o) {
  if (o.list) {
    for (const Starter& s : starters()) {
      std::cout << s.name << "\n";
    }
    return ExitCode::go;
  }
  if (!is_valid_id(o.name)) {
    std::cerr << "runbook new: " << quoted(o.name)
              << " is not a valid runbook id (lower-case letters, digits, '.', '_', '-')\n";
    return ExitCode::invalid;
  }
  const Starter* starter = find_starter(o.starter);
  if (starter == nullptr) {
    std::string hint = did_you_mean(o.starter, starter_names());
    std::cerr << "runbook new: no starter " << quoted(o.starter) << "; "
              << (hint.empty() ? "starters: " + join(starter_names(), ", ") : hint) << "\n";
    return ExitCode::invalid;
  }
  std::string path = o.dir + "/" + o.name + ".yaml";
  adapters::RealFileReader files;
  if (files.exists(path) && !o.force) {
    std::cerr << "runbook new: " << path << " exists; use --force to overwrite it\n";
    return ExitCode::invalid;
  }
  std::string title = o.title.empty() ? o.name : o.title;
  std::string text =
      replace_all(replace_all(starter->text, "__NAME__", o.name), "__TITLE__", title);
  std::string error;
  if (!adapters::write_file_atomically(path, text, &error)) {
    std::cerr << "runbook new: " << error << "\n";
    return ExitCode::environment;
  }
  std::cout << "wrote " << path << " (from the " << starter->name << " starter)\n"
            << "next: runbook validate " << path << " && runbook plan " << path << "\n";
  return ExitCode::go;
}

}  // namespace

Command new_command() {
  auto o = std::make_shared<NewOptions>();
  auto sub = std::make_shared<CLI::App*>(nullptr);
  return Command{[o, sub](CLI::App& app) {
                   CLI::App* c = app.add_subcommand("new", "Scaffold a runbook from a starter");
                   *sub = c;
                   c->add_option("name", o->name, "Runbook id; the file is NAME.yaml");
                   c->add_option(
                       "-t,--template", o->starter,
                       "Starter: blank, safe-foreign-key, concurrent-index, backfill, ...");
                   c->add_option("--title", o->title, "Title of the runbook");
                   c->add_option("--dir", o->dir, "Directory to write into (default: here)");
                   c->add_flag("--force", o->force, "Overwrite an existing file");
                   c->add_flag("--list", o->list, "List the starters");
                 },
                 [sub] { return (*sub)->parsed(); },
                 [o] {
                   if (!o->list && o->name.empty()) {
                     std::cerr << "runbook new: give a NAME (or --list)\n";
                     return ExitCode::invalid;
                   }
                   return run_new(*o);
                 }};
}

}  // namespace runbook::cli

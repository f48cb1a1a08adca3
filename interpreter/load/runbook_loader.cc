#include "load/runbook_loader.h"

#include "base/sha256.h"
#include "base/strings.h"
#include "load/fields.h"
#include "load/params.h"
#include "load/step_loader.h"
#include "load/yaml_reader.h"

#include <set>
#include <string_view>
#include <unordered_map>

namespace runbook::load {

namespace {

const std::vector<std::string> kRunbookKeys = {"runbook", "title",     "description", "params",
                                               "env",     "session",   "on_failure",  "preflight",
                                               "steps",   "postflight"};

const std::vector<std::string> kTemplateKeys = {"template", "description", "params", "steps"};

bool valid_setting_name(std::string_view name) {
  if (name.empty()) {
    return false;
  }
  for (char c : name) {
    if (!std::islower(static_cast<unsigned char>(c)) &&
        !std::isdigit(static_cast<unsigned char>(c)) && c != '_' && c != '.') {
      return false;
    }
  }
  return true;
}

std::vector<SessionSetting> load_session(const Node& node, Diagnostics& diags) {
  std::vector<SessionSetting> settings;
  if (!node.is_mapping()) {
    report_shape(diags, node, "`session`", "a mapping of setting: value");
    return settings;
  }
  for (const auto& [key, value] : node.entries) {
    if (!valid_setting_name(key.scalar())) {
      diags.error(key.where, "setting name " + quoted(key.scalar()) + " is not valid",
                  "use PostgreSQL's name for it, e.g. lock_timeout");
      continue;
    }
    if (!value.is_scalar()) {
      report_shape(diags, value, "setting " + quoted(key.scalar()), "a single value");
      continue;
    }
    if (key.scalar() == "transaction_read_only" ||
        key.scalar() == "default_transaction_read_only") {
      diags.error(key.where, quoted(key.scalar()) + " is managed by runbook",
                  "checks already run read-only; steps must be able to write");
      continue;
    }
    settings.push_back(SessionSetting{key.scalar(), to_value(value).to_text(), key.where});
  }
  return settings;
}

std::vector<std::string> load_env(const Node& node, Diagnostics& diags) {
  std::vector<std::string> names;
  if (!node.is_sequence()) {
    report_shape(diags, node, "`env`", "a list of environment variable names");
    return names;
  }
  for (const Node& item : node.items) {
    if (!item.is_scalar() || item.scalar().empty()) {
      report_shape(diags, item, "an `env` entry", "a variable name");
      continue;
    }
    names.push_back(item.scalar());
  }
  return names;
}

// Step ids are unique across all phases of a runbook, so that the journal
// and `--only ID` can name a step without its phase.
void check_unique_ids(const std::vector<const std::vector<Step>*>& phases, Diagnostics& diags) {
  std::unordered_map<std::string_view, const Step*> first_with_id;
  for (const auto* phase : phases) {
    for (const Step& step : *phase) {
      auto [first, is_new] = first_with_id.emplace(step.id, &step);
      if (!is_new) {
        diags.error(
            step.where, "duplicate step id " + quoted(step.id),
            "step ids are unique in a runbook; the first is at " + first->second->where.str());
      }
    }
  }
}

void check_captures_unique(const std::vector<const std::vector<Step>*>& phases,
                           Diagnostics& diags) {
  std::set<std::string> names;
  for (const auto* phase : phases) {
    for (const Step& step : *phase) {
      if (!step.capture.empty() && !names.insert(step.capture).second) {
        diags.error(step.where, "capture " + quoted(step.capture) + " is set by two steps",
                    "give each capture its own name");
      }
    }
  }
}

std::optional<std::string> read_id(const Fields& f, const char* key, Diagnostics& diags,
                                   const Node& root) {
  auto id = f.string(key);
  if (!id) {
    if (!f.has(key)) {
      diags.error(Location{root.where.file, 1, 1}, std::string("missing `") + key + ":`",
                  std::string("start the file with `") + key + ": my-id`");
    }
    return std::nullopt;
  }
  if (!is_valid_id(*id)) {
    diags.error(f.get(key)->where, std::string(key) + " id " + quoted(*id) + " is not valid",
                "ids use lower-case letters, digits, '.', '_' and '-', starting with a letter "
                "or digit");
  }
  return id;
}

const Node* root_mapping(const std::optional<Node>& root, const std::string& file,
                         Diagnostics& diags) {
  if (!root) {
    return nullptr;
  }
  if (!root->is_mapping()) {
    diags.error(root->where.known() ? root->where : Location{file, 1, 1},
                "a runbook file is a mapping of keys such as `runbook:` and `steps:`, not " +
                    std::string(root->kind_name()));
    return nullptr;
  }
  return &*root;
}

}  // namespace

std::optional<Runbook> load_runbook(std::string_view text, const std::string& file,
                                    Diagnostics& diags) {
  std::size_t errors_before = diags.error_count();
  auto root = read_yaml(text, file, diags);
  const Node* map = root_mapping(root, file, diags);
  if (map == nullptr) {
    return std::nullopt;
  }
  Fields f(*map, "runbook", diags);
  f.only(kRunbookKeys);
  if (map->get("template") != nullptr && map->get("runbook") == nullptr) {
    diags.error(map->get("template")->where, "this is a template file, not a runbook",
                "templates are used from a runbook with `use:`");
    return std::nullopt;
  }
  Runbook rb;
  rb.file = file;
  rb.checksum = sha256_hex(text);
  rb.where = Location{file, 1, 1};
  rb.id = read_id(f, "runbook", diags, *map).value_or("");
  rb.title = f.string("title").value_or("");
  rb.description = f.string("description").value_or("");
  if (const Node* params = f.get("params")) {
    rb.params = load_param_specs(*params, diags);
  }
  if (const Node* env = f.get("env")) {
    rb.env = load_env(*env, diags);
  }
  if (const Node* session = f.get("session")) {
    rb.session = load_session(*session, diags);
  }
  if (auto on_failure = f.choice("on_failure", {"stop", "rollback"})) {
    rb.on_failure = static_cast<OnFailure>(*on_failure);
  }
  auto phase = [&](const char* key, Phase p) {
    const Node* n = f.get(key);
    return n == nullptr ? std::vector<Step>{} : load_steps(*n, p, diags);
  };
  rb.preflight = phase("preflight", Phase::preflight);
  rb.steps = phase("steps", Phase::steps);
  rb.postflight = phase("postflight", Phase::postflight);
  check_unique_ids({&rb.preflight, &rb.steps, &rb.postflight}, diags);
  check_captures_unique({&rb.preflight, &rb.steps, &rb.postflight}, diags);
  if (rb.preflight.empty() && rb.steps.empty() && rb.postflight.empty() &&
      diags.error_count() == errors_before) {
    diags.error(rb.where, "the runbook has no steps",
                "add `steps:` (and `preflight:`/`postflight:` checks)");
  }
  if (diags.error_count() != errors_before) {
    return std::nullopt;
  }
  return rb;
}

std::optional<TemplateFile> load_template_file(std::string_view text, const std::string& file,
                                               Diagnostics& diags) {
  std::size_t errors_before = diags.error_count();
  auto root = read_yaml(text, file, diags);
  const Node* map = root_mapping(root, file, diags);
  if (map == nullptr) {
    return std::nullopt;
  }
  Fields f(*map, "template file", diags);
  f.only(kTemplateKeys);
  TemplateFile t;
  t.file = file;
  t.checksum = sha256_hex(text);
  t.name = read_id(f, "template", diags, *map).value_or("");
  t.description = f.string("description").value_or("");
  if (const Node* params = f.get("params")) {
    t.params = load_param_specs(*params, diags);
  }
  if (const Node* steps = f.get("steps")) {
    t.steps = load_steps(*steps, Phase::steps, diags);
  } else {
    diags.error(Location{file, 1, 1}, "the template has no `steps:`");
  }
  check_unique_ids({&t.steps}, diags);
  if (diags.error_count() != errors_before) {
    return std::nullopt;
  }
  return t;
}

}  // namespace runbook::load

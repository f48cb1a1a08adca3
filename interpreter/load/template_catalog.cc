#include "load/template_catalog.h"

#include "base/strings.h"
#include "load/runbook_loader.h"

namespace runbook::load {

TemplateCatalog::TemplateCatalog(const FileReader& files, std::vector<std::string> search_dirs)
    : files_(files), search_dirs_(std::move(search_dirs)) {}

static bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::vector<std::string> TemplateCatalog::candidates(const std::string& name,
                                                     const std::string& runbook_file,
                                                     bool from_template) const {
  std::string dir = directory_of(runbook_file);
  if (ends_with(name, ".yaml") || ends_with(name, ".yml")) {
    return {join_path(dir, name)};
  }
  std::vector<std::string> paths = {join_path(join_path(dir, "templates"), name + ".yaml")};
  if (from_template) {
    paths.push_back(join_path(dir, name + ".yaml"));  // a template using a sibling template
  }
  for (const std::string& search : search_dirs_) {
    paths.push_back(join_path(search, name + ".yaml"));
  }
  return paths;
}

std::shared_ptr<const TemplateFile> TemplateCatalog::find(const std::string& name,
                                                          const std::string& runbook_file,
                                                          const Location& used_at,
                                                          Diagnostics& diags, bool from_template) {
  std::vector<std::string> paths = candidates(name, runbook_file, from_template);
  for (const std::string& path : paths) {
    if (auto it = loaded_.find(path); it != loaded_.end()) {
      return it->second;
    }
    if (auto it = failed_.find(path); it != failed_.end()) {
      diags.merge(it->second, used_at);
      return nullptr;
    }
    if (!files_.exists(path)) {
      continue;
    }
    std::string error;
    auto text = files_.read(path, &error);
    if (!text) {
      diags.error(used_at, "cannot read template " + quoted(path) + ": " + error);
      return nullptr;
    }
    Diagnostics own;
    auto file = load_template_file(*text, path, own);
    if (!file) {
      diags.merge(own, used_at);
      failed_[path] = std::move(own);
      return nullptr;
    }
    auto shared = std::make_shared<const TemplateFile>(std::move(*file));
    loaded_[path] = shared;
    return shared;
  }
  diags.error(
      used_at, "template " + quoted(name) + " not found",
      "looked in: " + join(paths, ", ") + "; add --templates DIR or set RUNBOOK_TEMPLATE_PATH");
  return nullptr;
}

}  // namespace runbook::load

#pragma once
// Finds and loads the template files that `use:` names (DESIGN §1 "Template
// files"), each parsed once however often it is used.
//
// Resolution of `use: NAME`: NAME.yaml in a `templates/` folder next to the
// runbook, then in each search directory (--templates DIR, then
// RUNBOOK_TEMPLATE_PATH entries), then in the installed templates/. A name
// ending in `.yaml` is a path relative to the runbook.

#include "base/diagnostic.h"
#include "load/file_reader.h"
#include "model/runbook.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace runbook::load {

class TemplateCatalog {
 public:
  TemplateCatalog(const FileReader& files, std::vector<std::string> search_dirs);

  // The template `name` used from `runbook_file`, or nullptr after reporting
  // (not found — listing where it looked — or invalid, errors naming both places).
  // `from_template`: `runbook_file` is itself a template file, whose siblings
  // are found too.
  std::shared_ptr<const TemplateFile> find(const std::string& name, const std::string& runbook_file,
                                           const Location& used_at, Diagnostics& diags,
                                           bool from_template = false);

  // Every template name found in the search directories, for did-you-mean.
  const std::vector<std::string>& search_dirs() const { return search_dirs_; }

 private:
  std::vector<std::string> candidates(const std::string& name, const std::string& runbook_file,
                                      bool from_template) const;

  const FileReader& files_;
  std::vector<std::string> search_dirs_;
  std::map<std::string, std::shared_ptr<const TemplateFile>> loaded_;  // by path
  std::map<std::string, Diagnostics> failed_;                          // by path
};

}  // namespace runbook::load

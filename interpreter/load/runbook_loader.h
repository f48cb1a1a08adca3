#pragma once
// Runbook text -> model::Runbook, and template-file text -> model::TemplateFile.
//
// Parsing works from text, not files: the caller reads the file (so tests
// and the fuzzer need no disk). All problems of the file are reported in one
// pass; a runbook is returned only when there were no errors.

#include "base/diagnostic.h"
#include "model/runbook.h"

#include <optional>
#include <string>
#include <string_view>

namespace runbook::load {

std::optional<Runbook> load_runbook(std::string_view text, const std::string& file,
                                    Diagnostics& diags);

std::optional<TemplateFile> load_template_file(std::string_view text, const std::string& file,
                                               Diagnostics& diags);

}  // namespace runbook::load

#pragma once
// Errors and warnings about a runbook, with where they are and what to do.
//
// Every stage that reads author input (loader, templates, SQL analysis,
// planner) reports into a Diagnostics collector instead of stopping at the
// first problem, so that an author sees all errors of a file in one pass.

#include "base/location.h"

#include <string>
#include <vector>

namespace runbook {

enum class Severity { error, warning };

struct Diagnostic {
  Severity severity = Severity::error;
  Location where;
  std::string message;  // one line, no trailing period
  std::string hint;     // what to do about it; may be empty
  // Other places that matter, e.g. the `use:` line for an error inside a
  // template file. Shown as "note: used here" lines.
  std::vector<Location> also;
};

class Diagnostics {
 public:
  void error(Location where, std::string message, std::string hint = {});
  void warning(Location where, std::string message, std::string hint = {});
  void add(Diagnostic d);
  // Adds every diagnostic of `other`, each also pointing at `also` when it is known.
  void merge(const Diagnostics& other, const Location& also = {});

  bool has_errors() const { return error_count_ > 0; }
  std::size_t error_count() const { return error_count_; }
  const std::vector<Diagnostic>& all() const { return items_; }
  // Errors first in file order, then warnings; duplicates removed.
  std::vector<Diagnostic> sorted() const;

 private:
  std::vector<Diagnostic> items_;
  std::size_t error_count_ = 0;
};

// "file:line:col: error: message" then "  hint: ..." and "  note: ..." lines.
std::string format_diagnostic(const Diagnostic& d);

}  // namespace runbook

#include "base/diagnostic.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

namespace runbook {

void Diagnostics::error(Location where, std::string message, std::string hint) {
  add(Diagnostic{Severity::error, std::move(where), std::move(message), std::move(hint), {}});
}

void Diagnostics::warning(Location where, std::string message, std::string hint) {
  add(Diagnostic{Severity::warning, std::move(where), std::move(message), std::move(hint), {}});
}

void Diagnostics::add(Diagnostic d) {
  if (d.severity == Severity::error) {
    ++error_count_;
  }
  items_.push_back(std::move(d));
}

void Diagnostics::merge(const Diagnostics& other, const Location& also) {
  for (Diagnostic d : other.items_) {
    if (also.known()) {
      d.also.push_back(also);
    }
    add(std::move(d));
  }
}

static auto sort_key(const Diagnostic& d) {
  return std::tie(d.severity, d.where.file, d.where.line, d.where.column, d.message);
}

std::vector<Diagnostic> Diagnostics::sorted() const {
  std::vector<Diagnostic> out = items_;
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return sort_key(a) < sort_key(b);
  });
  auto same = [](const Diagnostic& a, const Diagnostic& b) {
    return sort_key(a) == sort_key(b) && a.hint == b.hint;
  };
  out.erase(std::unique(out.begin(), out.end(), same), out.end());
  return out;
}

std::string format_diagnostic(const Diagnostic& d) {
  const char* label = d.severity == Severity::error ? "error" : "warning";
  std::string out = fmt::format("{}: {}: {}", d.where.str(), label, d.message);
  if (!d.hint.empty()) {
    out += fmt::format("\n  hint: {}", d.hint);
  }
  for (const Location& also : d.also) {
    out += fmt::format("\n  note: used at {}", also.str());
  }
  return out;
}

}  // namespace runbook

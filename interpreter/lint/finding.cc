#include "lint/finding.h"

#include <tuple>

namespace runbook::lint {

std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::error:
      return "error";
    case Severity::warning:
      return "warning";
    case Severity::info:
      break;
  }
  return "info";
}

const Location& anchor(const Finding& f) {
  return f.used_at.empty() ? f.where : f.used_at.front();
}

bool comes_before(const Finding& a, const Finding& b) {
  const Location& x = anchor(a);
  const Location& y = anchor(b);
  return std::tie(x.file, x.line, x.column, a.where.file, a.where.line, a.where.column, a.rule,
                  a.message) < std::tie(y.file, y.line, y.column, b.where.file, b.where.line,
                                        b.where.column, b.rule, b.message);
}

}  // namespace runbook::lint

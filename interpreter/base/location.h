#pragma once
// A position in a source file, as shown to the author: 1-based line and column.

#include <string>

namespace runbook {

struct Location {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based; 0 when unknown

  bool known() const { return line > 0; }
  // "file:line:col", or just "file" when the position is unknown.
  std::string str() const;
};

}  // namespace runbook

#include "base/text_origin.h"

namespace runbook {

TextOrigin TextOrigin::at(const Location& start) {
  TextOrigin o;
  o.file_ = start.file;
  o.first_line_ = start.line;
  o.first_column_ = start.column;
  o.continuation_col_ = start.column;
  return o;
}

TextOrigin TextOrigin::block(const std::string& file, int first_line, int indent) {
  TextOrigin o;
  o.file_ = file;
  o.first_line_ = first_line;
  o.first_column_ = indent + 1;
  o.continuation_col_ = indent + 1;
  return o;
}

Location TextOrigin::locate(const std::string& text, std::size_t offset) const {
  if (!known()) {
    return Location{file_, 0, 0};
  }
  if (offset > text.size()) {
    offset = text.size();
  }
  int line = first_line_;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  int base = line == first_line_ ? first_column_ : continuation_col_;
  return Location{file_, line, base + static_cast<int>(offset - line_start)};
}

}  // namespace runbook

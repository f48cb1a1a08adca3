#pragma once
// Where the characters of a piece of text came from.
//
// Templates and SQL live inside YAML scalars. To report an error at the right
// file:line:col, every such text carries a TextOrigin that maps a byte offset
// in the text back to the file. The loader builds it; a block scalar maps each
// of its lines to the file line it was read from, with its indentation.

#include "base/location.h"

#include <cstddef>
#include <string>
#include <vector>

namespace runbook {

class TextOrigin {
 public:
  TextOrigin() = default;
  // All of the text starts at `start`, and each new line continues at column
  // `start.column` of the following file line (a quoted or plain scalar).
  static TextOrigin at(const Location& start);
  // Line i of the text (split on '\n') comes from file line `first_line + i`,
  // starting at column `indent + 1` (a literal block scalar).
  static TextOrigin block(const std::string& file, int first_line, int indent);

  // The file position of byte `offset` of the text.
  Location locate(const std::string& text, std::size_t offset) const;
  const std::string& file() const { return file_; }
  bool known() const { return first_line_ > 0; }

 private:
  std::string file_;
  int first_line_ = 0;
  int first_column_ = 0;      // column of the text's first character
  int continuation_col_ = 0;  // column where each following line starts
};

// Text read from a runbook together with its origin.
struct SourceText {
  std::string text;
  TextOrigin origin;

  Location locate(std::size_t offset) const { return origin.locate(text, offset); }
  Location start() const { return origin.locate(text, 0); }
  bool empty() const { return text.empty(); }
};

}  // namespace runbook

#pragma once
// Where a template value lands in the SQL around it.
//
// Values are quoted for the author, so a `{{ }}` written inside '...' or "..."
// would be quoted twice (the "values are quoted for you" error). SqlScanner
// follows the lexical state of the static SQL text of a template, fed piece by
// piece in source order, to tell where each `{{ }}` sits. It is a lexical scan,
// not a parser: it knows '...' (with '' escapes), E'...' (with backslash
// escapes), "..." (with "" escapes), -- and nested /* */ comments, and
// dollar-quoted bodies ($$...$$, $tag$...$tag$), in which everything up to the
// closing tag is code the server parses later (templates are allowed there).

#include <string>
#include <string_view>

namespace runbook::tmpl {

enum class SqlState {
  code,
  single_quoted,  // '...', E'...', U&'...'
  double_quoted,  // "..."
  line_comment,   // -- up to the end of the line
  block_comment,  // /* ... */
  dollar_quoted,  // $tag$ ... $tag$
};

struct SqlSpot {
  SqlState state = SqlState::code;
  std::string dollar_tag;  // the "$tag$" that closes the body, when dollar_quoted
};

class SqlScanner {
 public:
  // Scans `text`, which follows what was fed before.
  void feed(std::string_view text);
  // Something that is not scanned (a template value) comes next in the SQL.
  void value_written();
  SqlSpot spot() const;

 private:
  std::size_t step_code(std::string_view text, std::size_t i);
  std::size_t step_quoted(std::string_view text, std::size_t i);
  std::size_t step_comment(std::string_view text, std::size_t i);
  std::size_t open_dollar_quote(std::string_view text, std::size_t i);

  SqlState state_ = SqlState::code;
  bool escapes_ = false;      // in E'...': a backslash escapes the next character
  bool escape_next_ = false;  // the previous piece ended on such a backslash
  int comment_depth_ = 0;
  std::string dollar_tag_;
  bool after_word_ = false;      // the previous character continues a word
  bool after_e_prefix_ = false;  // the previous character is a lone E (E'...')
};

// Why writing `value` at `spot` would change the meaning of the SQL around it
// (a line break ending a -- comment, */ ending a comment, the closing $tag$ of
// a dollar-quoted body), or "" when it is safe.
std::string value_escapes_spot(std::string_view value, const SqlSpot& spot);

}  // namespace runbook::tmpl

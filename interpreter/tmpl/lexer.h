#pragma once
// The two lexical layers of the template language.
//
// split_template() cuts a template into static text and tags: `{{ expr }}`
// (output), `{% ... %}` (statement) and `{# ... #}` (comment). A `-` just
// inside a delimiter (`{{-`, `-%}`) strips the whitespace on that side, as in
// Jinja. Quotes inside a tag are honoured, so `{{ '}}' }}` is one tag.
// `{% raw %}...{% endraw %}` keeps what is between as text (for SQL holding
// `{{`, such as the array literal '{{1,2},{3,4}}'); both tags become comment
// chunks.
//
// lex_expression() turns the inside of a tag into tokens. Every token keeps
// its byte offset in the template, so that errors point at file:line:col.

#include "base/diagnostic.h"
#include "base/text_origin.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace runbook::tmpl {

// Reports errors at byte offsets of a template, once each (a loop body that
// fails on every iteration is reported once).
class ErrorSink {
 public:
  ErrorSink(const SourceText& source, Diagnostics& diags) : source_(source), diags_(diags) {}
  void error(std::size_t offset, std::string message, std::string hint = {});
  bool failed() const { return failed_; }
  const SourceText& source() const { return source_; }

 private:
  const SourceText& source_;
  Diagnostics& diags_;
  std::vector<std::pair<std::size_t, std::string>> reported_;
  bool failed_ = false;
};

enum class ChunkKind { text, output, statement, comment };

struct Chunk {
  ChunkKind kind = ChunkKind::text;
  std::size_t begin = 0;  // the whole chunk, delimiters included
  std::size_t end = 0;
  std::size_t inner_begin = 0;  // inside the delimiters and whitespace markers
  std::size_t inner_end = 0;
  bool trim_before = false;  // `{{-`: strip all whitespace before the tag
  bool trim_after = false;   // `-}}`: strip all whitespace after the tag
  bool keep_before = false;  // `{%+`: keep the indentation before a statement
  bool keep_after = false;   // `+%}`: keep the line break after a statement
};

// Splits `text` into chunks. An unclosed tag is reported and ends the split.
std::vector<Chunk> split_template(std::string_view text, ErrorSink& errors);

// True when `text` holds any `{{`, `{%` or `{#`.
bool has_tag(std::string_view text);

enum class Tok {
  end,
  name,
  integer,
  decimal,
  string,
  unterminated_string,
  invalid,  // a character the language does not use
  lparen,
  rparen,
  lbracket,
  rbracket,
  comma,
  dot,
  pipe,
  tilde,
  plus,
  minus,
  star,
  slash,
  percent,
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  assign,  // a lone `=`, always an error, reported with a hint
};

struct Token {
  Tok kind = Tok::end;
  std::size_t offset = 0;  // in the template
  std::string_view text;   // as written (quotes included for strings)
};

// Tokens of text[begin, end), ending with a Tok::end token at `end`.
std::vector<Token> lex_expression(std::string_view text, std::size_t begin, std::size_t end);

}  // namespace runbook::tmpl

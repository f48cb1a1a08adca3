#pragma once
// Renders a parsed template: static text as is, each `{{ }}` quoted for its
// context, `if` and `for` blocks.
//
// In SQL context a value is written by its type (sql_quote.h) and checked
// against where it lands (sql_context.h); a space is put between a value and
// the text before it where they would otherwise read as one token (`-` then
// `-1` would start a comment). The output is bounded by kMaxOutputBytes.
//
// A block whose condition or list is deferred cannot be rendered now: the
// renderer stops and reports control_deferred(), and the caller keeps the
// template's source to render at run time.

#include "tmpl/ast.h"
#include "tmpl/evaluator.h"
#include "tmpl/template.h"

namespace runbook::tmpl {

class Renderer {
 public:
  Renderer(const SourceText& source, Evaluator& evaluator) : source_(source), ev_(evaluator) {}

  // Renders `body` into `out`. Errors go to the evaluator's ErrorSink.
  void render(const Body& body, Rendered& out);
  bool control_deferred() const { return control_deferred_; }

 private:
  void node(const Node& n);
  void text(const TextNode& t);
  void output(const OutputNode& o);
  void if_block(const IfNode& n);
  void for_block(const ForNode& n);
  void loop(const ForNode& n, const Item& list);
  std::optional<std::string> sql_text(const OutputNode& o, const Item& item);
  // `literal`: `piece` is the template's own text starting at `offset`.
  bool append(std::string_view piece, std::size_t offset, bool literal);
  void note_secrets(const Item& item, const std::string& written);
  void defer_control();

  const SourceText& source_;
  Evaluator& ev_;
  Rendered* out_ = nullptr;
  bool control_deferred_ = false;
};

}  // namespace runbook::tmpl

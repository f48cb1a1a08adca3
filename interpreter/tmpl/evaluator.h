#pragma once
// Evaluates expressions against a Scope and the loop variables in effect.
//
// Names resolve to loop variables first (innermost loop first, then `loop`
// for the innermost loop's index/first/last), then to the scope's roots. A
// name under a deferred root evaluates to a Deferred value, and so does any
// operation on one (except `and`/`or` that never reach it). An undefined name
// or a missing attribute is reported at the position of that name, with a
// "did you mean" hint from the names that exist at that level.
//
// Work is counted (kMaxWork) so that no expression or loop can run unbounded.

#include "tmpl/ast.h"
#include "tmpl/lexer.h"
#include "tmpl/operations.h"
#include "tmpl/template.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace runbook::tmpl {

class Evaluator {
 public:
  Evaluator(const SourceText& source, const Scope& scope, Context context, ErrorSink& errors);

  // The value of `e`; nullopt after an error (reported) or once stopped().
  std::optional<Item> eval(const Expr& e);

  // Loop variables: push_loop() when a loop starts, next_item() for each
  // element, pop_loop() when it ends.
  void push_loop(std::string_view variable, std::size_t length);
  void next_item(Item item, std::size_t index);
  void pop_loop();

  // Counts `units` of work at `offset`; false (and stopped) past kMaxWork.
  bool charge(std::size_t units, std::size_t offset);
  // Stops all evaluation after an error that makes going on pointless.
  void stop() { stopped_ = true; }
  bool stopped() const { return stopped_; }

  ErrorSink& errors() { return errors_; }
  Context context() const { return context_; }
  // The expression as written, trimmed (for placeholders and messages).
  std::string_view text_of(const Expr& e) const;

 private:
  struct LoopFrame {
    std::string_view variable;
    Item item;
    std::size_t index = 0;
    std::size_t length = 0;
  };

  std::optional<Item> resolve(const Expr& e, bool lenient, bool* missing);
  std::optional<Item> name(const Expr& e, bool lenient, bool* missing);
  std::optional<Item> attribute(const Expr& e, bool lenient, bool* missing);
  std::optional<Item> index(const Expr& e, bool lenient, bool* missing);
  std::optional<Item> list_index(const Expr& e, const Item& list, const Item& key, bool lenient,
                                 bool* missing);
  std::optional<Item> map_entry(const Expr& e, std::size_t at, const Item& map,
                                const std::string& key, bool lenient, bool* missing);
  std::optional<Item> deferred_entry(const Expr& e, std::size_t at, Item object,
                                     const std::string& key, bool lenient, bool* missing);
  std::optional<Item> operand(const Expr& e, bool lenient, bool* missing);
  std::optional<Item> logical(const Expr& e);
  std::optional<Item> binary(const Expr& e);
  std::optional<Item> unary(const Expr& e);
  std::optional<Item> list(const Expr& e);
  std::optional<Item> filter(const Expr& e);
  std::optional<Item> default_filter(const Expr& e);
  std::optional<Item> fail(std::size_t offset, std::string message, std::string hint = {});
  Item loop_info() const;
  std::vector<std::string> visible_names() const;

  const SourceText& source_;
  const Scope& scope_;
  Context context_;
  ErrorSink& errors_;
  std::vector<LoopFrame> loops_;
  std::size_t work_ = 0;
  bool stopped_ = false;
};

}  // namespace runbook::tmpl

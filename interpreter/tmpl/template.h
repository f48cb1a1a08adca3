#pragma once
// The template language of runbooks (DESIGN §1 "Templates"): Jinja-like
// `{{ expr }}`, `{{ expr | filter }}`, `{% if %}/{% elif %}/{% else %}/{% endif %}`,
// `{% for x in list %}/{% else %}/{% endfor %}`, `{# comment #}`.
//
// Rendering is pure: it needs no database. In SQL context every value is
// quoted by its SqlType with libpq's escaping rules (sql_quote.h); in text
// context values render as plain text (Value::to_text). Undefined names are
// errors at file:line:col.
//
// Expressions: names and dotted paths (`params.schema`), indexing (`x[0]`,
// `x['key']`, `x[-1]`), literals ('text', "text", 42, 1.5, true, false, none,
// null, [a, b]), `== != < <= > >=`, `in`, `not in`, `and`, `or`, `not`,
// `~` (text concatenation), `+ - * / %` on numbers, parentheses and filters
// (filters.h). Inside a loop, `loop.index` (from 1), `loop.index0`,
// `loop.first`, `loop.last`, `loop.length`, `loop.revindex` are defined.
//
// `a ~ b` keeps the type that matters for quoting: a text literal written in
// the template takes the type of the other side ('idx_' ~ params.table is an
// identifier), otherwise the more name-like type wins (qualified_name, then
// identifier, then string).
//
// Whitespace follows Jinja with trim_blocks and lstrip_blocks: a line that
// holds only `{% %}`/`{# #}` tags leaves nothing behind; `{%-` and `-%}` (also
// on `{{ }}` and `{# #}`) strip the whitespace on their side.
//
// Bounds: blocks nest at most 64 deep, expressions 128; the output and every
// string built are at most 16 MiB; a render does at most 250,000 steps
// of work. Past a bound the render fails with an error, never a crash.
// No function here throws: errors go to Diagnostics.

#include "base/diagnostic.h"
#include "base/text_origin.h"
#include "model/value.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace runbook::tmpl {

enum class Context { sql, text };

// The names a template can see: root name -> value (a map value for
// `params`, `captures`, `run`, `env`; any value for `item` or a loop variable).
class Scope {
 public:
  void set(std::string root, Value v);
  const Value* find(std::string_view root) const;
  // Declares that names under `root` exist but are known only at run time
  // (e.g. "captures" while planning): they render as placeholders. When
  // `keys` is given, only those names may follow `root.` (the captures of
  // earlier steps), so a misspelt one is an error now, not at run time.
  void defer(std::string root, std::optional<std::vector<std::string>> keys = std::nullopt);
  bool is_deferred(std::string_view root) const;
  // The names that may follow `root.` for a root deferred with keys, or nullptr.
  const std::vector<std::string>* deferred_keys(std::string_view root) const;
  // Every root name, set or deferred (for "did you mean" hints).
  std::vector<std::string> names() const;
  // Makes `root` known again (at run time, once captures are set).
  void undefer(std::string_view root);

 private:
  struct DeferredRoot {
    std::string name;
    std::optional<std::vector<std::string>> keys;
  };
  const DeferredRoot* find_deferred(std::string_view root) const;

  ValueMap roots_;
  std::vector<DeferredRoot> deferred_;
};

// Where each byte of rendered text came from in its template: static text
// byte for byte, a `{{ }}` value from its `{{`. Lets an error found in the
// output (a SQL syntax error, say) be shown where the author wrote it.
struct RenderMap {
  struct Span {
    std::size_t out = 0;     // first byte of the piece in the output
    std::size_t source = 0;  // where the piece came from in the template
    bool literal = false;    // static text: the bytes correspond one to one
  };
  std::vector<Span> spans;  // ascending by `out`; none: output and template are the same text

  // The template byte that output byte `offset` came from.
  std::size_t source_offset(std::size_t offset) const;
};

struct Rendered {
  std::string text;
  RenderMap map;
  // True when some output depended on a deferred value: `text` then shows
  // placeholders like `<captures.baseline.value>` (the expression as written)
  // and must be rendered again at run time. When an `if` or a `for` depends on
  // a deferred value, `text` is the template's source, unrendered.
  bool deferred = false;
  // True when a value with the `sql` type, or `| raw`, was written as is (SQL).
  bool used_raw_sql = false;
  // Secret values that were output (so that reports can mask them): each
  // secret's text and the text it was written as (e.g. 'it''s').
  std::vector<std::string> secrets;
};

// True when `text` holds any `{{`, `{%` or `{#` (so that rendering can be skipped).
bool has_template(std::string_view text);

// Renders `source` in `context`. On error reports into `diags` (at the file
// position of the offending expression; every error found, not just the
// first) and returns nullopt.
std::optional<Rendered> render(const SourceText& source, const Scope& scope, Context context,
                               Diagnostics& diags);

// Evaluates a bare expression (no braces), as used by `when:`, `foreach:`
// and `with:` values. A result that depends on a deferred value is a Value
// holding Deferred whose path is the expression as written. The result is
// data, not SQL: filters work as in text context (`join` is a plain join).
std::optional<Value> evaluate(const SourceText& expression, const Scope& scope, Diagnostics& diags);

// Parses without rendering, to report syntax errors (unbalanced tags, bad
// expressions, unknown filters or wrong argument counts, `{{ }}` inside a
// quoted SQL string) early. True when there is none.
bool check_syntax(const SourceText& source, Context context, Diagnostics& diags);

// Truthiness as Jinja defines it: false, 0, "", empty list/map and null are
// false. (A Deferred value is true: check is_deferred() first.)
bool is_truthy(const Value& v);

}  // namespace runbook::tmpl

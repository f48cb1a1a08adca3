#pragma once
// The template language of runbooks (DESIGN §1 "Templates"): Jinja-like
// `{{ expr }}`, `{{ expr | filter }}`, `{% if %}/{% elif %}/{% else %}/{% endif %}`,
// `{% for x in list %}/{% endfor %}`, `{# comment #}`.
//
// Rendering is pure: it needs no database. In SQL context every value is
// quoted by its SqlType with libpq's escaping rules; in text context values
// render as plain text. Undefined names are errors at file:line:col.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.h"
#include "base/text_origin.h"
#include "model/value.h"

namespace runbook::tmpl {

enum class Context { sql, text };

// The names a template can see: root name -> value (a map value for
// `params`, `captures`, `run`, `env`; any value for `item` or a loop variable).
class Scope {
 public:
  void set(std::string root, Value v);
  const Value* find(std::string_view root) const;
  // Declares that names under `root` exist but are known only at run time
  // (e.g. "captures" while planning): they render as placeholders.
  void defer(std::string root);
  bool is_deferred(std::string_view root) const;

 private:
  ValueMap roots_;
  std::vector<std::string> deferred_;
};

struct Rendered {
  std::string text;
  // True when some output depended on a deferred value: `text` then shows
  // placeholders like `<captures.baseline.value>` and must be rendered again
  // at run time.
  bool deferred = false;
  // True when a value with the `sql` type (written as is) was output.
  bool used_raw_sql = false;
  // Secret values that were output (so that reports can mask them).
  std::vector<std::string> secrets;
};

// True when `text` holds any `{{`, `{%` or `{#` (so that rendering can be skipped).
bool has_template(std::string_view text);

// Renders `source` in `context`. On error reports into `diags` (at the file
// position of the offending expression) and returns nullopt.
std::optional<Rendered> render(const SourceText& source, const Scope& scope, Context context,
                               Diagnostics& diags);

// Evaluates a bare expression (no braces), as used by `when:`, `foreach:`
// and `with:` values. A result that depends on a deferred value is a Value
// holding Deferred.
std::optional<Value> evaluate(const SourceText& expression, const Scope& scope,
                              Diagnostics& diags);

// Parses without rendering, to report syntax errors (unbalanced tags, bad
// expressions, unknown filters, `{{ }}` inside a quoted SQL string) early.
bool check_syntax(const SourceText& source, Context context, Diagnostics& diags);

// Truthiness as Jinja defines it: false, 0, "", empty list/map and null are false.
bool is_truthy(const Value& v);

}  // namespace runbook::tmpl

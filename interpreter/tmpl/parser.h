#pragma once
// Parses a template into its tree of text, outputs, `if` and `for` blocks.
//
// Whitespace follows Jinja with trim_blocks and lstrip_blocks on (the
// setting Ansible users know): a line holding only `{% %}` or `{# #}` tags
// leaves nothing in the output, not even its line break. `{%-`/`-%}` strip
// all whitespace on that side; `{%+`/`+%}` keep it.
//
// Errors are reported as they are found, and parsing goes on where it can
// (after a bad expression, an unknown tag, an `endif` without `if`...), so an
// author sees all of them at once. In SQL context the static text is scanned
// (sql_context.h) and a `{{ }}` inside a quoted string or identifier is an
// error, unless its last filter is `raw`.

#include "base/text_origin.h"
#include "tmpl/ast.h"
#include "tmpl/lexer.h"
#include "tmpl/template.h"

#include <optional>

namespace runbook::tmpl {

// The tree of `source`; nullopt when any error was reported into `errors`.
std::optional<Template> parse_template(const SourceText& source, Context context,
                                       ErrorSink& errors);

// A bare expression (no braces) filling all of `source`; nullptr after an error.
ExprPtr parse_bare_expression(const SourceText& source, ErrorSink& errors);

}  // namespace runbook::tmpl

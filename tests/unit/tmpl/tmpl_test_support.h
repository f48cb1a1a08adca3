#pragma once
// Shared fixtures for the template engine's tests: a scope with hostile and
// typed values, and one-line helpers that render or evaluate and return
// either the text or the first error.

#include "tmpl/template.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace runbook::tmpl::testing {

inline Value typed(Value v, SqlType t) {
  return v.with_sql_type(t);
}

inline Value typed_list(std::initializer_list<const char*> items, SqlType element_type) {
  ValueList l;
  for (const char* s : items) {
    l.push_back(typed(Value(s), element_type));
  }
  return Value(std::move(l));
}

// params of every type, hostile values included; `item`, `run`; `captures` deferred.
inline Scope sample_scope() {
  Value params{ValueMap{}};
  params.set("schema", typed("public", SqlType::identifier));
  params.set("table", typed("Recipe", SqlType::identifier));
  params.set("weird", typed("we\"ird name", SqlType::identifier));
  params.set("name", typed("it's", SqlType::string));
  params.set("path", typed("C:\\dir", SqlType::string));
  params.set("evil", typed("x'; DROP TABLE users; --", SqlType::string));
  params.set("qname", typed("public.Recipe", SqlType::qualified_name));
  params.set("batch", typed(5000, SqlType::integer));
  params.set("ratio", typed(0.5, SqlType::number));
  params.set("archive", typed(true, SqlType::boolean));
  params.set("frag", typed("now()", SqlType::sql));
  params.set("tables", typed_list({"Company", "ProductionPlan"}, SqlType::identifier));
  params.set("labels", typed_list({"a", "b'c"}, SqlType::string));
  params.set("token", typed("s3cr3t", SqlType::string).with_secret(true));
  params.set("mixed", Value(ValueList{Value(1), Value("two"), Value(true), Value()}));
  params.set("empty", Value(ValueList{}));
  params.set("nothing", Value());
  Scope scope;
  scope.set("params", params);
  Value item{ValueMap{}};
  item.set("name", "orders");
  item.set("rows", 10);
  scope.set("item", item);
  Value run{ValueMap{}};
  run.set("id", "r-1");
  scope.set("run", run);
  scope.defer("captures");
  return scope;
}

inline SourceText block(std::string text) {
  return SourceText{std::move(text), TextOrigin::block("f.yaml", 10, 6)};
}

// The rendered text, or "error: MESSAGE" for the first error.
inline std::string render_as(const std::string& text, Context context,
                             const Scope& scope = sample_scope()) {
  Diagnostics diags;
  auto r = render(block(text), scope, context, diags);
  if (!r) {
    return diags.all().empty() ? "error: (none reported)" : "error: " + diags.all()[0].message;
  }
  return diags.has_errors() ? "error: reported but rendered" : r->text;
}

inline std::string sql(const std::string& text, const Scope& scope = sample_scope()) {
  return render_as(text, Context::sql, scope);
}

inline std::string text(const std::string& text, const Scope& scope = sample_scope()) {
  return render_as(text, Context::text, scope);
}

// The errors of rendering `text` (in `context`), each as "line:col message".
inline std::vector<std::string> errors_of(const std::string& text, Context context = Context::sql,
                                          const Scope& scope = sample_scope()) {
  Diagnostics diags;
  auto r = render(block(text), scope, context, diags);
  std::vector<std::string> out;
  for (const Diagnostic& d : diags.all()) {
    out.push_back(std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + " " +
                  d.message);
  }
  if (r && out.empty()) {
    out.push_back("rendered: " + r->text);
  }
  return out;
}

// The value of a bare expression as text, "deferred: PATH" or "error: MESSAGE".
inline std::string eval_as(const std::string& expression, const Scope& scope = sample_scope()) {
  Diagnostics diags;
  auto v = evaluate(SourceText{expression, TextOrigin::at(Location{"f.yaml", 3, 9})}, scope, diags);
  if (!v) {
    return diags.all().empty() ? "error: (none reported)" : "error: " + diags.all()[0].message;
  }
  if (v->is_deferred()) {
    return "deferred: " + v->as_deferred().path;
  }
  return v->kind_name() + " " + v->to_text();
}

}  // namespace runbook::tmpl::testing

// Lists of errors print one per line when a check fails.
namespace doctest {
template <>
struct StringMaker<std::vector<std::string>> {
  static String convert(const std::vector<std::string>& errors) {
    std::string out = "{";
    for (const std::string& e : errors) {
      out += "\n  " + e;
    }
    return (out + "}").c_str();
  }
};
}  // namespace doctest

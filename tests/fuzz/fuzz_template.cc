// libFuzzer target for the template engine: any input, rendered in both
// contexts, evaluated as a bare expression and syntax-checked, must end
// without a crash, a leak, a hang or unbounded memory.

#include "tmpl/template.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace {

using runbook::SqlType;
using runbook::Value;
using runbook::ValueList;
using runbook::ValueMap;

Value typed(Value v, SqlType t) {
  return v.with_sql_type(t);
}

runbook::tmpl::Scope make_scope() {
  Value params{ValueMap{}};
  params.set("schema", typed("public", SqlType::identifier));
  params.set("table", typed("we\"ird name", SqlType::identifier));
  params.set("qname", typed("public.Recipe", SqlType::qualified_name));
  params.set("name", typed("it's \\ $$ */ \n --", SqlType::string));
  params.set("batch", typed(5000, SqlType::integer));
  params.set("ratio", typed(0.5, SqlType::number));
  params.set("flag", typed(true, SqlType::boolean));
  params.set("frag", typed("now()", SqlType::sql));
  params.set("tables", Value(ValueList{typed("Company", SqlType::identifier),
                                       typed("ProductionPlan", SqlType::identifier)}));
  params.set("token", typed("s3cr3t", SqlType::string).with_secret(true));
  params.set("mixed", Value(ValueList{Value(1), Value("two"), Value(), Value(2.5)}));
  params.set("nothing", Value());
  runbook::tmpl::Scope scope;
  scope.set("params", params);
  Value item{ValueMap{}};
  item.set("name", "orders");
  item.set("rows", Value(ValueList{Value(1), Value(2), Value(3)}));
  scope.set("item", item);
  scope.defer("captures");
  return scope;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const runbook::tmpl::Scope scope = make_scope();
  runbook::SourceText source{std::string(reinterpret_cast<const char*>(data), size),
                             runbook::TextOrigin::block("fuzz.yaml", 1, 4)};
  runbook::Diagnostics diags;
  runbook::tmpl::render(source, scope, runbook::tmpl::Context::sql, diags);
  runbook::tmpl::render(source, scope, runbook::tmpl::Context::text, diags);
  runbook::tmpl::evaluate(source, scope, diags);
  runbook::tmpl::check_syntax(source, runbook::tmpl::Context::sql, diags);
  runbook::tmpl::has_template(source.text);
  for (const runbook::Diagnostic& d : diags.all()) {
    (void)runbook::format_diagnostic(d);
  }
  return 0;
}

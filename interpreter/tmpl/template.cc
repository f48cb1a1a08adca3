#include "tmpl/template.h"

#include "base/strings.h"
#include "tmpl/evaluator.h"
#include "tmpl/lexer.h"
#include "tmpl/parser.h"
#include "tmpl/renderer.h"

#include <algorithm>

namespace runbook::tmpl {

void Scope::set(std::string root, Value v) {
  for (auto& [name, value] : roots_) {
    if (name == root) {
      value = std::move(v);
      return;
    }
  }
  roots_.emplace_back(std::move(root), std::move(v));
}

const Value* Scope::find(std::string_view root) const {
  for (const auto& [name, value] : roots_) {
    if (name == root) {
      return &value;
    }
  }
  return nullptr;
}

void Scope::defer(std::string root, std::optional<std::vector<std::string>> keys) {
  undefer(root);
  deferred_.push_back({std::move(root), std::move(keys)});
}

const Scope::DeferredRoot* Scope::find_deferred(std::string_view root) const {
  auto it = std::find_if(deferred_.begin(), deferred_.end(),
                         [&](const DeferredRoot& d) { return d.name == root; });
  return it == deferred_.end() ? nullptr : &*it;
}

bool Scope::is_deferred(std::string_view root) const {
  return find_deferred(root) != nullptr;
}

const std::vector<std::string>* Scope::deferred_keys(std::string_view root) const {
  const DeferredRoot* d = find_deferred(root);
  return d && d->keys ? &*d->keys : nullptr;
}

void Scope::undefer(std::string_view root) {
  std::erase_if(deferred_, [&](const DeferredRoot& d) { return d.name == root; });
}

std::vector<std::string> Scope::names() const {
  std::vector<std::string> out;
  for (const auto& entry : roots_) {
    out.push_back(entry.first);
  }
  for (const DeferredRoot& d : deferred_) {
    if (find(d.name) == nullptr) {
      out.push_back(d.name);
    }
  }
  return out;
}

std::size_t RenderMap::source_offset(std::size_t offset) const {
  auto after = std::upper_bound(spans.begin(), spans.end(), offset,
                                [](std::size_t o, const Span& s) { return o < s.out; });
  if (after == spans.begin()) {
    return offset;
  }
  const Span& span = *(after - 1);
  return span.literal ? span.source + (offset - span.out) : span.source;
}

bool has_template(std::string_view text) {
  return has_tag(text);
}

std::optional<Rendered> render(const SourceText& source, const Scope& scope, Context context,
                               Diagnostics& diags) {
  if (!has_tag(source.text)) {
    Rendered plain;
    plain.text = source.text;
    return plain;
  }
  ErrorSink errors(source, diags);
  std::optional<Template> parsed = parse_template(source, context, errors);
  if (!parsed) {
    return std::nullopt;
  }
  Evaluator evaluator(source, scope, context, errors);
  Renderer renderer(source, evaluator);
  Rendered out;
  out.text.reserve(source.text.size() + source.text.size() / 2);
  renderer.render(parsed->body, out);
  if (errors.failed()) {
    return std::nullopt;
  }
  if (renderer.control_deferred()) {
    Rendered later;
    later.text = source.text;
    later.deferred = true;
    return later;
  }
  return out;
}

std::optional<Value> evaluate(const SourceText& expression, const Scope& scope,
                              Diagnostics& diags) {
  ErrorSink errors(expression, diags);
  ExprPtr e = parse_bare_expression(expression, errors);
  if (!e) {
    return std::nullopt;
  }
  // A bare expression yields data, not SQL: join and raw work as in text.
  Evaluator evaluator(expression, scope, Context::text, errors);
  std::optional<Item> item = evaluator.eval(*e);
  if (!item || errors.failed()) {
    return std::nullopt;
  }
  if (item->deferred()) {
    return Value(Deferred{std::string(trim(expression.text))});
  }
  bool secret = item->secret;
  Value v = std::move(*item).take();
  if (secret) {
    v.with_secret(true);
  }
  return v;
}

bool check_syntax(const SourceText& source, Context context, Diagnostics& diags) {
  if (!has_tag(source.text)) {
    return true;
  }
  ErrorSink errors(source, diags);
  return parse_template(source, context, errors).has_value();
}

}  // namespace runbook::tmpl

#include "tmpl/renderer.h"

#include "tmpl/limits.h"
#include "tmpl/sql_quote.h"

#include <algorithm>

namespace runbook::tmpl {

namespace {

bool is_word_char(char c) {
  auto u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$' || u >= 0x80;
}

// Whether a quoted value written right after `before` would merge with it into
// another token: `-` `-1` (a comment), `'a'` `'b'` (one literal 'a''b'),
// `x` `E'..'` (libpq writes " E'" for this reason), `/` `*`.
bool needs_space(std::string_view before, std::string_view value) {
  if (before.empty() || value.empty()) {
    return false;
  }
  char b = before.back(), v = value.front();
  if ((b == '-' && v == '-') || (b == '/' && v == '*')) {
    return true;
  }
  if ((b == '\'' || b == '"') && v == b) {
    return true;
  }
  return is_word_char(b) && v == 'E' && value.size() > 1 && value[1] == '\'';
}

void add_secret(std::vector<std::string>& secrets, std::string text) {
  if (!text.empty() && std::find(secrets.begin(), secrets.end(), text) == secrets.end()) {
    secrets.push_back(std::move(text));
  }
}

// The text of every secret scalar in `v` (all of them under a secret container).
void collect_secrets(const Value& v, bool secret, std::vector<std::string>& out, int depth) {
  secret = secret || v.secret();
  if (v.is_list() && depth < kMaxValueDepth) {
    for (const Value& e : v.as_list()) {
      collect_secrets(e, secret, out, depth + 1);
    }
  } else if (v.is_map() && depth < kMaxValueDepth) {
    for (const auto& entry : v.as_map()) {
      collect_secrets(entry.second, secret, out, depth + 1);
    }
  } else if (secret) {
    add_secret(out, v.to_text());
  }
}

}  // namespace

void Renderer::render(const Body& body, Rendered& out) {
  out_ = &out;
  for (const Node& n : body) {
    if (ev_.stopped()) {
      return;
    }
    node(n);
  }
}

void Renderer::node(const Node& n) {
  if (const auto* t = std::get_if<TextNode>(&n.v)) {
    text(*t);
  } else if (const auto* o = std::get_if<OutputNode>(&n.v)) {
    output(*o);
  } else if (const auto* i = std::get_if<IfNode>(&n.v)) {
    if_block(*i);
  } else {
    for_block(std::get<ForNode>(n.v));
  }
}

void Renderer::text(const TextNode& t) {
  append(std::string_view(source_.text).substr(t.begin, t.end - t.begin), t.begin, true);
}

bool Renderer::append(std::string_view piece, std::size_t offset, bool literal) {
  if (ev_.stopped()) {
    return false;
  }
  if (out_->text.size() + piece.size() > kMaxOutputBytes) {
    ev_.errors().error(offset, "the rendered text is larger than 16 MiB",
                       "a loop probably repeats more than intended");
    ev_.stop();
    return false;
  }
  if (!piece.empty()) {
    out_->map.spans.push_back({out_->text.size(), offset, literal});
  }
  out_->text.append(piece);
  return ev_.charge(piece.size() / 128, offset);
}

void Renderer::output(const OutputNode& o) {
  std::optional<Item> item = ev_.eval(*o.expr);
  if (!item) {
    return;
  }
  std::string written;
  if (item->deferred()) {
    written = "<" + std::string(ev_.text_of(*o.expr)) + ">";
    out_->deferred = true;
  } else if (ev_.context() == Context::sql) {
    auto sql = sql_text(o, *item);
    if (!sql) {
      return;
    }
    written = std::move(*sql);
  } else {
    written = item->get().to_text();
    if (written.find('\0') != std::string::npos) {
      ev_.errors().error(o.offset, "the value holds a NUL byte");
      return;
    }
  }
  if (append(written, o.offset, false)) {
    note_secrets(*item, written);
  }
}

// The value as SQL, checked against where it lands.
std::optional<std::string> Renderer::sql_text(const OutputNode& o, const Item& item) {
  std::string error;
  std::optional<std::string> sql = quote_value(item.get(), &error);
  if (!sql) {
    ev_.errors().error(o.expr->begin, "cannot write \"" + std::string(ev_.text_of(*o.expr)) +
                                          "\" into SQL: " + error);
    return std::nullopt;
  }
  std::string problem = value_escapes_spot(*sql, o.spot);
  if (!problem.empty()) {
    ev_.errors().error(o.offset, problem, "move the {{ }} out of the comment or body");
    return std::nullopt;
  }
  if (item.uses_raw()) {
    out_->used_raw_sql = true;
  } else if (needs_space(out_->text, *sql)) {
    sql->insert(sql->begin(), ' ');
  }
  return sql;
}

void Renderer::note_secrets(const Item& item, const std::string& written) {
  if (!item.tainted()) {
    return;
  }
  collect_secrets(item.get(), item.secret, out_->secrets, 0);
  add_secret(out_->secrets, written);
}

void Renderer::defer_control() {
  control_deferred_ = true;
  ev_.stop();
}

void Renderer::if_block(const IfNode& n) {
  for (const IfBranch& branch : n.branches) {
    std::optional<Item> condition = ev_.eval(*branch.condition);
    if (!condition) {
      return;
    }
    if (condition->deferred()) {
      defer_control();
      return;
    }
    if (is_truthy(condition->get())) {
      render(branch.body, *out_);
      return;
    }
  }
  render(n.else_body, *out_);
}

void Renderer::for_block(const ForNode& n) {
  std::optional<Item> list = ev_.eval(*n.list);
  if (!list) {
    return;
  }
  if (list->deferred()) {
    defer_control();
    return;
  }
  const Value& v = list->get();
  if (!v.is_list()) {
    std::string hint = v.is_map() ? "loop over a list; a mapping's values are reached by name"
                                  : "loop over a list, e.g. params.tables";
    ev_.errors().error(n.list->begin, "cannot loop over " + kind_with_article(v), hint);
    return;
  }
  if (v.as_list().empty()) {
    render(n.else_body, *out_);
    return;
  }
  if (list->borrowed()) {
    loop(n, *list);
    return;
  }
  // Keep an owned list in one place for the whole loop, so that the loop
  // variable can borrow its elements.
  Value storage = std::move(*list).take();
  Item borrowed = Item::borrow(storage);
  borrowed.raw = list->raw;
  borrowed.secret = list->secret;
  borrowed.built = list->built;
  loop(n, borrowed);
}

void Renderer::loop(const ForNode& n, const Item& list) {
  std::size_t length = list.get().as_list().size();
  ev_.push_loop(n.variable, length);
  for (std::size_t i = 0; i < length && ev_.charge(1, n.offset); ++i) {
    ev_.next_item(element_of(list, i), i);
    render(n.body, *out_);
  }
  ev_.pop_loop();
}

}  // namespace runbook::tmpl

#include "tmpl/parser.h"

#include "base/edit_distance.h"
#include "tmpl/expr_parser.h"
#include "tmpl/limits.h"

#include <algorithm>

namespace runbook::tmpl {

namespace {

const std::vector<std::string> kTagNames = {"if",  "elif",   "else", "endif",
                                            "for", "endfor", "raw",  "endraw"};

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool is_block(const Chunk& c) {
  return c.kind == ChunkKind::statement || c.kind == ChunkKind::comment;
}

// A block being parsed: an `if` or a `for` whose end tag is still to come.
struct OpenBlock {
  std::variant<IfNode, ForNode> node;
  bool in_else = false;

  bool is_if() const { return std::holds_alternative<IfNode>(node); }
  std::size_t offset() const {
    return is_if() ? std::get<IfNode>(node).offset : std::get<ForNode>(node).offset;
  }
  Body& body() {
    if (auto* n = std::get_if<IfNode>(&node)) {
      return in_else ? n->else_body : n->branches.back().body;
    }
    auto& f = std::get<ForNode>(node);
    return in_else ? f.else_body : f.body;
  }
};

class TemplateParser {
 public:
  TemplateParser(const SourceText& source, Context context, ErrorSink& errors)
      : text_(source.text), context_(context), errors_(errors) {}

  Template parse();

 private:
  void text(std::size_t i);
  void output(const Chunk& c);
  void statement(const Chunk& c);
  void open_if(ExprParser& p, const Chunk& c);
  void open_for(ExprParser& p, const Chunk& c);
  void elif (ExprParser& p, const Chunk& c);
  void else_(const Chunk& c);
  void end(bool of_if, const Chunk& c);
  void close_top();
  void check_quotes(const Chunk& c, const Expr* e);
  bool no_more_words(ExprParser& p, std::string_view tag);
  Body& body() { return open_.empty() ? result_.body : open_.back().body(); }
  // Constructs the node in place: moving a freshly built variant trips GCC 12's
  // -Wmaybe-uninitialized.
  template <class T>
  void add(T node) {
    body().emplace_back().v.template emplace<T>(std::move(node));
  }

  const std::string& text_;
  Context context_;
  ErrorSink& errors_;
  std::vector<Chunk> chunks_;
  std::vector<OpenBlock> open_;
  Template result_;
  SqlScanner sql_;
  bool stopped_ = false;
};

Template TemplateParser::parse() {
  chunks_ = split_template(text_, errors_);
  result_.body.reserve(chunks_.size());
  for (std::size_t i = 0; i < chunks_.size() && !stopped_; ++i) {
    const Chunk& c = chunks_[i];
    switch (c.kind) {
      case ChunkKind::text:
        text(i);
        break;
      case ChunkKind::output:
        output(c);
        break;
      case ChunkKind::statement:
        statement(c);
        break;
      case ChunkKind::comment:
        break;
    }
  }
  while (!open_.empty() && !stopped_) {
    const OpenBlock& b = open_.back();
    errors_.error(b.offset(), std::string("{% ") + (b.is_if() ? "if" : "for") + " %} is not closed",
                  std::string("close it with {% ") + (b.is_if() ? "endif" : "endfor") + " %}");
    close_top();
  }
  return std::move(result_);
}

// Static text, with whitespace control applied from the tags around it.
void TemplateParser::text(std::size_t i) {
  const Chunk& c = chunks_[i];
  if (context_ == Context::sql) {
    sql_.feed(std::string_view(text_).substr(c.begin, c.end - c.begin));
  }
  std::size_t b = c.begin, e = c.end;
  if (i > 0 && chunks_[i - 1].trim_after) {
    while (b < e && is_space(text_[b])) {
      ++b;
    }
  } else if (i > 0 && is_block(chunks_[i - 1]) && !chunks_[i - 1].keep_after) {
    b += text_.compare(b, 2, "\r\n") == 0 ? 2 : text_[b] == '\n' ? 1 : 0;
  }
  if (i + 1 < chunks_.size() && chunks_[i + 1].trim_before) {
    while (e > b && is_space(text_[e - 1])) {
      --e;
    }
  } else if (i + 1 < chunks_.size() && is_block(chunks_[i + 1]) && !chunks_[i + 1].keep_before) {
    std::size_t line = e;
    while (line > c.begin && (text_[line - 1] == ' ' || text_[line - 1] == '\t')) {
      --line;
    }
    if (line == 0 || text_[line - 1] == '\n') {
      e = std::max(b, line);  // only indentation before a tag that starts its line
    }
  }
  if (b < e) {
    add(TextNode{b, e});
  }
}

void TemplateParser::output(const Chunk& c) {
  std::vector<Token> tokens = lex_expression(text_, c.inner_begin, c.inner_end);
  ExprPtr e;
  if (tokens.size() == 1) {
    errors_.error(c.begin, "empty {{ }}", "write an expression inside, e.g. {{ params.name }}");
  } else {
    e = ExprParser(std::move(tokens), errors_).parse_all();
  }
  if (context_ == Context::sql) {
    check_quotes(c, e.get());
  }
  OutputNode out;
  out.expr = std::move(e);
  out.offset = c.begin;
  out.spot = sql_.spot();
  sql_.value_written();
  add(std::move(out));
}

// The "values are quoted for you" error: quoting a value inside quotes would
// end the author's quotes. `| raw` as the last filter is the author saying
// the value is trusted text to paste in.
void TemplateParser::check_quotes(const Chunk& c, const Expr* e) {
  SqlState state = sql_.spot().state;
  if (state != SqlState::single_quoted && state != SqlState::double_quoted) {
    return;
  }
  if (e != nullptr && e->kind == ExprKind::filter && e->name == "raw") {
    return;
  }
  bool literal = state == SqlState::single_quoted;
  errors_.error(
      c.begin,
      std::string("values are quoted for you: this {{ }} is inside a quoted SQL ") +
          (literal ? "string ('...')" : "identifier (\"...\")"),
      std::string("remove the ") + (literal ? "single" : "double") +
          " quotes around it: a string param is written as a literal ('it''s'), an "
          "identifier param as an identifier (\"Recipe\"); to build a longer value "
          "use ~, e.g. {{ params.prefix ~ '%' }}; use | raw only for trusted SQL; to write "
          "{{ literally, wrap it in {% raw %}...{% endraw %}");
}

void TemplateParser::statement(const Chunk& c) {
  ExprParser p(lex_expression(text_, c.inner_begin, c.inner_end), errors_);
  if (p.peek().kind != Tok::name) {
    errors_.error(c.begin, p.at_end() ? "empty {% %}" : "expected a tag name after {%",
                  "tags are if, elif, else, endif, for, endfor, raw, endraw");
    return;
  }
  std::string_view tag = p.peek().text;
  if (tag == "if") {
    open_if(p, c);
  } else if (tag == "for") {
    open_for(p, c);
  } else if (tag == "elif") {
    elif (p, c);
  } else if (tag == "else") {
    else_(c);
    no_more_words(p, tag);
  } else if (tag == "endif" || tag == "endfor") {
    end(tag == "endif", c);
    no_more_words(p, tag);
  } else if (tag == "endraw") {
    errors_.error(c.begin, "{% endraw %} without {% raw %}");
  } else {
    std::string hint = did_you_mean(tag, kTagNames);
    errors_.error(p.peek().offset, "unknown tag \"" + std::string(tag) + "\"",
                  hint.empty() ? "tags are if, elif, else, endif, for, endfor, raw, endraw" : hint);
  }
}

bool TemplateParser::no_more_words(ExprParser& p, std::string_view tag) {
  p.advance();
  if (p.at_end()) {
    return true;
  }
  errors_.error(p.peek().offset, "unexpected text after {% " + std::string(tag) + " %}");
  return false;
}

void TemplateParser::open_if(ExprParser& p, const Chunk& c) {
  if (open_.size() >= static_cast<std::size_t>(kMaxBlockDepth)) {
    errors_.error(c.begin,
                  "blocks nested too deeply (more than " + std::to_string(kMaxBlockDepth) + ")");
    stopped_ = true;
    return;
  }
  p.advance();
  IfNode node;
  node.offset = c.begin;
  node.branches.push_back(IfBranch{p.parse_all(), {}});
  open_.push_back(OpenBlock{std::move(node)});
}

void TemplateParser::open_for(ExprParser& p, const Chunk& c) {
  if (open_.size() >= static_cast<std::size_t>(kMaxBlockDepth)) {
    errors_.error(c.begin,
                  "blocks nested too deeply (more than " + std::to_string(kMaxBlockDepth) + ")");
    stopped_ = true;
    return;
  }
  p.advance();
  ForNode node;
  node.offset = c.begin;
  if (p.peek().kind != Tok::name || is_reserved_word(p.peek().text)) {
    p.unexpected("a loop variable name, as in {% for t in params.tables %}");
  } else {
    node.variable = std::string(p.advance().text);
    if (!p.at_word("in")) {
      p.unexpected("\"in\"");
    } else {
      p.advance();
      node.list = p.parse_all();
    }
  }
  open_.push_back(OpenBlock{std::move(node)});
}

void TemplateParser::elif (ExprParser& p, const Chunk& c) {
  if (open_.empty() || !open_.back().is_if()) {
    errors_.error(c.begin, "{% elif %} without {% if %}");
    return;
  }
  if (open_.back().in_else) {
    errors_.error(c.begin, "{% elif %} after {% else %}", "move it before the {% else %}");
    return;
  }
  p.advance();
  std::get<IfNode>(open_.back().node).branches.push_back(IfBranch{p.parse_all(), {}});
}

void TemplateParser::else_(const Chunk& c) {
  if (open_.empty()) {
    errors_.error(c.begin, "{% else %} without {% if %} or {% for %}");
    return;
  }
  if (open_.back().in_else) {
    errors_.error(c.begin, "a second {% else %} in the same block");
    return;
  }
  open_.back().in_else = true;
}

// An end tag closes the innermost block of its kind; blocks opened inside
// that one and left open are reported and closed with it.
void TemplateParser::end(bool of_if, const Chunk& c) {
  const char* tag = of_if ? "endif" : "endfor";
  auto matches = [&](const OpenBlock& b) { return b.is_if() == of_if; };
  auto it = std::find_if(open_.rbegin(), open_.rend(), matches);
  if (it == open_.rend()) {
    errors_.error(c.begin,
                  std::string("{% ") + tag + " %} without {% " + (of_if ? "if" : "for") + " %}");
    return;
  }
  while (!matches(open_.back())) {
    bool inner_if = open_.back().is_if();
    errors_.error(open_.back().offset(),
                  std::string("{% ") + (inner_if ? "if" : "for") + " %} is not closed before {% " +
                      tag + " %}",
                  std::string("close it with {% ") + (inner_if ? "endif" : "endfor") + " %}");
    close_top();
  }
  close_top();
}

void TemplateParser::close_top() {
  OpenBlock b = std::move(open_.back());
  open_.pop_back();
  if (b.is_if()) {
    add(std::move(std::get<IfNode>(b.node)));
  } else {
    add(std::move(std::get<ForNode>(b.node)));
  }
}

}  // namespace

std::optional<Template> parse_template(const SourceText& source, Context context,
                                       ErrorSink& errors) {
  Template t = TemplateParser(source, context, errors).parse();
  if (errors.failed()) {
    return std::nullopt;
  }
  return t;
}

ExprPtr parse_bare_expression(const SourceText& source, ErrorSink& errors) {
  std::vector<Token> tokens = lex_expression(source.text, 0, source.text.size());
  if (tokens.size() == 1) {
    errors.error(0, "empty expression");
    return nullptr;
  }
  return ExprParser(std::move(tokens), errors).parse_all();
}

}  // namespace runbook::tmpl

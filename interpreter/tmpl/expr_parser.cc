#include "tmpl/expr_parser.h"

#include "base/edit_distance.h"
#include "tmpl/filters.h"
#include "tmpl/limits.h"

#include <algorithm>
#include <charconv>
#include <cstdint>

namespace runbook::tmpl {

namespace {

constexpr std::string_view kReserved[] = {"true", "false", "none", "null", "True", "False",
                                          "None", "and",   "or",   "not",  "in",   "is"};

std::string describe(const Token& t) {
  if (t.kind == Tok::end) {
    return "end of expression";
  }
  return "\"" + std::string(t.text.substr(0, 20)) + "\"";
}

}  // namespace

bool is_reserved_word(std::string_view word) {
  return std::find(std::begin(kReserved), std::end(kReserved), word) != std::end(kReserved);
}

std::string decode_string_literal(std::string_view literal) {
  std::string out;
  std::string_view body = literal.substr(1, literal.size() - 2);
  out.reserve(body.size());
  for (std::size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c != '\\' || i + 1 == body.size()) {
      out += c;
      continue;
    }
    char n = body[++i];
    switch (n) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case '\\':
      case '\'':
      case '"':
        out += n;
        break;
      default:
        out += '\\';
        out += n;
    }
  }
  return out;
}

ExprParser::ExprParser(std::vector<Token> tokens, ErrorSink& errors)
    : tokens_(std::move(tokens)), errors_(errors) {}

const Token& ExprParser::peek(std::size_t ahead) const {
  return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
}

Token ExprParser::advance() {
  Token t = peek();
  if (pos_ + 1 < tokens_.size()) {
    ++pos_;
  }
  return t;
}

bool ExprParser::at_word(std::string_view word, std::size_t ahead) const {
  return peek(ahead).kind == Tok::name && peek(ahead).text == word;
}

ExprPtr ExprParser::error(std::size_t offset, std::string message, std::string hint) {
  if (!failed_) {
    failed_ = true;
    errors_.error(offset, std::move(message), std::move(hint));
  }
  return nullptr;
}

void ExprParser::unexpected(std::string_view what_was_expected) {
  const Token& t = peek();
  std::string hint;
  if (t.kind == Tok::assign) {
    hint = "use == to compare";
  } else if (t.kind == Tok::invalid && t.text == "{") {
    hint = "an expression here is written without {{ }}";
  } else if (t.kind == Tok::name && t.text == "is") {
    hint = "`is` tests are not supported: compare with == none, or use | default(...)";
  }
  error(t.offset, "expected " + std::string(what_was_expected) + ", found " + describe(t), hint);
}

bool ExprParser::expect(Tok kind, std::string_view what) {
  if (failed_) {
    return false;
  }
  if (peek().kind != kind) {
    unexpected(what);
    return false;
  }
  advance();
  return true;
}

ExprPtr ExprParser::parse_all() {
  ExprPtr e = parse();
  if (e && !at_end()) {
    unexpected("the end of the expression");
    return nullptr;
  }
  return e;
}

ExprPtr ExprParser::parse() {
  if (at_end()) {
    return error(peek().offset, "expected an expression");
  }
  ExprPtr e = or_expr();
  return failed_ ? nullptr : std::move(e);
}

ExprPtr ExprParser::node(ExprKind kind, std::size_t begin, std::size_t end,
                         std::vector<ExprPtr> children) {
  auto e = std::make_unique<Expr>();
  e->kind = kind;
  e->begin = begin;
  e->end = end;
  for (const ExprPtr& c : children) {
    e->depth = std::max(e->depth, c->depth + 1);
  }
  e->children = std::move(children);
  if (e->depth > kMaxExprDepth) {
    return error(begin, "expression nested too deeply (more than " + std::to_string(kMaxExprDepth) +
                            " levels)");
  }
  return e;
}

ExprPtr ExprParser::binary(Op op, std::size_t op_offset, ExprPtr left, ExprPtr right) {
  if (!left || !right) {
    return nullptr;
  }
  std::size_t begin = left->begin, end = right->end;
  std::vector<ExprPtr> children;
  children.push_back(std::move(left));
  children.push_back(std::move(right));
  ExprPtr e = node(ExprKind::binary, begin, end, std::move(children));
  if (e) {
    e->op = op;
    e->name_offset = op_offset;
  }
  return e;
}

namespace {

// Counts the parser's own recursion, which nesting in the input drives.
class Nesting {
 public:
  explicit Nesting(int& depth) : depth_(depth) { ++depth_; }
  ~Nesting() { --depth_; }
  Nesting(const Nesting&) = delete;
  Nesting& operator=(const Nesting&) = delete;
  bool too_deep() const { return depth_ > kMaxExprDepth; }

 private:
  int& depth_;
};

}  // namespace

ExprPtr ExprParser::or_expr() {
  Nesting nesting(recursion_);
  if (nesting.too_deep()) {
    return error(peek().offset, "expression nested too deeply (more than " +
                                    std::to_string(kMaxExprDepth) + " levels)");
  }
  ExprPtr left = and_expr();
  while (left && at_word("or")) {
    std::size_t at = advance().offset;
    left = binary(Op::or_, at, std::move(left), and_expr());
  }
  return left;
}

ExprPtr ExprParser::and_expr() {
  ExprPtr left = not_expr();
  while (left && at_word("and")) {
    std::size_t at = advance().offset;
    left = binary(Op::and_, at, std::move(left), not_expr());
  }
  return left;
}

ExprPtr ExprParser::not_expr() {
  if (!at_word("not")) {
    return comparison();
  }
  Nesting nesting(recursion_);
  if (nesting.too_deep()) {
    return error(peek().offset, "expression nested too deeply");
  }
  std::size_t begin = advance().offset;
  ExprPtr operand = not_expr();
  if (!operand) {
    return nullptr;
  }
  std::size_t end = operand->end;
  std::vector<ExprPtr> children;
  children.push_back(std::move(operand));
  ExprPtr e = node(ExprKind::unary, begin, end, std::move(children));
  if (e) {
    e->op = Op::not_;
  }
  return e;
}

namespace {

std::optional<Op> comparison_op(Tok kind) {
  switch (kind) {
    case Tok::eq:
      return Op::eq;
    case Tok::ne:
      return Op::ne;
    case Tok::lt:
      return Op::lt;
    case Tok::le:
      return Op::le;
    case Tok::gt:
      return Op::gt;
    case Tok::ge:
      return Op::ge;
    default:
      return std::nullopt;
  }
}

}  // namespace

ExprPtr ExprParser::comparison() {
  ExprPtr left = concat();
  bool compared = false;
  while (left) {
    std::optional<Op> op = comparison_op(peek().kind);
    if (!op && at_word("in")) {
      op = Op::in;
    } else if (!op && at_word("not") && at_word("in", 1)) {
      op = Op::not_in;
    }
    if (!op) {
      break;
    }
    if (compared) {
      return error(peek().offset, "comparisons cannot be chained", "join them with `and`");
    }
    std::size_t at = advance().offset;
    if (*op == Op::not_in) {
      advance();
    }
    left = binary(*op, at, std::move(left), concat());
    compared = true;
  }
  return left;
}

ExprPtr ExprParser::concat() {
  ExprPtr left = additive();
  while (left && peek().kind == Tok::tilde) {
    std::size_t at = advance().offset;
    left = binary(Op::concat, at, std::move(left), additive());
  }
  return left;
}

ExprPtr ExprParser::additive() {
  ExprPtr left = term();
  while (left && (peek().kind == Tok::plus || peek().kind == Tok::minus)) {
    Token t = advance();
    Op op = t.kind == Tok::plus ? Op::add : Op::sub;
    left = binary(op, t.offset, std::move(left), term());
  }
  return left;
}

ExprPtr ExprParser::term() {
  ExprPtr left = unary();
  while (left &&
         (peek().kind == Tok::star || peek().kind == Tok::slash || peek().kind == Tok::percent)) {
    Token t = advance();
    Op op = t.kind == Tok::star ? Op::mul : t.kind == Tok::slash ? Op::div : Op::mod;
    left = binary(op, t.offset, std::move(left), unary());
  }
  return left;
}

ExprPtr ExprParser::unary() {
  if (peek().kind != Tok::minus && peek().kind != Tok::plus) {
    return filtered();
  }
  Nesting nesting(recursion_);
  if (nesting.too_deep()) {
    return error(peek().offset, "expression nested too deeply");
  }
  Token sign = advance();
  ExprPtr operand = unary();
  if (!operand) {
    return nullptr;
  }
  std::size_t end = operand->end;
  std::vector<ExprPtr> children;
  children.push_back(std::move(operand));
  ExprPtr e = node(ExprKind::unary, sign.offset, end, std::move(children));
  if (e) {
    e->op = sign.kind == Tok::minus ? Op::negate : Op::plus;
  }
  return e;
}

ExprPtr ExprParser::filtered() {
  ExprPtr e = postfix();
  while (e && peek().kind == Tok::pipe) {
    advance();
    e = filter_call(std::move(e));
  }
  return e;
}

namespace {

std::string arity_error(const FilterDef& f, int args) {
  std::string want = f.min_args == f.max_args
                         ? std::to_string(f.min_args)
                         : std::to_string(f.min_args) + " or " + std::to_string(f.max_args);
  return "filter \"" + std::string(f.name) + "\" takes " + want + " argument" +
         (want == "1" ? "" : "s") + ", not " + std::to_string(args);
}

}  // namespace

ExprPtr ExprParser::filter_call(ExprPtr operand) {
  if (peek().kind != Tok::name) {
    unexpected("a filter name");
    return nullptr;
  }
  Token name = advance();
  const FilterDef* def = find_filter(name.text);
  if (def == nullptr) {
    return error(name.offset, "unknown filter \"" + std::string(name.text) + "\"",
                 did_you_mean(name.text, filter_names()));
  }
  std::size_t begin = operand->begin, end = name.offset + name.text.size();
  std::vector<ExprPtr> children;
  children.push_back(std::move(operand));
  if (peek().kind == Tok::lparen) {
    advance();
    if (!comma_list(children)) {
      return nullptr;
    }
    end = peek().offset + 1;
    if (!expect(Tok::rparen, "\")\" after the filter's arguments")) {
      return nullptr;
    }
  }
  int args = static_cast<int>(children.size()) - 1;
  if (args < def->min_args || args > def->max_args) {
    return error(name.offset, arity_error(*def, args));
  }
  ExprPtr e = node(ExprKind::filter, begin, end, std::move(children));
  if (e) {
    e->name = std::string(def->name);
    e->name_offset = name.offset;
    e->filter = def;
  }
  return e;
}

// Expressions separated by commas (a trailing comma allowed), up to a closing
// token that is left for the caller.
bool ExprParser::comma_list(std::vector<ExprPtr>& into) {
  while (!failed_ && peek().kind != Tok::rparen && peek().kind != Tok::rbracket) {
    ExprPtr item = or_expr();
    if (!item) {
      return false;
    }
    into.push_back(std::move(item));
    if (peek().kind != Tok::comma) {
      break;
    }
    advance();
  }
  return !failed_;
}

ExprPtr ExprParser::postfix() {
  ExprPtr e = primary();
  while (e && (peek().kind == Tok::dot || peek().kind == Tok::lbracket)) {
    std::size_t begin = e->begin;
    std::vector<ExprPtr> children;
    children.push_back(std::move(e));
    if (advance().kind == Tok::dot) {
      if (peek().kind != Tok::name) {
        unexpected("a name after \".\"");
        return nullptr;
      }
      Token name = advance();
      e = node(ExprKind::attribute, begin, name.offset + name.text.size(), std::move(children));
      if (e) {
        e->name = std::string(name.text);
        e->name_offset = name.offset;
      }
      continue;
    }
    ExprPtr key = or_expr();
    if (!key) {
      return nullptr;
    }
    children.push_back(std::move(key));
    std::size_t end = peek().offset + 1;
    if (!expect(Tok::rbracket, "\"]\"")) {
      return nullptr;
    }
    e = node(ExprKind::index, begin, end, std::move(children));
  }
  return e;
}

ExprPtr ExprParser::primary() {
  const Token t = peek();
  switch (t.kind) {
    case Tok::name:
      advance();
      return word(t);
    case Tok::integer:
    case Tok::decimal:
      advance();
      return number(t);
    case Tok::string: {
      advance();
      ExprPtr e = node(ExprKind::literal, t.offset, t.offset + t.text.size(), {});
      e->literal = Value(decode_string_literal(t.text));
      return e;
    }
    case Tok::unterminated_string:
      return error(t.offset, "unterminated string", "close it with " + std::string(1, t.text[0]));
    case Tok::lparen: {
      advance();
      ExprPtr e = or_expr();
      if (e && !expect(Tok::rparen, "\")\"")) {
        return nullptr;
      }
      return e;
    }
    case Tok::lbracket:
      advance();
      return list_literal(t);
    default:
      unexpected("a value");
      return nullptr;
  }
}

ExprPtr ExprParser::word(const Token& t) {
  ExprPtr e = node(ExprKind::literal, t.offset, t.offset + t.text.size(), {});
  std::string_view w = t.text;
  if (w == "true" || w == "True" || w == "false" || w == "False") {
    e->literal = Value(w[0] == 't' || w[0] == 'T');
  } else if (w == "none" || w == "None" || w == "null") {
    e->literal = Value();
  } else if (is_reserved_word(w)) {
    --pos_;
    unexpected("a value");
    return nullptr;
  } else {
    e->kind = ExprKind::name;
    e->name = std::string(w);
    e->name_offset = t.offset;
  }
  return e;
}

ExprPtr ExprParser::number(const Token& t) {
  ExprPtr e = node(ExprKind::literal, t.offset, t.offset + t.text.size(), {});
  const char* first = t.text.data();
  const char* last = first + t.text.size();
  if (t.kind == Tok::integer) {
    std::int64_t i = 0;
    if (std::from_chars(first, last, i).ec != std::errc()) {
      return error(t.offset, "integer " + std::string(t.text.substr(0, 30)) + " is too large");
    }
    e->literal = Value(i);
  } else {
    double d = 0;
    if (std::from_chars(first, last, d).ec != std::errc()) {
      return error(t.offset, "number " + std::string(t.text.substr(0, 30)) + " is out of range");
    }
    e->literal = Value(d);
  }
  return e;
}

ExprPtr ExprParser::list_literal(const Token& open) {
  std::vector<ExprPtr> items;
  if (!comma_list(items)) {
    return nullptr;
  }
  std::size_t end = peek().offset + 1;
  if (!expect(Tok::rbracket, "\"]\" or \",\" in the list")) {
    return nullptr;
  }
  return node(ExprKind::list, open.offset, end, std::move(items));
}

}  // namespace runbook::tmpl

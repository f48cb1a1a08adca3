#include "tmpl/lexer.h"

#include <algorithm>
#include <cstring>

namespace runbook::tmpl {

namespace {

// Past this many, more errors from one template only repeat the same mistake.
constexpr std::size_t kMaxErrors = 50;

}  // namespace

void ErrorSink::error(std::size_t offset, std::string message, std::string hint) {
  failed_ = true;
  for (const auto& [o, m] : reported_) {
    if (o == offset && m == message) {
      return;
    }
  }
  if (reported_.size() >= kMaxErrors) {
    return;
  }
  reported_.emplace_back(offset, message);
  diags_.error(source_.locate(offset), std::move(message), std::move(hint));
}

bool has_tag(std::string_view text) {
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    const void* found = std::memchr(p, '{', static_cast<std::size_t>(end - p));
    if (found == nullptr) {
      return false;
    }
    p = static_cast<const char*>(found) + 1;
    if (p < end && (*p == '{' || *p == '%' || *p == '#')) {
      return true;
    }
  }
  return false;
}

namespace {

// Where the tag opened at `open` closes with `close` ("}}", "%}", "#}"):
// the offset of `close`, or npos. Quoted strings are skipped when `quotes`.
std::size_t find_close(std::string_view text, std::size_t from, std::string_view close,
                       bool quotes) {
  for (std::size_t i = from; i + 1 < text.size(); ++i) {
    char c = text[i];
    if (quotes && (c == '\'' || c == '"')) {
      std::size_t j = i + 1;
      while (j < text.size() && text[j] != c) {
        j += text[j] == '\\' ? 2 : 1;
      }
      if (j >= text.size()) {
        return std::string_view::npos;
      }
      i = j;
      continue;
    }
    if (c == close[0] && text[i + 1] == close[1]) {
      return i;
    }
  }
  return std::string_view::npos;
}

const char* tag_name(ChunkKind kind) {
  switch (kind) {
    case ChunkKind::output:
      return "{{";
    case ChunkKind::statement:
      return "{%";
    default:
      return "{#";
  }
}

std::string_view closer(ChunkKind kind) {
  switch (kind) {
    case ChunkKind::output:
      return "}}";
    case ChunkKind::statement:
      return "%}";
    default:
      return "#}";
  }
}

// Fills the markers and inner range of a tag chunk spanning [begin, close + 2).
void mark_tag(Chunk& c, std::string_view text, std::size_t close) {
  c.end = close + 2;
  c.inner_begin = c.begin + 2;
  c.inner_end = close;
  if (c.inner_begin < c.inner_end && (text[c.inner_begin] == '-' || text[c.inner_begin] == '+')) {
    c.trim_before = text[c.inner_begin] == '-';
    c.keep_before = text[c.inner_begin] == '+';
    ++c.inner_begin;
  }
  if (c.inner_begin < c.inner_end &&
      (text[c.inner_end - 1] == '-' || text[c.inner_end - 1] == '+')) {
    c.trim_after = text[c.inner_end - 1] == '-';
    c.keep_after = text[c.inner_end - 1] == '+';
    --c.inner_end;
  }
}

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// True when text[begin, end) is `word` with blanks around it.
bool is_word_inside(std::string_view text, std::size_t begin, std::size_t end,
                    std::string_view word) {
  while (begin < end && is_blank(text[begin])) {
    ++begin;
  }
  while (end > begin && is_blank(text[end - 1])) {
    --end;
  }
  return text.substr(begin, end - begin) == word;
}

// The `{% endraw %}` tag after `from`, as a comment chunk (its content is
// not read); its `begin` is npos when there is none. Found from the word
// "endraw" outwards, so that the search stays linear.
Chunk find_endraw(std::string_view text, std::size_t from) {
  Chunk end;
  end.kind = ChunkKind::comment;
  end.begin = std::string_view::npos;
  constexpr std::string_view kWord = "endraw";
  for (std::size_t w = text.find(kWord, from); w != std::string_view::npos;
       w = text.find(kWord, w + 1)) {
    std::size_t open = w;
    while (open > from && is_blank(text[open - 1])) {
      --open;
    }
    open -= open > from && (text[open - 1] == '-' || text[open - 1] == '+') ? 1 : 0;
    std::size_t close = w + kWord.size();
    while (close < text.size() && is_blank(text[close])) {
      ++close;
    }
    close += close < text.size() && (text[close] == '-' || text[close] == '+') ? 1 : 0;
    if (open >= from + 2 && text.compare(open - 2, 2, "{%") == 0 &&
        text.compare(close, 2, "%}") == 0) {
      end.begin = open - 2;
      mark_tag(end, text, close);
      return end;
    }
  }
  return end;
}

ChunkKind kind_of_opener(char c) {
  return c == '{' ? ChunkKind::output : c == '%' ? ChunkKind::statement : ChunkKind::comment;
}

}  // namespace

namespace {

void add_text(std::vector<Chunk>& chunks, std::size_t begin, std::size_t end) {
  if (begin < end) {
    chunks.push_back(Chunk{ChunkKind::text, begin, end, begin, end});
  }
}

// The tag opened at `i`; its `end` is 0 when it is not closed (reported).
Chunk read_tag(std::string_view text, std::size_t i, ErrorSink& errors) {
  Chunk tag;
  tag.kind = kind_of_opener(text[i + 1]);
  tag.begin = i;
  bool quotes = tag.kind != ChunkKind::comment;
  std::size_t close = find_close(text, i + 2, closer(tag.kind), quotes);
  if (close == std::string_view::npos && quotes) {
    // An unclosed string inside: close the tag anyway, the string is reported later.
    close = find_close(text, i + 2, closer(tag.kind), false);
  }
  if (close == std::string_view::npos) {
    errors.error(i, std::string("unclosed ") + tag_name(tag.kind),
                 std::string("close it with ") + std::string(closer(tag.kind)));
    return tag;
  }
  mark_tag(tag, text, close);
  return tag;
}

// After `{% raw %}`: adds the raw text and the `{% endraw %}` tag, and returns
// where the template goes on (0 when endraw is missing, reported).
std::size_t add_raw_block(std::string_view text, Chunk raw, std::vector<Chunk>& chunks,
                          ErrorSink& errors) {
  Chunk end = find_endraw(text, raw.end);
  if (end.begin == std::string_view::npos) {
    errors.error(raw.begin, "unclosed {% raw %}", "close it with {% endraw %}");
    return 0;
  }
  raw.kind = ChunkKind::comment;
  chunks.push_back(raw);
  add_text(chunks, raw.end, end.begin);
  chunks.push_back(end);
  return end.end;
}

bool is_opener(std::string_view text, std::size_t i) {
  return text[i] == '{' && (text[i + 1] == '{' || text[i + 1] == '%' || text[i + 1] == '#');
}

}  // namespace

std::vector<Chunk> split_template(std::string_view text, ErrorSink& errors) {
  std::vector<Chunk> chunks;
  chunks.reserve(16);
  std::size_t text_start = 0;
  for (std::size_t i = 0; i + 1 < text.size();) {
    if (!is_opener(text, i)) {
      ++i;
      continue;
    }
    Chunk tag = read_tag(text, i, errors);
    if (tag.end == 0) {
      return chunks;
    }
    add_text(chunks, text_start, i);
    if (tag.kind == ChunkKind::statement &&
        is_word_inside(text, tag.inner_begin, tag.inner_end, "raw")) {
      i = add_raw_block(text, tag, chunks, errors);
      if (i == 0) {
        return chunks;
      }
    } else {
      chunks.push_back(tag);
      i = tag.end;
    }
    text_start = i;
  }
  add_text(chunks, text_start, text.size());
  return chunks;
}

namespace {

bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_name_char(char c) {
  return is_name_start(c) || is_digit(c);
}
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// The end of the string literal opened at `i`, just past its closing quote, or
// npos. A backslash escapes the next character.
std::size_t string_end(std::string_view text, std::size_t i, std::size_t end) {
  char quote = text[i];
  for (std::size_t j = i + 1; j < end; ++j) {
    if (text[j] == '\\') {
      ++j;
    } else if (text[j] == quote) {
      return j + 1;
    }
  }
  return std::string_view::npos;
}

std::size_t number_end(std::string_view text, std::size_t i, std::size_t end, Tok& kind) {
  kind = Tok::integer;
  while (i < end && is_digit(text[i])) {
    ++i;
  }
  if (i + 1 < end && text[i] == '.' && is_digit(text[i + 1])) {
    kind = Tok::decimal;
    i += 1;
    while (i < end && is_digit(text[i])) {
      ++i;
    }
  }
  return i;
}

// An operator or punctuation at `i`: its kind and length (0 when none).
std::pair<Tok, std::size_t> punctuation(std::string_view text, std::size_t i, std::size_t end) {
  char c = text[i];
  char n = i + 1 < end ? text[i + 1] : '\0';
  switch (c) {
    case '(':
      return {Tok::lparen, 1};
    case ')':
      return {Tok::rparen, 1};
    case '[':
      return {Tok::lbracket, 1};
    case ']':
      return {Tok::rbracket, 1};
    case ',':
      return {Tok::comma, 1};
    case '.':
      return {Tok::dot, 1};
    case '|':
      return {Tok::pipe, 1};
    case '~':
      return {Tok::tilde, 1};
    case '+':
      return {Tok::plus, 1};
    case '-':
      return {Tok::minus, 1};
    case '*':
      return {Tok::star, 1};
    case '/':
      return {Tok::slash, 1};
    case '%':
      return {Tok::percent, 1};
    case '=':
      return n == '=' ? std::pair{Tok::eq, 2} : std::pair{Tok::assign, 1};
    case '!':
      return n == '=' ? std::pair{Tok::ne, 2} : std::pair{Tok::invalid, 1};
    case '<':
      return n == '=' ? std::pair{Tok::le, 2} : std::pair{Tok::lt, 1};
    case '>':
      return n == '=' ? std::pair{Tok::ge, 2} : std::pair{Tok::gt, 1};
    default:
      return {Tok::invalid, 1};
  }
}

Token next_token(std::string_view text, std::size_t i, std::size_t end) {
  char c = text[i];
  Token t{Tok::end, i, {}};
  std::size_t stop = i + 1;
  if (is_name_start(c)) {
    t.kind = Tok::name;
    while (stop < end && is_name_char(text[stop])) {
      ++stop;
    }
  } else if (is_digit(c)) {
    stop = number_end(text, i, end, t.kind);
  } else if (c == '\'' || c == '"') {
    stop = string_end(text, i, end);
    t.kind = stop == std::string_view::npos ? Tok::unterminated_string : Tok::string;
    stop = std::min(stop, end);
  } else {
    auto [kind, length] = punctuation(text, i, end);
    t.kind = kind;
    stop = i + length;
  }
  t.text = text.substr(i, stop - i);
  return t;
}

}  // namespace

std::vector<Token> lex_expression(std::string_view text, std::size_t begin, std::size_t end) {
  std::vector<Token> tokens;
  tokens.reserve(8);
  std::size_t i = begin;
  while (true) {
    while (i < end && is_space(text[i])) {
      ++i;
    }
    if (i >= end) {
      break;
    }
    Token t = next_token(text, i, end);
    tokens.push_back(t);
    i += t.text.size();
  }
  tokens.push_back(Token{Tok::end, end, {}});
  return tokens;
}

}  // namespace runbook::tmpl

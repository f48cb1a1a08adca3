#include "tmpl/sql_context.h"

namespace runbook::tmpl {

namespace {

bool is_word_char(char c) {
  auto u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$' || u >= 0x80;
}

bool is_tag_start(char c) {
  auto u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || u >= 0x80;
}

bool next_is(std::string_view text, std::size_t i, char c) {
  return i + 1 < text.size() && text[i + 1] == c;
}

}  // namespace

void SqlScanner::feed(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    switch (state_) {
      case SqlState::code:
        i = step_code(text, i);
        break;
      case SqlState::single_quoted:
      case SqlState::double_quoted:
        i = step_quoted(text, i);
        break;
      case SqlState::line_comment:
      case SqlState::block_comment:
        i = step_comment(text, i);
        break;
      case SqlState::dollar_quoted: {
        std::size_t close = text.find(dollar_tag_, i);
        if (close == std::string_view::npos) {
          return;  // a closing tag split over two pieces is not recognised
        }
        state_ = SqlState::code;
        after_word_ = false;
        i = close + dollar_tag_.size();
        break;
      }
    }
  }
}

void SqlScanner::value_written() {
  after_word_ = false;
  after_e_prefix_ = false;
}

SqlSpot SqlScanner::spot() const {
  SqlSpot s;
  s.state = state_;
  if (state_ == SqlState::dollar_quoted) {
    s.dollar_tag = dollar_tag_;
  }
  return s;
}

// One step in code; returns the index of the next character to scan.
std::size_t SqlScanner::step_code(std::string_view text, std::size_t i) {
  char c = text[i];
  bool e_prefix = after_e_prefix_;
  after_e_prefix_ = (c == 'E' || c == 'e') && !after_word_;
  if (c == '\'') {
    state_ = SqlState::single_quoted;
    escapes_ = e_prefix;
  } else if (c == '"') {
    state_ = SqlState::double_quoted;
  } else if (c == '-' && next_is(text, i, '-')) {
    state_ = SqlState::line_comment;
    return i + 2;
  } else if (c == '/' && next_is(text, i, '*')) {
    state_ = SqlState::block_comment;
    comment_depth_ = 1;
    return i + 2;
  } else if (c == '$' && !after_word_) {
    std::size_t next = open_dollar_quote(text, i);
    if (next != i) {
      return next;
    }
  }
  after_word_ = is_word_char(c);
  return i + 1;
}

// At a `$` that may open a dollar quote: returns the index after its tag, or
// `i` when it is something else (a positional parameter such as $1).
std::size_t SqlScanner::open_dollar_quote(std::string_view text, std::size_t i) {
  std::size_t j = i + 1;
  if (j < text.size() && is_tag_start(text[j])) {
    while (j < text.size() && is_word_char(text[j]) && text[j] != '$') {
      ++j;
    }
  }
  if (j >= text.size() || text[j] != '$') {
    return i;
  }
  dollar_tag_.assign(text.substr(i, j + 1 - i));
  state_ = SqlState::dollar_quoted;
  return j + 1;
}

// Inside '...' or "...": a doubled quote closes and reopens, which needs no
// special case; in E'...' a backslash escapes the next character.
std::size_t SqlScanner::step_quoted(std::string_view text, std::size_t i) {
  char quote = state_ == SqlState::single_quoted ? '\'' : '"';
  if (escape_next_) {
    escape_next_ = false;
    return i + 1;
  }
  char c = text[i];
  if (c == '\\' && escapes_ && state_ == SqlState::single_quoted) {
    if (i + 1 == text.size()) {
      escape_next_ = true;
    }
    return i + 2;
  }
  if (c != quote) {
    return i + 1;
  }
  if (escapes_ && next_is(text, i, '\'')) {
    return i + 2;  // '' inside E'...' stays inside
  }
  state_ = SqlState::code;
  escapes_ = false;
  after_word_ = false;
  after_e_prefix_ = false;
  return i + 1;
}

std::size_t SqlScanner::step_comment(std::string_view text, std::size_t i) {
  char c = text[i];
  if (state_ == SqlState::line_comment) {
    if (c == '\n') {
      state_ = SqlState::code;
      after_word_ = false;
      after_e_prefix_ = false;
    }
    return i + 1;
  }
  if (c == '/' && next_is(text, i, '*')) {
    ++comment_depth_;  // PostgreSQL nests block comments
    return i + 2;
  }
  if (c == '*' && next_is(text, i, '/')) {
    if (--comment_depth_ == 0) {
      state_ = SqlState::code;
      after_word_ = false;
      after_e_prefix_ = false;
    }
    return i + 2;
  }
  return i + 1;
}

std::string value_escapes_spot(std::string_view value, const SqlSpot& spot) {
  switch (spot.state) {
    case SqlState::line_comment:
      if (value.find_first_of("\r\n") != std::string_view::npos) {
        return "the value holds a line break, which would end the -- comment it is in";
      }
      break;
    case SqlState::block_comment:
      if (value.find("*/") != std::string_view::npos ||
          value.find("/*") != std::string_view::npos) {
        return "the value holds */ or /*, which would change the /* */ comment it is in";
      }
      break;
    case SqlState::dollar_quoted:
      if (value.find(spot.dollar_tag) != std::string_view::npos) {
        return "the value holds " + spot.dollar_tag +
               ", which would end the dollar-quoted body it is in";
      }
      break;
    default:
      break;
  }
  return {};
}

}  // namespace runbook::tmpl

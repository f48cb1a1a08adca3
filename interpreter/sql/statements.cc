#include "sql/statements.h"

#include "base/strings.h"
#include "sql/classify.h"
#include "sql/parse_node.h"
#include "sql/scanner.h"

#include <pg_query.h>

#include <algorithm>

namespace runbook::sql {

namespace {

// libpg_query reports cursorpos as PostgreSQL does: a 1-based count of
// characters (the input is UTF-8), not of bytes.
std::size_t byte_offset_of_character(std::string_view text, int cursorpos) {
  if (cursorpos <= 0) {
    return 0;
  }
  auto wanted = static_cast<std::size_t>(cursorpos - 1);
  std::size_t characters = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool starts_character = (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
    if (starts_character) {
      if (characters == wanted) {
        return i;
      }
      ++characters;
    }
  }
  return text.size();
}

// Each statement's span starts right after the previous `;`, so it carries
// the whitespace and comments in between; the last one runs to the end of
// the input, trailing comments included. Whitespace is trimmed here; when a
// comment may be present PostgreSQL's scanner finds where the code is, since
// `--` or `/*` may as well sit inside a string.
ByteRange statement_range(const std::string& input, std::size_t begin, std::size_t end) {
  std::string_view span = trim(std::string_view(input).substr(begin, end - begin));
  begin = static_cast<std::size_t>(span.data() - input.data());
  ByteRange range{begin, begin + span.size()};
  bool may_hold_comment =
      span.find("--") != std::string_view::npos || span.find("/*") != std::string_view::npos;
  if (may_hold_comment) {
    if (std::optional<ByteRange> code = code_range(std::string(span))) {
      range = ByteRange{begin + code->begin, begin + code->end};
    }
  }
  return range;
}

ParseError nul_byte_error(std::string_view sql) {
  return ParseError{"SQL text contains a NUL byte", sql.find('\0')};
}

class ParseResultGuard {
 public:
  explicit ParseResultGuard(PgQueryParseResult result) : result_(result) {}
  ~ParseResultGuard() { pg_query_free_parse_result(result_); }
  ParseResultGuard(const ParseResultGuard&) = delete;
  ParseResultGuard& operator=(const ParseResultGuard&) = delete;
  const PgQueryParseResult& operator*() const { return result_; }

 private:
  PgQueryParseResult result_;
};

void split_statements(const std::string& input, const std::shared_ptr<const ParseTree>& tree,
                      SplitResult& result) {
  for (const Node& raw : tree->root()["stmts"].items()) {
    auto begin = static_cast<std::size_t>(raw["stmt_location"].integer());
    auto length = static_cast<std::size_t>(raw["stmt_len"].integer());
    // stmt_len 0: the statement runs to the end of the input.
    std::size_t end = length == 0 ? input.size() : std::min(input.size(), begin + length);
    if (begin > end) {
      continue;
    }
    ByteRange range = statement_range(input, begin, end);
    Statement statement;
    statement.text = input.substr(range.begin, range.end - range.begin);
    statement.offset = range.begin;
    // The aliasing constructor: the statement's node, kept alive by the whole tree.
    statement.tree = std::shared_ptr<const Node>(tree, &raw["stmt"]);
    statement.info = classify_statement(raw["stmt"], input, range.end);
    result.statements.push_back(std::move(statement));
  }
}

}  // namespace

SplitResult parse_statements(std::string_view sql) {
  SplitResult result;
  if (sql.find('\0') != std::string_view::npos) {
    result.error = nul_byte_error(sql);
    return result;
  }
  std::string input(sql);  // pg_query_parse reads a NUL-terminated string
  ParseResultGuard parsed(pg_query_parse(input.c_str()));
  if ((*parsed).error != nullptr) {
    result.error = ParseError{(*parsed).error->message,
                              byte_offset_of_character(input, (*parsed).error->cursorpos)};
    return result;
  }
  std::shared_ptr<const ParseTree> tree = ParseTree::from_json((*parsed).parse_tree);
  if (tree == nullptr) {
    result.error = ParseError{"libpg_query returned a parse tree that is not JSON", 0};
    return result;
  }
  split_statements(input, tree, result);
  return result;
}

bool all_can_run_in_transaction(const std::vector<Statement>& statements) {
  return std::all_of(statements.begin(), statements.end(),
                     [](const Statement& s) { return s.info.can_run_in_transaction; });
}

}  // namespace runbook::sql

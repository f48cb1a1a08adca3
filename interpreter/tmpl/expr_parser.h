#pragma once
// Parses the expressions of the template language.
//
// Grammar, loosest binding first (as in Jinja):
//   or_expr     := and_expr ('or' and_expr)*
//   and_expr    := not_expr ('and' not_expr)*
//   not_expr    := 'not' not_expr | comparison
//   comparison  := concat [('=='|'!='|'<'|'<='|'>'|'>='|'in'|'not' 'in') concat]
//   concat      := additive ('~' additive)*
//   additive    := term (('+'|'-') term)*
//   term        := unary (('*'|'/'|'%') unary)*
//   unary       := ('-'|'+') unary | filtered
//   filtered    := postfix ('|' NAME ['(' args ')'])*
//   postfix     := primary ('.' NAME | '[' or_expr ']')*
//   primary     := NAME | STRING | INTEGER | DECIMAL | true | false | none | null
//                | '(' or_expr ')' | '[' [or_expr (',' or_expr)* [',']] ']'
// Trees deeper than kMaxExprDepth are refused, so that evaluating and freeing
// them cannot exhaust the stack.

#include "tmpl/ast.h"
#include "tmpl/lexer.h"

#include <vector>

namespace runbook::tmpl {

class ExprParser {
 public:
  // `tokens` come from lex_expression() and end with Tok::end.
  ExprParser(std::vector<Token> tokens, ErrorSink& errors);

  // One expression, then the end of the tokens; nullptr after an error (reported).
  ExprPtr parse_all();
  // One expression, leaving what follows; nullptr after an error (reported).
  ExprPtr parse();

  const Token& peek(std::size_t ahead = 0) const;
  Token advance();
  bool at_end() const { return peek().kind == Tok::end; }
  bool at_word(std::string_view word, std::size_t ahead = 0) const;
  // Reports "expected ..., found ..." at the next token.
  void unexpected(std::string_view what_was_expected);

 private:
  ExprPtr or_expr();
  ExprPtr and_expr();
  ExprPtr not_expr();
  ExprPtr comparison();
  ExprPtr concat();
  ExprPtr additive();
  ExprPtr term();
  ExprPtr unary();
  ExprPtr filtered();
  ExprPtr filter_call(ExprPtr operand);
  ExprPtr postfix();
  ExprPtr primary();
  ExprPtr word(const Token& t);
  ExprPtr number(const Token& t);
  ExprPtr list_literal(const Token& open);
  bool comma_list(std::vector<ExprPtr>& into);
  ExprPtr binary(Op op, std::size_t op_offset, ExprPtr left, ExprPtr right);
  ExprPtr node(ExprKind kind, std::size_t begin, std::size_t end, std::vector<ExprPtr> children);
  bool expect(Tok kind, std::string_view what);
  ExprPtr error(std::size_t offset, std::string message, std::string hint = {});

  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  ErrorSink& errors_;
  int recursion_ = 0;
  bool failed_ = false;
};

// Decodes a string literal as written (quotes included): \n, \t, \r, \\, \'
// and \" are escapes; any other backslash is kept.
std::string decode_string_literal(std::string_view literal);

// Words that cannot be names: true, false, none, null, and, or, not, in, is...
bool is_reserved_word(std::string_view word);

}  // namespace runbook::tmpl

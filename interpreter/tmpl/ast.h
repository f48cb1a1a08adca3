#pragma once
// The parsed form of a template and of its expressions.
//
// Every node keeps byte offsets into the template text it came from (not
// copies of it), so that evaluation errors point at file:line:col and a
// deferred value can show the expression as the author wrote it.

#include "model/value.h"
#include "tmpl/sql_context.h"

#include <cstddef>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace runbook::tmpl {

struct FilterDef;

enum class ExprKind {
  literal,    // 'text', 42, 1.5, true, none
  name,       // params
  attribute,  // object.name
  index,      // object[key]
  list,       // [a, b]
  unary,      // not a, -a
  binary,     // a op b
  filter,     // operand | name(args)
};

enum class Op {
  negate,
  plus,
  not_,
  or_,
  and_,
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  in,
  not_in,
  concat,
  add,
  sub,
  mul,
  div,
  mod,
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
  ExprKind kind = ExprKind::literal;
  std::size_t begin = 0;  // the expression as written: text[begin, end)
  std::size_t end = 0;
  std::size_t name_offset = 0;  // name, attribute, filter: where the name is
  int depth = 1;                // of the tree below, this node included
  Op op = Op::eq;
  Value literal;
  std::string name;                   // name, attribute or filter name
  const FilterDef* filter = nullptr;  // filter
  // unary: operand; binary: left, right; attribute: object; index: object,
  // key; list: items; filter: operand, then arguments.
  std::vector<ExprPtr> children;
};

struct Node;
using Body = std::vector<Node>;

struct TextNode {
  std::size_t begin = 0;  // text[begin, end) after whitespace control
  std::size_t end = 0;
};

struct OutputNode {
  ExprPtr expr;
  std::size_t offset = 0;  // of the `{{`
  SqlSpot spot;            // where it lands in the SQL (SQL context only)
};

struct IfBranch {
  ExprPtr condition;
  Body body;
};

struct IfNode {
  std::size_t offset = 0;
  std::vector<IfBranch> branches;  // if, then each elif
  Body else_body;
};

struct ForNode {
  std::size_t offset = 0;
  std::string variable;
  ExprPtr list;
  Body body;
  Body else_body;  // rendered when the list is empty
};

struct Node {
  std::variant<TextNode, OutputNode, IfNode, ForNode> v;
};

struct Template {
  Body body;
};

}  // namespace runbook::tmpl

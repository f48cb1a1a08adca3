#pragma once
// What kind of statement a parse tree is (internal to sql/; see statements.h).

#include "sql/parse_node.h"
#include "sql/statements.h"

#include <string_view>

namespace runbook::sql {

// `stmt` is the statement's wrapper node; `input` is the whole text given to
// the parser, which parse-tree locations index into, and `end` the byte
// where this statement's text ends in it.
StatementInfo classify_statement(const Node& stmt, std::string_view input, std::size_t end);

// True for a plain read (StatementInfo::read_only) of a statement node.
bool is_read_only(const Node& stmt);
// True for a statement that changes data, schema or server state.
bool is_writing(const Node& stmt);

}  // namespace runbook::sql

#pragma once
// SQL understood with PostgreSQL's own parser (libpg_query).
//
// Splits a step's rendered SQL into statements and classifies each one:
// can it run inside a transaction block, is it transaction control, does it
// write, what kind of statement it is. This header is free of libpg_query;
// only statements.cc includes it.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace runbook::sql {

struct StatementInfo {
  std::string node;  // parse-tree node, e.g. "IndexStmt", "AlterTableStmt"
  std::string tag;   // command tag words, e.g. "CREATE INDEX", "ALTER TABLE"
  bool transaction_control = false;   // BEGIN/COMMIT/ROLLBACK/SAVEPOINT/...
  bool can_run_in_transaction = true;  // false: CREATE INDEX CONCURRENTLY, VACUUM, ...
  bool read_only = false;              // SELECT without locking clause/side effects, SHOW, ...
  bool concurrently = false;
};

struct Statement {
  std::string text;        // the statement, without surrounding whitespace/comments
  std::size_t offset = 0;  // byte offset of `text` in the input
  StatementInfo info;
  std::string parse_tree_json;  // libpg_query JSON of this statement (for lock analysis)
};

struct ParseError {
  std::string message;     // PostgreSQL's message, e.g. `syntax error at or near "FORM"`
  std::size_t offset = 0;  // byte offset in the input
};

struct SplitResult {
  std::vector<Statement> statements;
  std::optional<ParseError> error;
};

// Parses `sql` (one or more statements). Empty input gives no statements.
SplitResult parse_statements(std::string_view sql);

// The transaction mode a step's statements call for (DESIGN §1 "Transactions").
bool all_can_run_in_transaction(const std::vector<Statement>& statements);

}  // namespace runbook::sql

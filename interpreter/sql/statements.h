#pragma once
// SQL understood with PostgreSQL's own parser (libpg_query).
//
// Splits a step's rendered SQL into statements and classifies each one:
// can it run inside a transaction block, is it transaction control, does it
// write, what kind of statement it is, which relations it names. This header
// is free of libpg_query; only the .cc files of sql/ include it.
//
// Everything here comes from the parse tree alone: no database is consulted.
// Where PostgreSQL decides at run time (a SELECT calling a volatile function,
// a REINDEX of what turns out to be a partitioned table), the classification
// says what the statement's shape says and the comments name the exception.
//
// Thread safety: libpg_query keeps per-thread memory contexts; calling
// parse_statements from several threads at once is safe.

#include "sql/relation_name.h"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace runbook::sql {

class Node;

// A run-time parameter set by the statement (SET, SET LOCAL, RESET).
struct SettingChange {
  std::string name;    // "lock_timeout"; "all" for RESET ALL
  std::string value;   // as written without quotes: "2s", "0"; "DEFAULT"; "" for RESET
  bool local = false;  // SET LOCAL: lasts until the end of the transaction only
};

struct StatementInfo {
  std::string node;                    // parse-tree node, e.g. "IndexStmt", "AlterTableStmt"
  std::string tag;                     // command tag words, e.g. "CREATE INDEX", "ALTER TABLE"
  bool transaction_control = false;    // BEGIN/COMMIT/ROLLBACK/SAVEPOINT/...
  bool can_run_in_transaction = true;  // false: CREATE INDEX CONCURRENTLY, VACUUM, ...
  // PostgreSQL's words when !can_run_in_transaction, e.g. "CREATE INDEX
  // CONCURRENTLY cannot run inside a transaction block".
  std::string no_transaction_reason;
  // LOCK TABLE, DECLARE CURSOR (without HOLD), SAVEPOINT/RELEASE/ROLLBACK TO
  // fail outside a transaction block; SET LOCAL and SET TRANSACTION have no
  // effect there. The reason says which.
  bool needs_transaction = false;
  std::string needs_transaction_reason;
  // A plain read: SELECT/VALUES/TABLE without FOR UPDATE/SHARE, without INTO
  // and without data-modifying WITH; SHOW; EXPLAIN unless it ANALYZEs a
  // statement that is not read-only. A read that calls a volatile function
  // (nextval(), a function that writes) still counts as read-only here: only
  // the server knows what a function does, and a READ ONLY transaction stops
  // such a call at run time.
  bool read_only = false;
  // Changes data, schema or server state: DML, DDL, maintenance, GRANT,
  // DO/CALL/EXECUTE (their bodies are unknown). Not writes: reads, SELECT
  // FOR UPDATE (row locks only), SET/SHOW/RESET, transaction control, LOCK,
  // LISTEN/NOTIFY, PREPARE/DEALLOCATE, cursors, CHECKPOINT.
  bool writes = false;
  bool concurrently = false;  // a CONCURRENTLY form
  // COPY ... FROM STDIN or TO STDOUT: it streams data through the client,
  // which a step has no data for (psql's \copy does this from a command step).
  bool client_copy = false;
  // Relations the statement names, in the order written, without duplicates
  // and without names that refer to its own WITH queries.
  std::vector<RelationName> relations;
  std::optional<SettingChange> setting;  // for SET / RESET
};

struct Statement {
  // The statement without surrounding whitespace and comments and without
  // its terminating semicolon.
  std::string text;
  std::size_t offset = 0;  // byte offset of `text` in the input
  StatementInfo info;
  // The statement's parse tree (for lock_impact.h); shares the tree of the
  // whole input. Never null for a statement returned by parse_statements.
  std::shared_ptr<const Node> tree;
};

struct ParseError {
  std::string message;     // PostgreSQL's message, e.g. `syntax error at or near "FORM"`
  std::size_t offset = 0;  // byte offset in the input; 0 when PostgreSQL gives no position
};

struct SplitResult {
  std::vector<Statement> statements;
  std::optional<ParseError> error;  // set: `statements` is empty
};

// Parses `sql` (one or more statements). Empty input, or only whitespace and
// comments, gives no statements. A syntax error anywhere fails the whole
// input, as it would fail in psql's single-query mode.
SplitResult parse_statements(std::string_view sql);

// The transaction mode a step's statements call for (DESIGN §1 "Transactions").
bool all_can_run_in_transaction(const std::vector<Statement>& statements);

}  // namespace runbook::sql

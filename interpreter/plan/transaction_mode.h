#pragma once
// Deciding how a step's SQL is wrapped (DESIGN §1 "Transactions").
//
// auto: one transaction when every statement can run in a transaction block,
// else each statement in autocommit. `transaction: true` with a statement
// that cannot run in a block is an error, and so is BEGIN/COMMIT written in
// a step: the interpreter owns transactions.

#include "base/diagnostic.h"
#include "model/runbook.h"
#include "plan/execution_plan.h"

namespace runbook::plan {

// For the SQL of a sql step or a rollback.
TxMode decide_write_tx(const RenderedSql& sql, TransactionMode requested, bool batched,
                       Diagnostics& diags);

// For a check (query step, verify, when-query): every statement must be a
// plain read. `what` names it in messages ("query step", "verify query").
TxMode decide_read_tx(const RenderedSql& sql, const char* what, Diagnostics& diags);

// The file position of byte `offset` of the rendered SQL: in static text the
// very byte, in a value written by `{{ }}` the `{{`.
Location locate_in_source(const RenderedSql& sql, std::size_t offset);

// The file position of the place the server points at in `statement` (one
// of `sql`'s), given as PostgreSQL does: the 1-based count of characters
// (not bytes) into the statement's text.
Location locate_server_position(const RenderedSql& sql, const sql::Statement& statement,
                                std::size_t position);

}  // namespace runbook::plan

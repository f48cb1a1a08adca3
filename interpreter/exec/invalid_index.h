#pragma once
// A CREATE INDEX CONCURRENTLY that does not finish (cancelled, timed out,
// its connection or its server lost, a unique violation) leaves an INVALID
// index behind. Run again, `IF NOT EXISTS` would take it for done and a
// plain CREATE would fail on its name; so before a statement like that runs
// again, the INVALID index it left is dropped (DROP INDEX CONCURRENTLY).

#include "exec/run_context.h"

#include <optional>

namespace runbook::exec {

// Drops the INVALID index of that name on that table, if there is one, and
// says so to the observer. Nothing for other statements.
std::optional<SqlError> drop_invalid_index(RunContext& ctx, const plan::PlannedStep& step,
                                           const sql::Statement& statement);

// True when the journal says the step's last attempt did not finish: it was
// left running by a crash, or failed.
bool left_unfinished(const RunContext& ctx, const plan::PlannedStep& step);

}  // namespace runbook::exec

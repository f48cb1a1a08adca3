#pragma once
// `runbook rollback`: undo what the journal says was applied, newest first,
// with each step's rollback as the current file renders it (DESIGN §2).
//
// Everything is decided before anything is undone: a step whose SQL changed
// since it was applied (exit 5, unless allowed), one no longer in the
// runbook (exit 5), an irreversible one (NO-GO, exit 1; `--to` keeps it,
// `keep_irreversible` passes over it) stop the rollback with the database
// untouched. A step without a rollback
// is reported and passed over, as `run --on-failure rollback` does. Each
// rollback is journalled (status rolled_back) with the transaction rules of
// step SQL; one that fails stops the rest (exit 4), its step staying done
// with the error recorded.

#include "exec/executor.h"

#include <string>

namespace runbook::exec {

struct RollbackOptions {
  std::string to;                  // keep this step and those before it; "" undoes everything
  bool dry_run = false;            // say what would be undone; write nothing
  bool allow_changed = false;      // undo steps whose SQL changed since, with today's rollback
  bool keep_irreversible = false;  // leave irreversible steps applied instead of stopping
  std::string journal_schema = "runbook";
};

// `record` arrives with the identity of this rollback (id, runbook, file,
// user, host, version, started_at, params); its steps are those undone (or
// that would be), newest first.
RunRecord rollback_history(plan::ExecutionPlan& plan, const RollbackOptions& options, Ports& ports,
                           RunRecord record);

}  // namespace runbook::exec

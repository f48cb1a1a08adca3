#pragma once
// PostgreSQL's eight table-level lock modes and what each one blocks.
//
// Conflicts are PostgreSQL 15's Table 13.2 ("Conflicting Lock Modes").
// Ordinary traffic takes the weakest modes: SELECT takes ACCESS SHARE,
// SELECT ... FOR UPDATE/SHARE takes ROW SHARE, INSERT/UPDATE/DELETE/MERGE take
// ROW EXCLUSIVE. What a mode "blocks" is what it does to that traffic.

#include <optional>
#include <string_view>

namespace runbook::sql {

// In increasing strength, numbered as PostgreSQL's lock levels 1..8.
enum class LockMode {
  access_share = 1,
  row_share,
  row_exclusive,
  share_update_exclusive,
  share,
  share_row_exclusive,
  exclusive,
  access_exclusive,
};

// No mode blocks reads without blocking writes: only ACCESS EXCLUSIVE
// conflicts with ACCESS SHARE, and it conflicts with everything.
enum class Blocks { nothing, writes, reads_and_writes };

std::string_view lock_mode_name(LockMode mode);      // "ACCESS EXCLUSIVE", as in LOCK ... IN x MODE
std::string_view lock_mode_short(LockMode mode);     // "AE"
std::string_view lock_mode_pg_locks(LockMode mode);  // "AccessExclusiveLock", as in pg_locks.mode
std::optional<LockMode> lock_mode_from_pg_locks(std::string_view mode);
// LockStmt.mode and PostgreSQL's lock levels: 1 (AS) .. 8 (AE).
std::optional<LockMode> lock_mode_from_level(long level);

// Whether a lock held in `held` makes a request for `requested` wait.
bool conflicts(LockMode held, LockMode requested);
Blocks blocks(LockMode mode);
// SELECT ... FOR UPDATE/SHARE waits too (EXCLUSIVE and ACCESS EXCLUSIVE).
bool blocks_row_locking(LockMode mode);
// "blocks reads and writes", "blocks writes", "does not block reads or writes".
std::string_view blocks_words(Blocks b);

}  // namespace runbook::sql

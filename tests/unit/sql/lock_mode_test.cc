#include "sql/lock_mode.h"

#include <doctest/doctest.h>

using runbook::sql::Blocks;
using runbook::sql::LockMode;

TEST_SUITE("sql::lock_mode") {
  TEST_CASE("names in the three spellings") {
    CHECK(runbook::sql::lock_mode_name(LockMode::share_update_exclusive) ==
          "SHARE UPDATE EXCLUSIVE");
    CHECK(runbook::sql::lock_mode_short(LockMode::share_row_exclusive) == "SRE");
    CHECK(runbook::sql::lock_mode_pg_locks(LockMode::access_exclusive) == "AccessExclusiveLock");
    for (int level = 1; level <= 8; ++level) {
      LockMode m = *runbook::sql::lock_mode_from_level(level);
      CHECK(static_cast<int>(m) == level);
      CHECK(runbook::sql::lock_mode_from_pg_locks(runbook::sql::lock_mode_pg_locks(m)) == m);
    }
    CHECK_FALSE(runbook::sql::lock_mode_from_level(0).has_value());
    CHECK_FALSE(runbook::sql::lock_mode_from_level(9).has_value());
    CHECK_FALSE(runbook::sql::lock_mode_from_pg_locks("ShareLocks").has_value());
  }

  TEST_CASE("conflict matrix is PostgreSQL's Table 13.2") {
    // Rows: held AS..AE; columns: requested AS..AE; X = conflict.
    const char* matrix[8] = {
        ".......X", "......XX", "....XXXX", "...XXXXX",
        "..XX.XXX", "..XXXXXX", ".XXXXXXX", "XXXXXXXX",
    };
    for (int held = 1; held <= 8; ++held) {
      for (int requested = 1; requested <= 8; ++requested) {
        bool expected = matrix[held - 1][requested - 1] == 'X';
        CHECK(runbook::sql::conflicts(static_cast<LockMode>(held),
                                      static_cast<LockMode>(requested)) == expected);
      }
    }
  }

  TEST_CASE("what each mode blocks") {
    using runbook::sql::blocks;
    CHECK(blocks(LockMode::access_share) == Blocks::nothing);
    CHECK(blocks(LockMode::row_share) == Blocks::nothing);
    CHECK(blocks(LockMode::row_exclusive) == Blocks::nothing);
    CHECK(blocks(LockMode::share_update_exclusive) == Blocks::nothing);
    CHECK(blocks(LockMode::share) == Blocks::writes);
    CHECK(blocks(LockMode::share_row_exclusive) == Blocks::writes);
    CHECK(blocks(LockMode::exclusive) == Blocks::writes);
    CHECK(blocks(LockMode::access_exclusive) == Blocks::reads_and_writes);
    CHECK(runbook::sql::blocks_row_locking(LockMode::exclusive));
    CHECK_FALSE(runbook::sql::blocks_row_locking(LockMode::share_row_exclusive));
    CHECK(runbook::sql::blocks_words(Blocks::writes) == "blocks writes");
  }
}

#include "sql/lock_mode.h"

#include <array>

namespace runbook::sql {

namespace {

struct ModeNames {
  std::string_view name;
  std::string_view short_name;
  std::string_view pg_locks;
};

constexpr std::array<ModeNames, 8> kNames = {{
    {"ACCESS SHARE", "AS", "AccessShareLock"},
    {"ROW SHARE", "RS", "RowShareLock"},
    {"ROW EXCLUSIVE", "RE", "RowExclusiveLock"},
    {"SHARE UPDATE EXCLUSIVE", "SUE", "ShareUpdateExclusiveLock"},
    {"SHARE", "S", "ShareLock"},
    {"SHARE ROW EXCLUSIVE", "SRE", "ShareRowExclusiveLock"},
    {"EXCLUSIVE", "E", "ExclusiveLock"},
    {"ACCESS EXCLUSIVE", "AE", "AccessExclusiveLock"},
}};

// Bit i-1 set: conflicts with level i. Row r is the held mode.
constexpr std::array<unsigned, 8> kConflicts = {
    0b10000000,  // AS:  AE
    0b11000000,  // RS:  E, AE
    0b11110000,  // RE:  S, SRE, E, AE
    0b11111000,  // SUE: SUE, S, SRE, E, AE
    0b11101100,  // S:   RE, SUE, SRE, E, AE
    0b11111100,  // SRE: RE, SUE, S, SRE, E, AE
    0b11111110,  // E:   RS .. AE
    0b11111111,  // AE:  everything
};

std::size_t index_of(LockMode mode) {
  return static_cast<std::size_t>(mode) - 1;
}

}  // namespace

std::string_view lock_mode_name(LockMode mode) {
  return kNames[index_of(mode)].name;
}
std::string_view lock_mode_short(LockMode mode) {
  return kNames[index_of(mode)].short_name;
}
std::string_view lock_mode_pg_locks(LockMode mode) {
  return kNames[index_of(mode)].pg_locks;
}

std::optional<LockMode> lock_mode_from_pg_locks(std::string_view mode) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i].pg_locks == mode) {
      return static_cast<LockMode>(i + 1);
    }
  }
  return std::nullopt;
}

std::optional<LockMode> lock_mode_from_level(long level) {
  if (level < 1 || level > 8) {
    return std::nullopt;
  }
  return static_cast<LockMode>(level);
}

bool conflicts(LockMode held, LockMode requested) {
  return (kConflicts[index_of(held)] >> index_of(requested) & 1) != 0;
}

Blocks blocks(LockMode mode) {
  if (conflicts(mode, LockMode::access_share)) {
    return Blocks::reads_and_writes;
  }
  return conflicts(mode, LockMode::row_exclusive) ? Blocks::writes : Blocks::nothing;
}

bool blocks_row_locking(LockMode mode) {
  return conflicts(mode, LockMode::row_share);
}

std::string_view blocks_words(Blocks b) {
  switch (b) {
    case Blocks::reads_and_writes:
      return "blocks reads and writes";
    case Blocks::writes:
      return "blocks writes";
    case Blocks::nothing:
      break;
  }
  return "does not block reads or writes";
}

}  // namespace runbook::sql

#pragma once
// What the terminal on a file descriptor can take.

#include <chrono>
#include <optional>

namespace runbook::adapters {

// Whether `fd` is a terminal: the running step's line can then be rewritten
// in place.
bool is_terminal(int fd);

// Whether to colour output written to `fd`: only on a terminal, never when
// NO_COLOR is set (to any value, even empty: https://no-color.org) and never
// when TERM is "dumb".
bool colour_wanted(int fd);

// RUNBOOK_PROGRESS_INTERVAL ("200ms", "2s"): how often progress of long work
// is shown, on a terminal and in a log alike; nullopt when unset or invalid.
std::optional<std::chrono::milliseconds> progress_interval();

}  // namespace runbook::adapters

#pragma once
// What the terminal on a file descriptor can take.

namespace runbook::adapters {

// Whether `fd` is a terminal: the running step's line can then be rewritten
// in place.
bool is_terminal(int fd);

// Whether to colour output written to `fd`: only on a terminal, never when
// NO_COLOR is set (to any value, even empty: https://no-color.org) and never
// when TERM is "dumb".
bool colour_wanted(int fd);

}  // namespace runbook::adapters

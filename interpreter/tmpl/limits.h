#pragma once
// Bounds that keep a hostile or mistaken template from exhausting the machine.
// Templates come from runbook files, which may be fuzzed or simply wrong: every
// loop in the engine is bounded by one of these.

#include <cstddef>

namespace runbook::tmpl {

// `{% if %}` / `{% for %}` blocks open at once.
inline constexpr int kMaxBlockDepth = 64;
// Depth of an expression tree (parentheses, operators, filters, lookups).
inline constexpr int kMaxExprDepth = 128;
// Nesting of list values written into SQL.
inline constexpr int kMaxValueDepth = 64;
// Size of the rendered text, and of any string built while rendering.
inline constexpr std::size_t kMaxOutputBytes = std::size_t{16} << 20;
// Evaluation steps (expressions evaluated, loop iterations, list elements
// copied) in one render: loops that write nothing must still end.
inline constexpr std::size_t kMaxWork = 250'000;

}  // namespace runbook::tmpl

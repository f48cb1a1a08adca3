#pragma once
// A unified diff of two texts, line by line (Myers' O(ND) algorithm), for
// `runbook plan --diff OLD NEW`: what a change to a runbook changes in its
// rendered plan.

#include <string>
#include <string_view>

namespace runbook::report {

// "" when the texts are equal; otherwise hunks with `context` lines around
// each change, headed by `--- old_name` / `+++ new_name`.
std::string unified_diff(std::string_view old_text, std::string_view new_text,
                         const std::string& old_name, const std::string& new_name, int context = 3);

}  // namespace runbook::report

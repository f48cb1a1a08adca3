#pragma once
// "Did you mean" suggestions.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace runbook {

// Levenshtein distance, bounded: returns max_distance + 1 as soon as it is exceeded.
int edit_distance(std::string_view a, std::string_view b, int max_distance);

// The candidate closest to `word`, if one is close enough to be a likely typo.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);

// `did you mean "x"?`, or "" when nothing is close: ready to use as a hint.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace runbook

#include "base/edit_distance.h"

#include "base/strings.h"

#include <algorithm>

namespace runbook {

// Optimal string alignment distance: Levenshtein plus adjacent transpositions,
// since "stpes" for "steps" is the most common typo of all.
int edit_distance(std::string_view a, std::string_view b, int max_distance) {
  int la = static_cast<int>(a.size()), lb = static_cast<int>(b.size());
  if (std::abs(la - lb) > max_distance) {
    return max_distance + 1;
  }
  std::vector<std::vector<int>> d(la + 1, std::vector<int>(lb + 1));
  for (int i = 0; i <= la; ++i) {
    d[i][0] = i;
  }
  for (int j = 0; j <= lb; ++j) {
    d[0][j] = j;
  }
  for (int i = 1; i <= la; ++i) {
    int row_best = d[i][0];
    for (int j = 1; j <= lb; ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
      row_best = std::min(row_best, d[i][j]);
    }
    if (row_best > max_distance + 1) {
      return max_distance + 1;
    }
  }
  return std::min(d[la][lb], max_distance + 1);
}

std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates) {
  // Allow roughly one typo per three characters, at least one and at most three.
  int allowed = std::clamp(static_cast<int>(word.size()) / 3, 1, 3);
  std::optional<std::string> best;
  int best_distance = allowed + 1;
  std::string lowered = to_lower(word);
  for (const std::string& c : candidates) {
    int d = edit_distance(lowered, to_lower(c), allowed);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  auto match = closest_match(word, candidates);
  if (!match) {
    return {};
  }
  return "did you mean \"" + *match + "\"?";
}

}  // namespace runbook

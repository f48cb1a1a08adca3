#include "adapters/term/side_by_side.h"

#include "base/strings.h"

#include <algorithm>

namespace runbook::adapters {

namespace {

std::vector<std::string> lines_of(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  std::vector<std::string> out;
  for (std::string_view line : split_lines(text)) {
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    out.emplace_back(line);
  }
  return out;
}

std::string without_trailing_spaces(std::string s) {
  while (!s.empty() && s.back() == ' ') {
    s.pop_back();
  }
  return s;
}

std::vector<std::string> stacked(std::string_view left_title, const std::vector<std::string>& left,
                                 std::string_view right_title,
                                 const std::vector<std::string>& right) {
  std::vector<std::string> out;
  out.push_back(std::string(left_title) + ":");
  for (const std::string& l : left) {
    out.push_back(without_trailing_spaces("  " + l));
  }
  out.push_back(std::string(right_title) + ":");
  for (const std::string& r : right) {
    out.push_back(without_trailing_spaces("  " + r));
  }
  return out;
}

}  // namespace

std::size_t display_width(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::vector<std::string> side_by_side(std::string_view left_title, std::string_view left,
                                      std::string_view right_title, std::string_view right,
                                      std::size_t max_width) {
  std::vector<std::string> l = lines_of(left), r = lines_of(right);
  l.insert(l.begin(), std::string(left_title));
  r.insert(r.begin(), std::string(right_title));
  std::size_t left_width = 0, right_width = 0;
  for (const std::string& s : l) {
    left_width = std::max(left_width, display_width(s));
  }
  for (const std::string& s : r) {
    right_width = std::max(right_width, display_width(s));
  }
  constexpr std::string_view kBar = " │ ";
  if (left_width + display_width(kBar) + right_width > max_width) {
    return stacked(left_title, {l.begin() + 1, l.end()}, right_title, {r.begin() + 1, r.end()});
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < std::max(l.size(), r.size()); ++i) {
    std::string a = i < l.size() ? l[i] : "";
    a.append(left_width - display_width(a), ' ');
    out.push_back(without_trailing_spaces(a + std::string(kBar) + (i < r.size() ? r[i] : "")));
  }
  return out;
}

}  // namespace runbook::adapters

#include "report/line_diff.h"

#include "base/strings.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace runbook::report {

namespace {

enum class Op { keep, remove, add };

struct Edit {
  Op op;
  std::size_t old_line, new_line;  // 0-based positions
};

// The shortest edit script from `a` to `b` (Myers 1986), as a list of edits
// in order. Memory is O((N+M)·D): fine for plans, whose diffs are small.
std::vector<Edit> shortest_edit(const std::vector<std::string_view>& a,
                                const std::vector<std::string_view>& b) {
  const long n = static_cast<long>(a.size()), m = static_cast<long>(b.size());
  const long max = n + m;
  std::vector<long> v(static_cast<std::size_t>(2 * max + 2), 0);
  std::vector<std::vector<long>> trace;
  auto at = [&](long k) -> long& { return v[static_cast<std::size_t>(k + max + 1)]; };
  for (long d = 0; d <= max; ++d) {
    trace.push_back(v);
    for (long k = -d; k <= d; k += 2) {
      long x = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? at(k + 1) : at(k - 1) + 1;
      long y = x - k;
      while (x < n && y < m && a[static_cast<std::size_t>(x)] == b[static_cast<std::size_t>(y)]) {
        ++x;
        ++y;
      }
      at(k) = x;
      if (x >= n && y >= m) {
        // Walk back through the trace to recover the path.
        std::vector<Edit> edits;
        for (long dd = d; dd > 0; --dd) {
          const std::vector<long>& pv = trace[static_cast<std::size_t>(dd)];
          auto pat = [&](long kk) { return pv[static_cast<std::size_t>(kk + max + 1)]; };
          long kk = x - y;
          long prev_k = (kk == -dd || (kk != dd && pat(kk - 1) < pat(kk + 1))) ? kk + 1 : kk - 1;
          long prev_x = pat(prev_k), prev_y = prev_x - prev_k;
          while (x > prev_x && y > prev_y) {
            edits.push_back(
                {Op::keep, static_cast<std::size_t>(--x), static_cast<std::size_t>(--y)});
          }
          if (x == prev_x) {
            edits.push_back({Op::add, static_cast<std::size_t>(x), static_cast<std::size_t>(--y)});
          } else {
            edits.push_back(
                {Op::remove, static_cast<std::size_t>(--x), static_cast<std::size_t>(y)});
          }
        }
        while (x > 0 && y > 0) {
          edits.push_back({Op::keep, static_cast<std::size_t>(--x), static_cast<std::size_t>(--y)});
        }
        std::reverse(edits.begin(), edits.end());
        return edits;
      }
    }
  }
  return {};
}

std::string hunk(const std::vector<Edit>& edits, std::size_t begin, std::size_t end,
                 const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  std::size_t old_start = edits[begin].old_line, new_start = edits[begin].new_line;
  std::size_t old_count = 0, new_count = 0;
  std::string body;
  for (std::size_t i = begin; i < end; ++i) {
    const Edit& e = edits[i];
    if (e.op != Op::add) {
      ++old_count;
    }
    if (e.op != Op::remove) {
      ++new_count;
    }
    char mark = e.op == Op::keep ? ' ' : e.op == Op::remove ? '-' : '+';
    std::string_view line = e.op == Op::add ? b[e.new_line] : a[e.old_line];
    body += mark;
    body += line;
    body += '\n';
  }
  // Like git's function context: name the step (or phase) the hunk is in.
  std::string section;
  for (std::size_t line = std::min(old_start, a.size()); line-- > 0;) {
    std::string_view text = a[line];
    if (!text.empty() && (text[0] == '[' || text.substr(0, 3) == "== " || text[0] == '#')) {
      section = " " + std::string(text);
      break;
    }
  }
  return fmt::format("@@ -{},{} +{},{} @@{}\n", old_start + (old_count ? 1 : 0), old_count,
                     new_start + (new_count ? 1 : 0), new_count, section) +
         body;
}

}  // namespace

std::string unified_diff(std::string_view old_text, std::string_view new_text,
                         const std::string& old_name, const std::string& new_name, int context) {
  std::vector<std::string_view> a = split_lines(old_text), b = split_lines(new_text);
  std::vector<Edit> edits = shortest_edit(a, b);
  std::string out;
  std::size_t i = 0;
  const auto ctx = static_cast<std::size_t>(context);
  while (i < edits.size()) {
    while (i < edits.size() && edits[i].op == Op::keep) {
      ++i;
    }
    if (i == edits.size()) {
      break;
    }
    std::size_t begin = i >= ctx ? i - ctx : 0;
    std::size_t end = i;
    // Extend while the next change is within 2·context unchanged lines.
    while (end < edits.size()) {
      std::size_t run = 0;
      while (end + run < edits.size() && edits[end + run].op == Op::keep) {
        ++run;
      }
      if (end + run == edits.size() || run > 2 * ctx) {
        end += std::min(run, ctx);
        break;
      }
      end += run;
      while (end < edits.size() && edits[end].op != Op::keep) {
        ++end;
      }
    }
    out += hunk(edits, begin, end, a, b);
    i = end;
  }
  if (out.empty()) {
    return "";
  }
  return "--- " + old_name + "\n+++ " + new_name + "\n" + out;
}

}  // namespace runbook::report

#include "expect/display_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

namespace runbook::expect {
namespace {

struct Range {
  char32_t first, last;
};

// Zero-width marks most likely to be met in database text.
constexpr Range kCombining[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A}, {0x064B, 0x065F},
    {0x0E31, 0x0E31}, {0x0E34, 0x0E3A}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200B, 0x200F},
    {0x20D0, 0x20FF}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F},
};

// East Asian wide and full-width blocks, and the emoji blocks.
constexpr Range kWide[] = {
    {0x1100, 0x115F},   {0x2E80, 0x303E},   {0x3041, 0x33FF},   {0x3400, 0x4DBF},
    {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},
    {0xFE30, 0xFE4F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F},
    {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

template <std::size_t N>
bool in_ranges(char32_t c, const Range (&ranges)[N]) {
  return std::any_of(std::begin(ranges), std::end(ranges),
                     [c](const Range& r) { return c >= r.first && c <= r.last; });
}

// Decodes one UTF-8 sequence at `i`; returns its length, or 0 when invalid.
std::size_t decode_utf8(std::string_view s, std::size_t i, char32_t& c) {
  auto byte = [&s](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char lead = byte(i);
  std::size_t len = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
  if (len == 0 || lead >= 0xF8 || i + len > s.size()) {
    return 0;
  }
  c = lead & (0x7F >> len);
  for (std::size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      return 0;
    }
    c = (c << 6) | (byte(i + k) & 0x3F);
  }
  return len;
}

class LineBuilder {
 public:
  explicit LineBuilder(DisplayText& out) : out_(out) { start_line(); }

  void text(std::string_view bytes, int width) {
    out_.lines.back() += bytes;
    out_.widths.back() += width;
  }
  void tab() {
    do {
      text(" ", 1);
    } while (out_.widths.back() % 8 != 0);
  }
  void start_line() {
    out_.lines.emplace_back();
    out_.widths.push_back(0);
  }

 private:
  DisplayText& out_;
};

void append_ascii(LineBuilder& line, char c) {
  if (c == '\n') {
    line.start_line();
  } else if (c == '\t') {
    line.tab();
  } else if (c == '\r') {
    line.text("\\r", 2);
  } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
    line.text(fmt::format("\\x{:02X}", static_cast<unsigned char>(c)), 4);
  } else {
    line.text(std::string_view(&c, 1), 1);
  }
}

}  // namespace

int code_point_width(char32_t c) {
  if (c < 0x20 || (c >= 0x7F && c < 0xA0)) {
    return -1;
  }
  if (in_ranges(c, kCombining)) {
    return 0;
  }
  return in_ranges(c, kWide) ? 2 : 1;
}

DisplayText display_text(std::string_view value) {
  DisplayText out;
  LineBuilder line(out);
  std::size_t i = 0;
  while (i < value.size()) {
    if (static_cast<unsigned char>(value[i]) < 0x80) {
      append_ascii(line, value[i++]);
      continue;
    }
    char32_t c = 0;
    std::size_t len = decode_utf8(value, i, c);
    if (len == 0) {
      line.text(value.substr(i, 1), 1);
      ++i;
      continue;
    }
    int width = code_point_width(c);
    if (width < 0) {
      line.text(fmt::format("\\u{:04X}", static_cast<unsigned>(c)), 6);
    } else {
      line.text(value.substr(i, len), width);
    }
    i += len;
  }
  out.width = *std::max_element(out.widths.begin(), out.widths.end());
  return out;
}

}  // namespace runbook::expect

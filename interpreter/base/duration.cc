#include "base/duration.h"

#include "base/strings.h"

#include <fmt/format.h>

#include <charconv>
#include <utility>

namespace runbook {

namespace {

struct Unit {
  const char* name;
  long long ms;
};

// Longest first, so that "min" is not read as "m" + garbage; PostgreSQL's
// own unit names are all accepted.
constexpr Unit kUnits[] = {{"ms", 1},         {"s", 1000},     {"sec", 1000},
                           {"min", 60000},    {"m", 60000},    {"h", 3600000},
                           {"hour", 3600000}, {"d", 86400000}, {"day", 86400000}};

}  // namespace

std::optional<Millis> parse_duration(std::string_view text) {
  text = trim(text);
  long long number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || number < 0 || end == text.data()) {
    return std::nullopt;
  }
  std::string_view unit = trim(std::string_view(end, text.data() + text.size() - end));
  if (unit.empty()) {
    return Millis(number);
  }
  for (const Unit& u : kUnits) {
    if (unit == u.name) {
      if (number > (1LL << 50) / u.ms) {
        return std::nullopt;
      }
      return Millis(number * u.ms);
    }
  }
  return std::nullopt;
}

std::string format_duration(Millis d) {
  long long ms = d.count();
  if (ms == 0) {
    return "0";
  }
  if (ms % 3600000 == 0) {
    return fmt::format("{}h", ms / 3600000);
  }
  if (ms % 60000 == 0) {
    return fmt::format("{}min", ms / 60000);
  }
  if (ms % 1000 == 0) {
    return fmt::format("{}s", ms / 1000);
  }
  return fmt::format("{}ms", ms);
}

std::string human_duration(Millis d) {
  long long ms = d.count();
  if (ms < 1000) {
    return fmt::format("{} ms", ms);
  }
  if (ms < 60000) {
    return fmt::format("{:.1f} s", static_cast<double>(ms) / 1000.0);
  }
  long long s = ms / 1000;
  if (s < 3600) {
    return fmt::format("{} min {} s", s / 60, s % 60);
  }
  return fmt::format("{} h {} min", s / 3600, (s % 3600) / 60);
}

}  // namespace runbook

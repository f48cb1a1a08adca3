#pragma once
// Durations as authors write them ("2s", "5min", "100ms", "1h", "1d") and as
// PostgreSQL settings accept them.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace runbook {

using Millis = std::chrono::milliseconds;

// A bare number means milliseconds, as in PostgreSQL's timeout settings.
std::optional<Millis> parse_duration(std::string_view text);
// The shortest exact form: 2000ms -> "2s", 300000ms -> "5min", 150ms -> "150ms".
std::string format_duration(Millis d);
// "1.2 s", "340 ms", "2 min 5 s": for humans reading progress.
std::string human_duration(Millis d);

}  // namespace runbook

#pragma once
// JSON text written as it goes, for what a run writes (report.json): no
// document is built first, so a report of thousands of steps costs little.
// The text is what nlohmann::json's dump() gives for the same document:
// keys in the order written; compact (indent < 0) or pretty with `indent`
// spaces, empty containers as [] and {}; strings escaped alike (", \, and
// control characters; other UTF-8 as is), bytes that are not UTF-8 replaced
// by U+FFFD.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace runbook::report {

class JsonWriter {
 public:
  explicit JsonWriter(int indent = -1) : indent_(indent) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  // The key of the next value, inside an object.
  JsonWriter& key(std::string_view name);

  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
  JsonWriter& value(std::int64_t number);
  JsonWriter& value(int number) { return value(static_cast<std::int64_t>(number)); }
  JsonWriter& value(bool flag);
  JsonWriter& null();
  // A string, or null when absent.
  JsonWriter& value(const std::optional<std::string>& text);

  // The text written so far; the writer is empty afterwards.
  std::string take() { return std::move(out_); }

 private:
  // Separator and indentation before a value or key in the current container.
  void next_item();
  JsonWriter& open(char bracket);
  JsonWriter& close(char bracket);
  void newline(std::size_t depth);

  std::string out_;
  int indent_;
  std::vector<bool> empty_;  // per open container: nothing written in it yet
  bool after_key_ = false;
};

// `text` as a JSON string literal, quotes included (see JsonWriter).
void append_json_string(std::string& out, std::string_view text);

}  // namespace runbook::report

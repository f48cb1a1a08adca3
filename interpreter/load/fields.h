#pragma once
// Reading the fields of a YAML mapping into typed values, reporting every
// problem (unknown key with a did-you-mean hint, wrong type, value out of
// the allowed set) at the field's file:line:col.

#include "base/diagnostic.h"
#include "base/duration.h"
#include "load/yaml_reader.h"
#include "model/value.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace runbook::load {

class Fields {
 public:
  // `what` names the mapping in messages ("step", "runbook", "retry", ...).
  Fields(const Node& mapping, std::string what, Diagnostics& diags);

  // Reports every key not in `allowed`, with a did-you-mean hint.
  void only(const std::vector<std::string>& allowed) const;

  const Node* get(std::string_view key) const { return mapping_.get(key); }
  bool has(std::string_view key) const { return get(key) != nullptr; }

  std::optional<std::string> string(std::string_view key) const;
  std::optional<SourceText> text(std::string_view key) const;
  std::optional<bool> boolean(std::string_view key) const;
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min) const;
  std::optional<double> number(std::string_view key) const;
  std::optional<Millis> duration(std::string_view key) const;
  // The index of the value in `choices`, or nullopt (reported) when it is not one of them.
  std::optional<std::size_t> choice(std::string_view key,
                                    const std::vector<std::string>& choices) const;
  std::optional<std::vector<std::string>> string_list(std::string_view key) const;

  const Node& node() const { return mapping_; }
  Diagnostics& diags() const { return diags_; }

 private:
  const Node& mapping_;
  std::string what_;
  Diagnostics& diags_;
};

// A YAML value as a Value: plain scalars become booleans, integers, numbers
// or null when they read as such; quoted scalars stay strings.
Value to_value(const Node& node);

// The index of `node`'s value in `choices`, or nullopt (reported).
std::optional<std::size_t> choice_of(const Node& node, std::string_view what,
                                     const std::vector<std::string>& choices, Diagnostics& diags);

// Reports that `node` has the wrong shape: "`key` must be a list, not a mapping".
void report_shape(Diagnostics& diags, const Node& node, std::string_view what,
                  std::string_view expected);

}  // namespace runbook::load

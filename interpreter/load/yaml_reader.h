#pragma once
// YAML text -> a located node tree. The only user of yaml-cpp.
//
// The rest of the loader walks this tree, so every value it reads knows its
// file:line:col, and scalars that hold templates or SQL carry a TextOrigin
// mapping each byte back to the file (block scalars line by line).
// Duplicate keys, non-scalar keys, alias bombs and absurd nesting are
// reported as errors instead of being accepted silently or exhausting memory.

#include "base/diagnostic.h"
#include "base/text_origin.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace runbook::load {

struct Node {
  enum class Kind { null, scalar, sequence, mapping };

  // User-provided so that clang accepts the recursive std::pair<Node, Node>
  // member before Node is complete.
  Node() {}

  Kind kind = Kind::null;
  Location where;
  SourceText text;          // scalar text and where each of its bytes came from
  bool plain = false;       // an unquoted scalar (so `1` is a number, `"1"` a string)
  std::vector<Node> items;  // sequence
  std::vector<std::pair<Node, Node>> entries;  // mapping, in file order

  bool is_null() const { return kind == Kind::null; }
  bool is_scalar() const { return kind == Kind::scalar; }
  bool is_sequence() const { return kind == Kind::sequence; }
  bool is_mapping() const { return kind == Kind::mapping; }
  const std::string& scalar() const { return text.text; }
  // The value of `key` in a mapping, or nullptr.
  const Node* get(std::string_view key) const;
  // "mapping", "list", "text", "nothing" — for messages.
  const char* kind_name() const;
};

struct YamlLimits {
  int max_depth = 64;
  std::size_t max_nodes = 200000;  // after alias expansion
};

// Parses the first document of `text`. Returns nullopt after reporting into
// `diags` when the text is not valid YAML or breaks a limit.
std::optional<Node> read_yaml(std::string_view text, const std::string& file, Diagnostics& diags,
                              const YamlLimits& limits = {});

}  // namespace runbook::load

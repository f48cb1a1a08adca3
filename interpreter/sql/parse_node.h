#pragma once
// A PostgreSQL parse tree, read-only, as libpg_query describes it.
//
// libpg_query prints its tree as JSON. statements.cc turns that JSON into a
// ParseTree once, so the rest of sql/ walks plain Nodes and no header needs
// a JSON library. Shapes follow libpg_query 15-4.0.0:
//   - a node is an object with one member named after its type:
//     {"RangeVar": {"relname": "t", ...}}; fields typed as a specific struct
//     hold the body directly (AlterTableStmt.relation is a RangeVar body);
//   - a member holding its default (false, 0, NULL, empty list) is left out,
//     so a missing member reads as a null Node: false, 0, "", no items;
//   - the integers 0 and negative numbers inside A_Const/Integer print as {}
//     (libpg_query#243): such values are lost, never rely on them.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

namespace runbook::sql {

class Node {
 public:
  enum class Kind : std::uint8_t { null, boolean, integer, real, string, array, object };

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::null; }
  bool is_object() const { return kind_ == Kind::object; }
  bool is_array() const { return kind_ == Kind::array; }

  // A member of an object; a null Node when absent or when this is not an object.
  const Node& operator[](std::string_view key) const;
  bool has(std::string_view key) const { return !(*this)[key].is_null(); }
  // Elements of an array, or an object's member values in order; empty for
  // anything else (an omitted list reads as empty).
  std::span<const Node> items() const { return {items_, size_}; }
  // Member names of an object, parallel to items(); empty for anything else.
  std::span<const std::string_view> keys() const {
    return {keys_, kind_ == Kind::object ? size_ : 0};
  }

  // For a wrapper {"TypeName": {...}}: "TypeName"; otherwise "". A wrapper
  // is an object with one member whose name starts with a capital letter.
  std::string_view type() const;
  // The body of a wrapper; the node itself otherwise, so that callers can
  // pass either form.
  const Node& body() const { return type().empty() ? *this : items_[0]; }

  std::string_view str() const { return kind_ == Kind::string ? text_ : std::string_view(); }
  std::int64_t integer() const { return kind_ == Kind::integer ? int_ : 0; }
  bool boolean() const { return kind_ == Kind::boolean && int_ != 0; }

 private:
  friend class TreeBuilder;

  // Nodes, keys and text live in their ParseTree's arena; a Node is a view.
  Kind kind_ = Kind::null;
  std::uint32_t size_ = 0;
  const Node* items_ = nullptr;
  const std::string_view* keys_ = nullptr;
  std::string_view text_;
  std::int64_t int_ = 0;
};

// Owns every node and string of one tree. Nodes never move once built.
class ParseTree {
 public:
  // Reads the JSON libpg_query printed; nullptr when `json` is not valid
  // JSON (not expected: it comes from libpg_query itself).
  static std::shared_ptr<const ParseTree> from_json(std::string_view json);

  const Node& root() const { return root_; }

  ParseTree() = default;
  ParseTree(const ParseTree&) = delete;
  ParseTree& operator=(const ParseTree&) = delete;

 private:
  friend class TreeBuilder;
  // Bump allocation in blocks: a tree is built once and freed at once.
  void* allocate(std::size_t bytes, std::size_t align);

  Node root_;
  std::vector<std::unique_ptr<std::byte[]>> blocks_;
  std::byte* next_ = nullptr;
  std::size_t left_ = 0;
};

}  // namespace runbook::sql

#include "sql/parse_node.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <new>
#include <string>

namespace runbook::sql {

namespace {

// A step's tree takes a few KB; blocks grow for the rare large one.
constexpr std::size_t kFirstBlockSize = 4 * 1024;
constexpr std::size_t kMaxBlockSize = 64 * 1024;

const Node& null_node() {
  static const Node kNull;
  return kNull;
}

}  // namespace

// Builds the tree straight from nlohmann's SAX events, without nlohmann's
// DOM in between. Finished children wait on one flat stack and are copied
// into the arena in a single block when their container closes, so building
// costs no allocation per node: parsing every step of a large runbook is on
// the path of `validate` and `plan`.
class TreeBuilder {
 public:
  explicit TreeBuilder(ParseTree& tree) : tree_(tree) {}

  bool null() { return put(Node()); }
  bool boolean(bool b) { return put(scalar(Node::Kind::boolean, b ? 1 : 0)); }
  bool number_integer(std::int64_t i) { return put(scalar(Node::Kind::integer, i)); }
  bool number_unsigned(std::uint64_t u) {
    return put(scalar(Node::Kind::integer, static_cast<std::int64_t>(u)));
  }
  bool number_float(double, const std::string&) { return put(scalar(Node::Kind::real, 0)); }
  bool string(std::string& s) {
    Node n;
    n.kind_ = Node::Kind::string;
    n.text_ = copy(s);
    return put(n);
  }
  bool binary(nlohmann::json::binary_t&) { return false; }
  bool start_object(std::size_t) { return open(Node::Kind::object); }
  bool key(std::string& k) {
    key_ = copy(k);
    return true;
  }
  bool end_object() { return close(); }
  bool start_array(std::size_t) { return open(Node::Kind::array); }
  bool end_array() { return close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::json::exception&) {
    return false;
  }

 private:
  struct Open {
    Node::Kind kind;
    std::size_t first;     // index of its first child in pending_
    std::string_view key;  // the member name it will be stored under
  };

  static Node scalar(Node::Kind kind, std::int64_t value) {
    Node n;
    n.kind_ = kind;
    n.int_ = value;
    return n;
  }

  std::string_view copy(const std::string& s) {
    if (s.empty()) {
      return {};
    }
    auto* p = static_cast<char*>(tree_.allocate(s.size(), 1));
    std::memcpy(p, s.data(), s.size());
    return {p, s.size()};
  }

  bool put(const Node& value) {
    if (open_.empty()) {
      tree_.root_ = value;
      return true;
    }
    pending_.push_back(value);
    pending_keys_.push_back(key_);
    key_ = {};
    return true;
  }

  bool open(Node::Kind kind) {
    open_.push_back({kind, pending_.size(), key_});
    key_ = {};
    return true;
  }

  bool close() {
    Open top = open_.back();
    open_.pop_back();
    std::size_t count = pending_.size() - top.first;
    Node n;
    n.kind_ = top.kind;
    n.size_ = static_cast<std::uint32_t>(count);
    if (count > 0) {
      auto* items = static_cast<Node*>(tree_.allocate(count * sizeof(Node), alignof(Node)));
      std::uninitialized_copy(pending_.begin() + static_cast<std::ptrdiff_t>(top.first),
                              pending_.end(), items);
      n.items_ = items;
      if (top.kind == Node::Kind::object) {
        auto* keys = static_cast<std::string_view*>(
            tree_.allocate(count * sizeof(std::string_view), alignof(std::string_view)));
        std::uninitialized_copy(pending_keys_.begin() + static_cast<std::ptrdiff_t>(top.first),
                                pending_keys_.end(), keys);
        n.keys_ = keys;
      }
    }
    pending_.resize(top.first);
    pending_keys_.resize(top.first);
    key_ = top.key;
    return put(n);
  }

  ParseTree& tree_;
  std::vector<Open> open_;
  std::vector<Node> pending_;
  std::vector<std::string_view> pending_keys_;
  std::string_view key_;
};

const Node& Node::operator[](std::string_view key) const {
  if (kind_ == Kind::object) {
    for (std::uint32_t i = 0; i < size_; ++i) {
      if (keys_[i] == key) {
        return items_[i];
      }
    }
  }
  return null_node();
}

std::string_view Node::type() const {
  if (kind_ != Kind::object || size_ != 1 || keys_[0].empty()) {
    return {};
  }
  char first = keys_[0][0];
  return first >= 'A' && first <= 'Z' ? keys_[0] : std::string_view();
}

// `align` is a power of two, so padding is a mask (a modulo here was a
// visible share of parse time).
static std::size_t padding(const std::byte* p, std::size_t align) {
  return (0 - reinterpret_cast<std::uintptr_t>(p)) & (align - 1);
}

void* ParseTree::allocate(std::size_t bytes, std::size_t align) {
  std::size_t pad = padding(next_, align);
  if (next_ == nullptr || pad + bytes > left_) {
    std::size_t size = std::min(kFirstBlockSize << blocks_.size(), kMaxBlockSize);
    size = std::max(size, bytes + align);
    blocks_.push_back(std::unique_ptr<std::byte[]>(new std::byte[size]));  // not zeroed
    next_ = blocks_.back().get();
    left_ = size;
    pad = padding(next_, align);
  }
  void* p = next_ + pad;
  next_ += pad + bytes;
  left_ -= pad + bytes;
  return p;
}

std::shared_ptr<const ParseTree> ParseTree::from_json(std::string_view json) {
  auto tree = std::make_shared<ParseTree>();
  TreeBuilder builder(*tree);
  if (!nlohmann::json::sax_parse(json, &builder)) {
    return nullptr;
  }
  return tree;
}

}  // namespace runbook::sql

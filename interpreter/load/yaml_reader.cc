#include "load/yaml_reader.h"

#include "base/strings.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <istream>
#include <map>
#include <streambuf>

namespace runbook::load {

const Node* Node::get(std::string_view key) const {
  for (const auto& [k, v] : entries) {
    if (k.scalar() == key) {
      return &v;
    }
  }
  return nullptr;
}

const char* Node::kind_name() const {
  switch (kind) {
    case Kind::null:
      return "nothing";
    case Kind::scalar:
      return "a single value";
    case Kind::sequence:
      return "a list";
    case Kind::mapping:
      return "a mapping";
  }
  return "?";
}

namespace {

// Builds the located node tree from yaml-cpp's parse events. Listening to
// events instead of loading yaml-cpp's own node graph halves the time of a
// large runbook: that graph is built of shared pointers, then copied again.
class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(std::string_view text, const std::string& file, Diagnostics& diags,
              const YamlLimits& limits)
      : lines_(split(text, '\n')), file_(file), diags_(diags), limits_(limits) {}

  // The document's root, or nullopt after a limit was reported.
  std::optional<Node> result() {
    if (failed_) {
      return std::nullopt;
    }
    if (!root_) {
      Node empty;
      empty.where = Location{file_, 0, 0};
      empty.text.origin = TextOrigin::at(empty.where);
      return empty;
    }
    return std::move(root_);
  }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (!admit(mark, 1)) {
      return;
    }
    Node n;
    n.where = location(mark);
    n.text.origin = TextOrigin::at(n.where);
    finish(std::move(n), 1, anchor);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    if (!admit(mark, 1)) {
      return;
    }
    Node n;
    n.where = location(mark);
    n.kind = Node::Kind::scalar;
    n.text.text = value;
    n.plain = tag == "?";
    n.text.origin = origin_of(mark, n.plain);
    finish(std::move(n), 1, anchor);
  }

  // An alias stands for a copy of its anchored node, counted again towards
  // the size limit so that a "billion laughs" document is refused.
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto found = anchors_.find(anchor);
    if (found == anchors_.end()) {
      return;  // yaml-cpp reports unknown aliases itself
    }
    if (!admit(mark, found->second.size)) {
      return;
    }
    finish(Node(found->second.node), found->second.size, 0);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, Node::Kind::sequence, anchor);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, Node::Kind::mapping, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  // A sequence or mapping being read, with the key waiting for its value.
  struct Open {
    Node node;
    YAML::anchor_t anchor = 0;
    std::size_t size = 1;
    std::optional<Node> key;
    bool skip_value = false;  // the key was refused; drop what follows it
  };
  struct Anchored {
    Node node;
    std::size_t size;
  };

  // Counts `size` more values and checks the limits; false once failed.
  bool admit(const YAML::Mark& mark, std::size_t size) {
    if (failed_) {
      return false;
    }
    nodes_ += size;
    if (nodes_ > limits_.max_nodes) {
      diags_.error(location(mark),
                   "the document is too large (more than " + std::to_string(limits_.max_nodes) +
                       " values once aliases are expanded)",
                   "split the runbook or avoid repeated YAML aliases");
      failed_ = true;
      return false;
    }
    if (static_cast<int>(open_.size()) > limits_.max_depth) {
      diags_.error(location(mark), "nesting is too deep (more than " +
                                       std::to_string(limits_.max_depth) + " levels)");
      failed_ = true;
      return false;
    }
    return true;
  }

  void open(const YAML::Mark& mark, Node::Kind kind, YAML::anchor_t anchor) {
    if (failed_ || !admit(mark, 1)) {
      return;
    }
    Open o;
    o.node.kind = kind;
    o.node.where = location(mark);
    o.anchor = anchor;
    open_.push_back(std::move(o));
  }

  void close() {
    if (failed_ || open_.empty()) {
      return;
    }
    Open o = std::move(open_.back());
    open_.pop_back();
    finish(std::move(o.node), o.size, o.anchor);
  }

  // Hands a complete node to its parent (or makes it the root).
  void finish(Node n, std::size_t size, YAML::anchor_t anchor) {
    if (anchor != 0) {
      anchors_[anchor] = Anchored{n, size};
    }
    if (open_.empty()) {
      root_ = std::move(n);
      return;
    }
    Open& parent = open_.back();
    parent.size += size;
    if (parent.node.is_sequence()) {
      parent.node.items.push_back(std::move(n));
    } else if (!parent.key) {
      accept_key(parent, std::move(n));
    } else {
      accept_value(parent, std::move(n));
    }
  }

  void accept_key(Open& map, Node key) {
    map.skip_value = false;
    if (!key.is_scalar()) {
      diags_.error(key.where, "a key must be a single value, not " + std::string(key.kind_name()));
      map.skip_value = true;
    } else if (map.node.get(key.scalar()) != nullptr) {
      diags_.error(key.where, "duplicate key " + quoted(key.scalar()),
                   "each key may appear once in a mapping; remove or rename one of them");
      map.skip_value = true;
    }
    map.key = std::move(key);
  }

  void accept_value(Open& map, Node value) {
    Node key = std::move(*map.key);
    map.key.reset();
    if (map.skip_value) {
      return;
    }
    // yaml-cpp places an empty value at the token after it, often on a later
    // line; the key is where the author left it out.
    bool empty_value =
        value.is_null() && (!value.where.known() || value.where.line > key.where.line);
    if (empty_value) {
      value.where = key.where;
      value.text.origin = TextOrigin::at(key.where);
    }
    map.node.entries.emplace_back(std::move(key), std::move(value));
  }

  Location location(const YAML::Mark& m) const {
    if (m.is_null()) {
      return Location{file_, 0, 0};
    }
    return Location{file_, m.line + 1, m.column + 1};
  }

  // Where the characters of a scalar start. yaml-cpp marks a block scalar at
  // its `|`/`>` indicator; its content starts on the next line, at the
  // indentation of the first non-blank line.
  TextOrigin origin_of(const YAML::Mark& m, bool plain) const {
    if (m.is_null() || m.line < 0 || static_cast<std::size_t>(m.line) >= lines_.size()) {
      return TextOrigin::at(location(m));
    }
    std::string_view line = lines_[static_cast<std::size_t>(m.line)];
    auto column = static_cast<std::size_t>(m.column);
    char first = column < line.size() ? line[column] : ' ';
    if (!plain && (first == '|' || first == '>')) {
      for (std::size_t i = static_cast<std::size_t>(m.line) + 1; i < lines_.size(); ++i) {
        std::string_view content = lines_[i];
        if (trim(content).empty()) {
          continue;
        }
        std::size_t indent = content.find_first_not_of(' ');
        // Lines before the first content line are blank lines of the scalar.
        return TextOrigin::block(file_, static_cast<int>(m.line) + 2, static_cast<int>(indent));
      }
    }
    if (!plain && (first == '"' || first == '\'')) {
      return TextOrigin::at(Location{file_, m.line + 1, m.column + 2});
    }
    return TextOrigin::at(location(m));
  }

  std::vector<std::string_view> lines_;
  std::string file_;
  Diagnostics& diags_;
  YamlLimits limits_;
  std::vector<Open> open_;
  std::map<YAML::anchor_t, Anchored> anchors_;
  std::optional<Node> root_;
  std::size_t nodes_ = 0;
  bool failed_ = false;
};

// A read-only stream over the text, so that it is not copied for yaml-cpp.
class TextBuffer : public std::streambuf {
 public:
  explicit TextBuffer(std::string_view text) {
    char* begin = const_cast<char*>(text.data());
    setg(begin, begin, begin + text.size());
  }
};

// yaml-cpp recurses once per nesting level and can exhaust the stack on
// hostile input before its own limits apply, so refuse deep flow nesting
// before handing the text over.
bool flow_nesting_within(std::string_view text, int max_depth) {
  int depth = 0;
  char quote = 0;
  for (char c : text) {
    if (quote != 0) {
      if (c == quote || c == '\n') {
        quote = 0;
      }
      continue;
    }
    if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) {
        return false;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return true;
}

}  // namespace

std::optional<Node> read_yaml(std::string_view text, const std::string& file, Diagnostics& diags,
                              const YamlLimits& limits) {
  if (!flow_nesting_within(text, limits.max_depth)) {
    diags.error(Location{file, 1, 1},
                "nesting is too deep (more than " + std::to_string(limits.max_depth) + " levels)");
    return std::nullopt;
  }
  TreeBuilder builder(text, file, diags, limits);
  try {
    TextBuffer buffer(text);
    std::istream in(&buffer);
    YAML::Parser parser(in);
    parser.HandleNextDocument(builder);
  } catch (const YAML::Exception& e) {
    Location where{file, e.mark.is_null() ? 1 : e.mark.line + 1,
                   e.mark.is_null() ? 1 : e.mark.column + 1};
    diags.error(where, "not valid YAML: " + e.msg,
                "check the indentation and quoting near this position");
    return std::nullopt;
  }
  return builder.result();
}

}  // namespace runbook::load

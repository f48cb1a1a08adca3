#include "load/yaml_reader.h"

#include "base/strings.h"

#include <yaml-cpp/yaml.h>

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

class Converter {
 public:
  Converter(std::string_view text, const std::string& file, Diagnostics& diags,
            const YamlLimits& limits)
      : lines_(split(text, '\n')), file_(file), diags_(diags), limits_(limits) {}

  std::optional<Node> convert(const YAML::Node& y, int depth) {
    if (++nodes_ > limits_.max_nodes) {
      if (!reported_size_) {
        diags_.error(location(y.Mark()),
                     "the document is too large (more than " + std::to_string(limits_.max_nodes) +
                         " values once aliases are expanded)",
                     "split the runbook or avoid repeated YAML aliases");
        reported_size_ = true;
      }
      return std::nullopt;
    }
    if (depth > limits_.max_depth) {
      diags_.error(location(y.Mark()), "nesting is too deep (more than " +
                                           std::to_string(limits_.max_depth) + " levels)");
      return std::nullopt;
    }
    Node n;
    n.where = location(y.Mark());
    switch (y.Type()) {
      case YAML::NodeType::Scalar:
        return scalar(y, std::move(n));
      case YAML::NodeType::Sequence:
        return sequence(y, std::move(n), depth);
      case YAML::NodeType::Map:
        return mapping(y, std::move(n), depth);
      default:
        n.kind = Node::Kind::null;
        n.text.origin = TextOrigin::at(n.where);
        return n;
    }
  }

 private:
  Location location(const YAML::Mark& m) const {
    if (m.is_null()) {
      return Location{file_, 0, 0};
    }
    return Location{file_, m.line + 1, m.column + 1};
  }

  std::optional<Node> scalar(const YAML::Node& y, Node n) {
    n.kind = Node::Kind::scalar;
    n.text.text = y.Scalar();
    n.plain = y.Tag() == "?";
    n.text.origin = origin_of(y.Mark(), n.plain);
    return n;
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

  std::optional<Node> sequence(const YAML::Node& y, Node n, int depth) {
    n.kind = Node::Kind::sequence;
    for (const YAML::Node& item : y) {
      auto converted = convert(item, depth + 1);
      if (!converted) {
        return std::nullopt;
      }
      n.items.push_back(std::move(*converted));
    }
    return n;
  }

  std::optional<Node> mapping(const YAML::Node& y, Node n, int depth) {
    n.kind = Node::Kind::mapping;
    for (auto it = y.begin(); it != y.end(); ++it) {
      auto key = convert(it->first, depth + 1);
      if (!key) {
        return std::nullopt;
      }
      if (!key->is_scalar()) {
        diags_.error(key->where,
                     "a key must be a single value, not " + std::string(key->kind_name()));
        continue;
      }
      if (n.get(key->scalar()) != nullptr) {
        diags_.error(key->where, "duplicate key " + quoted(key->scalar()),
                     "each key may appear once in a mapping; remove or rename one of them");
        continue;
      }
      auto value = convert(it->second, depth + 1);
      if (!value) {
        return std::nullopt;
      }
      if (value->is_null() && !value->where.known()) {
        value->where = key->where;
        value->text.origin = TextOrigin::at(key->where);
      }
      n.entries.emplace_back(std::move(*key), std::move(*value));
    }
    return n;
  }

  std::vector<std::string_view> lines_;
  std::string file_;
  Diagnostics& diags_;
  YamlLimits limits_;
  std::size_t nodes_ = 0;
  bool reported_size_ = false;
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
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    Location where{file, e.mark.is_null() ? 1 : e.mark.line + 1,
                   e.mark.is_null() ? 1 : e.mark.column + 1};
    diags.error(where, "not valid YAML: " + e.msg,
                "check the indentation and quoting near this position");
    return std::nullopt;
  }
  try {
    Converter converter(text, file, diags, limits);
    return converter.convert(root, 0);
  } catch (const YAML::Exception& e) {
    diags.error(Location{file, 1, 1}, std::string("not valid YAML: ") + e.what());
    return std::nullopt;
  }
}

}  // namespace runbook::load

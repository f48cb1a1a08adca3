#pragma once
// The loader's only door to files: reading text by path. The real
// implementation lives in adapters/os; tests use an in-memory one.

#include <optional>
#include <string>

namespace runbook::load {

class FileReader {
 public:
  virtual ~FileReader() = default;
  // The whole file, or nullopt with `error` set (e.g. "No such file or directory").
  virtual std::optional<std::string> read(const std::string& path, std::string* error) const = 0;
  virtual bool exists(const std::string& path) const = 0;
};

// "dir/file" joined with a single '/', and the directory part of a path.
std::string join_path(const std::string& dir, const std::string& name);
std::string directory_of(const std::string& path);

}  // namespace runbook::load

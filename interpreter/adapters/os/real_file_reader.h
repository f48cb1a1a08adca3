#pragma once
// Reads files from the real filesystem for the loader.

#include "load/file_reader.h"

namespace runbook::adapters {

class RealFileReader final : public load::FileReader {
 public:
  std::optional<std::string> read(const std::string& path, std::string* error) const override;
  bool exists(const std::string& path) const override;
};

}  // namespace runbook::adapters

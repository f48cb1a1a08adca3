#include "base/location.h"

#include <fmt/format.h>

namespace runbook {

std::string Location::str() const {
  if (!known()) {
    return file;
  }
  return fmt::format("{}:{}:{}", file, line, column);
}

}  // namespace runbook

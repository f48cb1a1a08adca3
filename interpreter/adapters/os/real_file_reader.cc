#include "adapters/os/real_file_reader.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace runbook::adapters {

namespace {
// Runbooks are small; a larger file is a mistake (or an attack on memory).
constexpr off_t kMaxFileBytes = 16 * 1024 * 1024;
}  // namespace

std::optional<std::string> RealFileReader::read(const std::string& path, std::string* error) const {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    *error = std::strerror(errno);
    return std::nullopt;
  }
  if (S_ISDIR(st.st_mode)) {
    *error = "is a directory";
    return std::nullopt;
  }
  if (st.st_size > kMaxFileBytes) {
    *error = "larger than 16 MiB";
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = std::strerror(errno);
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool RealFileReader::exists(const std::string& path) const {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace runbook::adapters

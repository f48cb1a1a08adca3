#include "adapters/os/identity.h"

#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <pwd.h>
#include <random>
#include <unistd.h>

namespace runbook::adapters {

std::string current_user() {
  struct passwd pw {};
  struct passwd* found = nullptr;
  char buffer[4096];
  if (::getpwuid_r(::geteuid(), &pw, buffer, sizeof(buffer), &found) == 0 && found != nullptr) {
    return found->pw_name;
  }
  return std::to_string(::geteuid());
}

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof(name) - 1) != 0) {
    return "unknown";
  }
  return name;
}

std::string new_run_id() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::random_device device;
  return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}Z-{:06x}", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, device() & 0xffffff);
}

}  // namespace runbook::adapters

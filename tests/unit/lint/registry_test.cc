#include "lint/registry.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

using namespace runbook;

namespace {

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every test source of this suite, as one text.
std::string test_sources() {
  std::string all;
  for (const auto& e :
       std::filesystem::directory_iterator(std::string(RUNBOOK_SOURCE_DIR) + "/tests/unit/lint")) {
    if (e.path().filename().string().ends_with("_test.cc") &&
        e.path().filename() != "registry_test.cc") {
      all += read(e.path());
    }
  }
  return all;
}

}  // namespace

TEST_SUITE("lint::registry") {
  TEST_CASE("rules have unique kebab-case ids, a title and a safe alternative") {
    std::set<std::string> ids;
    for (const lint::Rule& r : lint::all_rules()) {
      CAPTURE(r.id);
      CHECK(ids.insert(std::string(r.id)).second);
      CHECK(r.id.find_first_not_of("abcdefghijklmnopqrstuvwxyz-") == std::string_view::npos);
      CHECK_FALSE(r.title.empty());
      CHECK_FALSE(r.safe.empty());
    }
    CHECK(ids.size() >= 22);
    CHECK(lint::find_rule("missing-lock-timeout") != nullptr);
    CHECK(lint::find_rule("no-such-rule") == nullptr);
  }

  TEST_CASE("every rule is documented in docs/lint.md and tested here") {
    std::string docs = read(std::string(RUNBOOK_SOURCE_DIR) + "/docs/lint.md");
    std::string tests = test_sources();
    for (const lint::Rule& r : lint::all_rules()) {
      CAPTURE(r.id);
      CHECK(docs.find("### `" + std::string(r.id) + "`") != std::string::npos);
      CHECK(tests.find("\"" + std::string(r.id) + "\"") != std::string::npos);
    }
  }
}

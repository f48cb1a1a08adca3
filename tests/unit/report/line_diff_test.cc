#include "report/line_diff.h"

#include <doctest/doctest.h>

using runbook::report::unified_diff;

TEST_SUITE("report::line_diff") {
  TEST_CASE("equal texts have no diff") {
    CHECK(unified_diff("a\nb\n", "a\nb\n", "x", "y") == "");
  }

  TEST_CASE("a changed line in the middle, with context") {
    std::string diff =
        unified_diff("1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nFIVE\n6\n7\n8\n9\n", "old", "new");
    CHECK(diff == "--- old\n+++ new\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+FIVE\n 6\n 7\n 8\n");
  }

  TEST_CASE("additions at the end and removals at the start") {
    CHECK(unified_diff("a\nb\n", "a\nb\nc\n", "o", "n") ==
          "--- o\n+++ n\n@@ -1,2 +1,3 @@\n a\n b\n+c\n");
    CHECK(unified_diff("a\nb\n", "b\n", "o", "n") == "--- o\n+++ n\n@@ -1,2 +1,1 @@\n-a\n b\n");
  }

  TEST_CASE("far-apart changes make separate hunks") {
    std::string a, b;
    for (int i = 0; i < 30; ++i) {
      a += std::to_string(i) + "\n";
      b += (i == 2 || i == 25 ? "x" : std::to_string(i)) + "\n";
    }
    std::string diff = unified_diff(a, b, "o", "n");
    CHECK(diff.find("@@ -1,6 +1,6 @@") != std::string::npos);
    CHECK(diff.find("@@ -23,7 +23,7 @@") != std::string::npos);
  }

  TEST_CASE("from nothing and to nothing") {
    CHECK(unified_diff("", "a\n", "o", "n") == "--- o\n+++ n\n@@ -0,0 +1,1 @@\n+a\n");
    CHECK(unified_diff("a\n", "", "o", "n") == "--- o\n+++ n\n@@ -1,1 +0,0 @@\n-a\n");
  }
}

#include "adapters/pg/progress_watcher.h"

#include <doctest/doctest.h>

using runbook::Row;
using runbook::adapters::index_progress_words;

TEST_SUITE("pg::progress_watcher") {
  TEST_CASE("index progress in words: blocks, then tuples, then transactions waited for") {
    CHECK(index_progress_words(
              {"building index: scanning table", "1234", "2740", "0", "0", "0", "0"}) ==
          "building index: scanning table 45% (1234 of 2740 blocks)");
    CHECK(index_progress_words(
              {"building index: loading tuples in tree", "0", "0", "300", "1000", "0", "0"}) ==
          "building index: loading tuples in tree 30% (300 of 1000 tuples)");
    CHECK(index_progress_words({"waiting for writers before build", "0", "0", "0", "0", "0",
                                "1"}) == "waiting for writers before build (0 of 1 transactions)");
    CHECK(index_progress_words({"initializing", "0", "0", "0", "0", "0", "0"}) == "initializing");
  }
  TEST_CASE("no row, or no phase, is just running") {
    CHECK(index_progress_words({}) == "running");
    CHECK(index_progress_words(Row(7)) == "running");
  }
}

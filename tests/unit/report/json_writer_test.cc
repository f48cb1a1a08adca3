#include "report/json_writer.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using runbook::report::JsonWriter;

namespace {

// The same document through nlohmann, the reference for the text.
nlohmann::ordered_json reference() {
  nlohmann::ordered_json j;
  j["s"] = "quote \" backslash \\ tab \t nl \n bell \x07 é ✓";
  j["n"] = -42;
  j["t"] = true;
  j["z"] = nullptr;
  j["empty_a"] = nlohmann::ordered_json::array();
  j["empty_o"] = nlohmann::ordered_json::object();
  j["a"] = {1, "two", nullptr};
  j["o"] = {{"k", "v"}};
  return j;
}

std::string written(int indent) {
  JsonWriter w(indent);
  w.begin_object();
  w.key("s").value("quote \" backslash \\ tab \t nl \n bell \x07 é ✓");
  w.key("n").value(std::int64_t{-42});
  w.key("t").value(true);
  w.key("z").null();
  w.key("empty_a").begin_array().end_array();
  w.key("empty_o").begin_object().end_object();
  w.key("a").begin_array().value(1).value("two").null().end_array();
  w.key("o").begin_object().key("k").value("v").end_object();
  w.end_object();
  return w.take();
}

}  // namespace

TEST_SUITE("report::json_writer") {
  TEST_CASE("the same text as nlohmann's dump, compact and pretty") {
    CHECK(written(-1) == reference().dump(-1));
    CHECK(written(2) == reference().dump(2));
  }
  TEST_CASE("bytes that are not UTF-8 become U+FFFD, valid sequences stay") {
    std::string out;
    runbook::report::append_json_string(out, "caf\xe9 \xff ok \xE2\x9C\x93 \xC0\xAF");
    CHECK(out == "\"caf\xEF\xBF\xBD \xEF\xBF\xBD ok \xE2\x9C\x93 \xEF\xBF\xBD\xEF\xBF\xBD\"");
  }
}

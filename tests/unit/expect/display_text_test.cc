#include "expect/display_text.h"

#include <doctest/doctest.h>

using runbook::expect::code_point_width;
using runbook::expect::display_text;
using runbook::expect::DisplayText;

TEST_SUITE("expect::display_text") {
  TEST_CASE("plain text is one line as wide as its characters") {
    DisplayText t = display_text("hello");
    CHECK(t.lines == std::vector<std::string>{"hello"});
    CHECK(t.widths == std::vector<int>{5});
    CHECK(t.width == 5);
    DisplayText empty = display_text("");
    CHECK(empty.lines == std::vector<std::string>{""});
    CHECK(empty.width == 0);
  }

  TEST_CASE("newlines split lines; the widest counts") {
    DisplayText t = display_text("x\nyyy\n");
    CHECK(t.lines == std::vector<std::string>{"x", "yyy", ""});
    CHECK(t.widths == std::vector<int>{1, 3, 0});
    CHECK(t.width == 3);
  }

  TEST_CASE("tabs go to the next multiple of 8, per line") {
    CHECK(display_text("a\tb").lines[0] == "a       b");
    CHECK(display_text("ab\tc").width == 9);
    CHECK(display_text("\t").width == 8);
    CHECK(display_text("12345678\tx").width == 17);
    CHECK(display_text("abc\nd\te").lines[1] == "d       e");
  }

  TEST_CASE("control characters are escaped as psql does") {
    DisplayText t = display_text(
        "c\x01"
        "d\x1F\x7F\r");
    CHECK(t.lines[0] == "c\\x01d\\x1F\\x7F\\r");
    CHECK(t.width == 16);
    CHECK(display_text("\xC2\x85").lines[0] == "\\u0085");  // C1 control, NEL
  }

  TEST_CASE("UTF-8 widths") {
    CHECK(display_text("\xC3\xA9").width == 1);                  // é
    CHECK(display_text("\xE6\x97\xA5\xE6\x9C\xAC").width == 4);  // 日本
    CHECK(display_text("\xCC\x81"
                       "e")
              .width == 1);                              // combining acute + e
    CHECK(display_text("\xF0\x9F\x98\x80").width == 2);  // emoji
    CHECK(display_text("\xFF"
                       "a")
              .width == 2);  // an invalid byte counts 1
    CHECK(code_point_width(U'a') == 1);
    CHECK(code_point_width(U'\u4E00') == 2);
    CHECK(code_point_width(U'\u0301') == 0);
    CHECK(code_point_width(U'\n') == -1);
  }
}

#include "tmpl/sql_context.h"

#include <doctest/doctest.h>

using namespace runbook::tmpl;

namespace {

SqlState after(std::string_view sql) {
  SqlScanner s;
  s.feed(sql);
  return s.spot().state;
}

}  // namespace

TEST_SUITE("tmpl::SqlScanner") {
  TEST_CASE("single quotes, with '' escapes") {
    CHECK(after("SELECT ") == SqlState::code);
    CHECK(after("SELECT '") == SqlState::single_quoted);
    CHECK(after("SELECT 'a'") == SqlState::code);
    CHECK(after("SELECT 'it''") == SqlState::single_quoted);
    CHECK(after("SELECT 'it''s'") == SqlState::code);
    CHECK(after("SELECT 'a\\'") == SqlState::code);  // standard strings: no backslash escape
  }

  TEST_CASE("E'' strings take backslash escapes") {
    CHECK(after("SELECT E'a\\'") == SqlState::single_quoted);
    CHECK(after("SELECT E'a\\''") == SqlState::code);
    CHECK(after("SELECT e'it''s'") == SqlState::code);
    CHECK(after("SELECT E'\\\\'") == SqlState::code);
    CHECK(after("SELECT name'a\\'") == SqlState::code);  // not an E prefix
  }

  TEST_CASE("double-quoted identifiers") {
    CHECK(after("SELECT \"") == SqlState::double_quoted);
    CHECK(after("SELECT \"a\"\"") == SqlState::double_quoted);
    CHECK(after("SELECT \"it's\"") == SqlState::code);
  }

  TEST_CASE("comments do not toggle quotes") {
    CHECK(after("-- it's") == SqlState::line_comment);
    CHECK(after("-- it's\n") == SqlState::code);
    CHECK(after("/* it's */") == SqlState::code);
    CHECK(after("/* a /* nested */ it's") == SqlState::block_comment);
    CHECK(after("/* a /* nested */ it's */ ") == SqlState::code);
    CHECK(after("'--'") == SqlState::code);
    CHECK(after("SELECT 1 - 2") == SqlState::code);
  }

  TEST_CASE("dollar quotes hold code up to the same tag") {
    SqlScanner s;
    s.feed("DO $$ BEGIN RAISE NOTICE 'it");
    CHECK(s.spot().state == SqlState::dollar_quoted);
    CHECK(s.spot().dollar_tag == "$$");
    s.feed("'; END $$;");
    CHECK(s.spot().state == SqlState::code);
    CHECK(after("AS $fn$ SELECT $$ ' $fn$") == SqlState::code);
    CHECK(after("AS $fn$ SELECT 1 $$") == SqlState::dollar_quoted);
    CHECK(after("SELECT $1, '") == SqlState::single_quoted);
    CHECK(after("SELECT a$b$ '") == SqlState::single_quoted);  // $ inside a name
  }

  TEST_CASE("state carries across pieces") {
    SqlScanner s;
    s.feed("WHERE a = 'x");
    s.value_written();
    CHECK(s.spot().state == SqlState::single_quoted);
    s.feed("y' AND b = ");
    CHECK(s.spot().state == SqlState::code);
  }

  TEST_CASE("values that would escape their comment or body") {
    SqlSpot line{SqlState::line_comment, ""};
    CHECK(value_escapes_spot("'a'", line).empty());
    CHECK(value_escapes_spot("'a\nDROP TABLE t; --'", line) ==
          "the value holds a line break, which would end the -- comment it is in");
    SqlSpot block{SqlState::block_comment, ""};
    CHECK_FALSE(value_escapes_spot("'*/ DROP'", block).empty());
    SqlSpot body{SqlState::dollar_quoted, "$$"};
    CHECK(value_escapes_spot("'$x$'", body).empty());
    CHECK(value_escapes_spot("'$$; DROP TABLE users; --'", body) ==
          "the value holds $$, which would end the dollar-quoted body it is in");
    CHECK(value_escapes_spot("anything\n*/$$", SqlSpot{}).empty());
  }
}

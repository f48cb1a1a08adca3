#include "expect/compare.h"

#include <doctest/doctest.h>

#include <regex>

using runbook::Cell;
using runbook::CompareOp;
using runbook::Comparison;
using runbook::expect::cells_equal;
using runbook::expect::describe;
using runbook::expect::Matcher;
using runbook::expect::satisfies;
using runbook::expect::validate;

namespace {

Comparison cmp(CompareOp op, std::vector<std::string> operands, double pct = 0) {
  Comparison c;
  c.op = op;
  c.operands = std::move(operands);
  c.pct = pct;
  return c;
}

const Cell kNull = std::nullopt;

}  // namespace

TEST_SUITE("expect::compare") {
  TEST_CASE("numbers compare as numbers when both sides are numbers") {
    CHECK(cells_equal("1", "1.0"));
    CHECK(cells_equal("1.50", "1.5"));
    CHECK(cells_equal("100", "1e2"));
    CHECK_FALSE(cells_equal("1", "2"));
    CHECK(satisfies("10", cmp(CompareOp::gt, {"9"})));  // as text "10" < "9"
    CHECK_FALSE(satisfies("9", cmp(CompareOp::gt, {"10"})));
  }

  TEST_CASE("otherwise text, in byte order") {
    CHECK(cells_equal("VALID", "VALID"));
    CHECK_FALSE(cells_equal("VALID", "valid"));  // case matters
    CHECK_FALSE(cells_equal("1 ", "1"));
    CHECK(satisfies("b", cmp(CompareOp::gt, {"a"})));
    CHECK(satisfies("B", cmp(CompareOp::lt, {"a"})));         // 'B' < 'a' in bytes
    CHECK(satisfies("10", cmp(CompareOp::lt, {"9a"})));       // one side is not a number
    CHECK(satisfies("\xC3\xA9", cmp(CompareOp::gt, {"z"})));  // UTF-8 bytes are unsigned
  }

  TEST_CASE("booleans: true/false in any case match psql's t/f") {
    CHECK(cells_equal("t", "true"));
    CHECK(cells_equal("t", "TRUE"));
    CHECK(cells_equal("f", "False"));
    CHECK(cells_equal("t", "t"));
    CHECK_FALSE(cells_equal("f", "true"));
    CHECK_FALSE(cells_equal("t", "false"));
    CHECK(cells_equal("true", "true"));  // a text column holding the word
    CHECK_FALSE(cells_equal("true", "t"));
    CHECK(satisfies("f", cmp(CompareOp::ne, {"true"})));
  }

  TEST_CASE("an empty expected cell is NULL or empty; NULL equals nothing else") {
    CHECK(cells_equal(kNull, ""));
    CHECK(cells_equal("", ""));
    CHECK_FALSE(cells_equal(kNull, "x"));
    CHECK_FALSE(cells_equal(kNull, "0"));
    CHECK_FALSE(cells_equal("x", ""));
    CHECK(satisfies(kNull, cmp(CompareOp::eq, {""})));
    CHECK_FALSE(satisfies(kNull, cmp(CompareOp::ne, {""})));
    CHECK(satisfies(kNull, cmp(CompareOp::ne, {"x"})));
    CHECK(satisfies(kNull, cmp(CompareOp::in, {"a", ""})));
    CHECK_FALSE(satisfies(kNull, cmp(CompareOp::in, {"a"})));
    for (CompareOp op : {CompareOp::lt, CompareOp::le, CompareOp::gt, CompareOp::ge}) {
      CHECK_FALSE(satisfies(kNull, cmp(op, {"0"})));
    }
    CHECK_FALSE(satisfies(kNull, cmp(CompareOp::between, {"0", "9"})));
    CHECK_FALSE(satisfies(kNull, cmp(CompareOp::matches, {".*"})));
    CHECK_FALSE(satisfies(kNull, cmp(CompareOp::within, {"0"}, 100)));
    CHECK(satisfies("", cmp(CompareOp::matches, {"^$"})));
  }

  TEST_CASE("each operator holds and fails") {
    CHECK(satisfies("0", cmp(CompareOp::eq, {"0"})));
    CHECK_FALSE(satisfies("1", cmp(CompareOp::eq, {"0"})));
    CHECK(satisfies("x", cmp(CompareOp::ne, {"y"})));
    CHECK_FALSE(satisfies("x", cmp(CompareOp::ne, {"x"})));
    CHECK(satisfies("4", cmp(CompareOp::lt, {"5"})));
    CHECK_FALSE(satisfies("5", cmp(CompareOp::lt, {"5"})));
    CHECK(satisfies("5", cmp(CompareOp::le, {"5.0"})));
    CHECK_FALSE(satisfies("5.01", cmp(CompareOp::le, {"5"})));
    CHECK(satisfies("6", cmp(CompareOp::gt, {"5"})));
    CHECK_FALSE(satisfies("5", cmp(CompareOp::gt, {"5"})));
    CHECK(satisfies("150000", cmp(CompareOp::ge, {"140000"})));
    CHECK(satisfies("140000", cmp(CompareOp::ge, {"140000"})));
    CHECK_FALSE(satisfies("90600", cmp(CompareOp::ge, {"140000"})));
  }

  TEST_CASE("between is inclusive") {
    Comparison c = cmp(CompareOp::between, {"1", "5"});
    CHECK(satisfies("1", c));
    CHECK(satisfies("3.5", c));
    CHECK(satisfies("5", c));
    CHECK_FALSE(satisfies("0.99", c));
    CHECK_FALSE(satisfies("6", c));
    CHECK(satisfies("b", cmp(CompareOp::between, {"a", "c"})));
    CHECK_FALSE(satisfies("d", cmp(CompareOp::between, {"a", "c"})));
  }

  TEST_CASE("in") {
    Comparison c = cmp(CompareOp::in, {"u", "f", "1"});
    CHECK(satisfies("u", c));
    CHECK(satisfies("1.0", c));
    CHECK_FALSE(satisfies("c", c));
    CHECK(satisfies("t", cmp(CompareOp::in, {"true"})));
  }

  TEST_CASE("a literal pattern answers as the regex does") {
    // Literal patterns skip the regex engine; every answer must be the regex's.
    const std::vector<std::string> patterns = {"^row ", "row", "ow 1$", "^row 12$", "^",  "$",
                                               "^$",    "",    "r.w",   "^row\\s",  "a$$"};
    const std::vector<std::string> cells = {"row 12",   "row",   "a row 1", "",
                                            "arrow 12", "rxw 1", "row\t1"};
    for (const std::string& pattern : patterns) {
      std::regex regex(pattern, std::regex::ECMAScript);
      for (const std::string& cell : cells) {
        CAPTURE(pattern);
        CAPTURE(cell);
        CHECK(satisfies(cell, cmp(CompareOp::matches, {pattern})) ==
              std::regex_search(cell, regex));
      }
    }
  }

  TEST_CASE("matches searches anywhere, ECMAScript syntax") {
    CHECK(satisfies("idx_recipe_name", cmp(CompareOp::matches, {"^idx_"})));
    CHECK(satisfies("PostgreSQL 15.4 on x86_64", cmp(CompareOp::matches, {"15\\.\\d+"})));
    CHECK_FALSE(satisfies("pkey_recipe", cmp(CompareOp::matches, {"^idx_"})));
    CHECK_FALSE(satisfies("abc", cmp(CompareOp::matches, {"^b"})));
  }

  TEST_CASE("within a percentage of a reference") {
    Comparison c = cmp(CompareOp::within, {"100"}, 5);
    CHECK(satisfies("100", c));
    CHECK(satisfies("95", c));
    CHECK(satisfies("105", c));
    CHECK_FALSE(satisfies("105.5", c));
    CHECK_FALSE(satisfies("94", c));
    CHECK_FALSE(satisfies("abc", c));
    CHECK(satisfies("-98", cmp(CompareOp::within, {"-100"}, 5)));
    CHECK(satisfies("0", cmp(CompareOp::within, {"0"}, 5)));
    CHECK_FALSE(satisfies("1", cmp(CompareOp::within, {"0"}, 5)));
  }

  TEST_CASE("a Matcher is prepared once and reused") {
    Matcher m(cmp(CompareOp::matches, {"^[a-z]+_fkey$"}));
    CHECK(m.error().empty());
    CHECK(m(Cell("company_fkey")));
    CHECK_FALSE(m(Cell("Company_fkey")));
    Matcher copy = m;
    CHECK(copy(Cell("plan_fkey")));
  }

  TEST_CASE("a Matcher that cannot work says why and never holds") {
    Matcher bad_regex(cmp(CompareOp::matches, {"(unclosed"}));
    CHECK(bad_regex.error().find("invalid regular expression /(unclosed/") == 0);
    CHECK_FALSE(bad_regex(Cell("(unclosed")));
    Matcher no_operand(cmp(CompareOp::eq, {}));
    CHECK(no_operand.error() == "eq takes one value, got 0");
    CHECK_FALSE(no_operand(Cell("")));
    CHECK_FALSE(Matcher(cmp(CompareOp::within, {"x"}, 5)).error().empty());
  }

  TEST_CASE("describe in words") {
    CHECK(describe(cmp(CompareOp::eq, {"0"})) == "= 0");
    CHECK(describe(cmp(CompareOp::ne, {"x"})) == "!= x");
    CHECK(describe(cmp(CompareOp::lt, {"5"})) == "< 5");
    CHECK(describe(cmp(CompareOp::le, {"5"})) == "<= 5");
    CHECK(describe(cmp(CompareOp::gt, {"5"})) == "> 5");
    CHECK(describe(cmp(CompareOp::ge, {"140000"})) == ">= 140000");
    CHECK(describe(cmp(CompareOp::between, {"1", "5"})) == "between 1 and 5");
    CHECK(describe(cmp(CompareOp::in, {"a", "b"})) == "in (a, b)");
    CHECK(describe(cmp(CompareOp::matches, {"^idx_"})) == "matches /^idx_/");
    CHECK(describe(cmp(CompareOp::within, {"100"}, 5)) == "within 5% of 100");
    CHECK(describe(cmp(CompareOp::within, {"100"}, 0.5)) == "within 0.5% of 100");
    CHECK(describe(cmp(CompareOp::eq, {""})) == "= ''");
    CHECK(describe(cmp(CompareOp::in, {"", "x"})) == "in ('', x)");
    CHECK(describe(cmp(CompareOp::between, {"1"})) == "between 1 and ?");
  }

  TEST_CASE("validate reports what the loader must reject") {
    CHECK_FALSE(validate(cmp(CompareOp::eq, {"0"})).has_value());
    CHECK_FALSE(validate(cmp(CompareOp::matches, {"^a+$"})).has_value());
    CHECK_FALSE(validate(cmp(CompareOp::within, {"100"}, 5)).has_value());
    CHECK_FALSE(validate(cmp(CompareOp::in, {"a", "b", "c"})).has_value());
    CHECK(validate(cmp(CompareOp::matches, {"[a-"}))
              .value()
              .find("invalid regular expression /[a-/: ") == 0);
    CHECK(validate(cmp(CompareOp::between, {"1"})) ==
          "between takes two values [low, high], got 1");
    CHECK(validate(cmp(CompareOp::in, {})) == "in takes a list of at least one value");
    CHECK(validate(cmp(CompareOp::ge, {"1", "2"})) == "ge takes one value, got 2");
    CHECK(validate(cmp(CompareOp::within, {"lots"}, 5)) ==
          "within needs a number for `of`, got \"lots\"");
    CHECK(validate(cmp(CompareOp::within, {"100"}, -1)) ==
          "within needs a pct of 0 or more, got -1");
    // Templates are checked after rendering.
    CHECK_FALSE(validate(cmp(CompareOp::matches, {"{{ params.pattern }}"})).has_value());
    CHECK_FALSE(validate(cmp(CompareOp::within, {"{{ captures.before.value }}"}, 5)).has_value());
  }
}

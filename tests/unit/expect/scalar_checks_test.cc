// rows, value, columns, same_as, affected, exit_code, stdout_contains —
// through the CheckSession that runs them.

#include "expect/check_session.h"

#include <doctest/doctest.h>

#include <map>

using runbook::Check;
using runbook::CheckKind;
using runbook::CompareOp;
using runbook::Comparison;
using runbook::Expectation;
using runbook::Row;
using runbook::expect::CaptureBuilder;
using runbook::expect::CapturedResult;
using runbook::expect::CaptureLookup;
using runbook::expect::CheckOutcome;
using runbook::expect::CheckSession;
using runbook::expect::CommandFacts;
using runbook::expect::Verdict;

namespace {

Check check(CheckKind kind, CompareOp op = CompareOp::eq, std::vector<std::string> operands = {},
            double pct = 0) {
  Check c;
  c.kind = kind;
  c.comparison.op = op;
  c.comparison.operands = std::move(operands);
  c.comparison.pct = pct;
  return c;
}

Expectation expect_one(Check c) {
  Expectation e;
  e.checks.push_back(std::move(c));
  return e;
}

std::vector<Row> numbered(int n) {
  std::vector<Row> rows;
  for (int i = 1; i <= n; ++i) {
    rows.push_back({std::to_string(i)});
  }
  return rows;
}

struct Run {
  const CaptureLookup* captures = nullptr;
  std::size_t sample_rows = 20;
  std::optional<std::int64_t> affected;
  const CommandFacts* command = nullptr;
  std::size_t fed = 0;  // rows given before the session stopped wanting them

  // Feeds rows while the session wants them, like the executor does.
  Verdict operator()(const Check& c, const std::vector<std::string>& columns,
                     const std::vector<Row>& rows) {
    CheckSession session(expect_one(c), captures, sample_rows);
    session.begin(columns);
    for (fed = 0; fed < rows.size() && session.wants_more(); ++fed) {
      session.row(rows[fed]);
    }
    if (fed == rows.size()) {
      session.end_of_result();
    }
    return session.finish(affected, command);
  }
};

const CheckOutcome& only(const Verdict& v) {
  REQUIRE(v.outcomes.size() == 1);
  return v.outcomes.front();
}

class MapCaptures : public CaptureLookup {
 public:
  std::map<std::string, CapturedResult> captures;
  const CapturedResult* find(const std::string& name) const override {
    auto it = captures.find(name);
    return it == captures.end() ? nullptr : &it->second;
  }
};

CapturedResult capture(const std::vector<std::string>& columns, const std::vector<Row>& rows) {
  CaptureBuilder b(2);
  b.begin(columns);
  for (const Row& r : rows) {
    b.row(r);
  }
  return b.finish();
}

}  // namespace

TEST_SUITE("expect::scalar_checks") {
  TEST_CASE("rows: eq holds and fails") {
    Run run;
    Verdict held = run(check(CheckKind::rows, CompareOp::eq, {"3"}), {"n"}, numbered(3));
    CHECK(held.held);
    CHECK(only(held).expected == "3 rows");
    CHECK(only(held).actual == "3 rows");
    CHECK(only(held).kind == CheckKind::rows);

    Verdict failed = run(check(CheckKind::rows, CompareOp::eq, {"0"}), {"n"}, numbered(1));
    CHECK_FALSE(failed.held);
    CHECK(only(failed).expected == "0 rows");
    CHECK(only(failed).actual == "1 row");

    Verdict short_of = run(check(CheckKind::rows, CompareOp::eq, {"1"}), {"n"}, {});
    CHECK_FALSE(short_of.held);
    CHECK(only(short_of).expected == "1 row");
    CHECK(only(short_of).actual == "0 rows");
  }

  TEST_CASE("rows: eq fails as soon as the count passes it") {
    Run run;
    run.sample_rows = 0;
    Verdict v = run(check(CheckKind::rows, CompareOp::eq, {"0"}), {"n"}, numbered(1000));
    CHECK_FALSE(v.held);
    CHECK(run.fed == 1);
    CHECK(only(v).actual == "at least 1 row");
    CHECK_FALSE(v.sample.complete);
    CHECK(v.sample.row_count == 1);

    run.sample_rows = 2;
    Verdict le = run(check(CheckKind::rows, CompareOp::le, {"5"}), {"n"}, numbered(1000));
    CHECK_FALSE(le.held);
    CHECK(run.fed == 6);
    CHECK(only(le).expected == "rows <= 5");
    CHECK(only(le).actual == "at least 6 rows");
  }

  TEST_CASE("rows: every operator, holding and failing") {
    struct Case {
      CompareOp op;
      std::vector<std::string> operands;
      int rows;
      bool held;
      const char* expected;
    };
    const Case cases[] = {
        {CompareOp::ne, {"0"}, 2, true, "rows != 0"},
        {CompareOp::ne, {"2"}, 2, false, "rows != 2"},
        {CompareOp::lt, {"3"}, 2, true, "rows < 3"},
        {CompareOp::lt, {"3"}, 3, false, "rows < 3"},
        {CompareOp::le, {"3"}, 3, true, "rows <= 3"},
        {CompareOp::le, {"3"}, 4, false, "rows <= 3"},
        {CompareOp::gt, {"3"}, 4, true, "rows > 3"},
        {CompareOp::gt, {"3"}, 3, false, "rows > 3"},
        {CompareOp::ge, {"3"}, 3, true, "rows >= 3"},
        {CompareOp::ge, {"3"}, 2, false, "rows >= 3"},
        {CompareOp::between, {"1", "5"}, 5, true, "rows between 1 and 5"},
        {CompareOp::between, {"1", "5"}, 0, false, "rows between 1 and 5"},
        {CompareOp::between, {"1", "5"}, 6, false, "rows between 1 and 5"},
        {CompareOp::in, {"0", "4"}, 4, true, "rows in (0, 4)"},
        {CompareOp::in, {"0", "4"}, 2, false, "rows in (0, 4)"},
        {CompareOp::matches, {"^1[0-9]$"}, 12, true, "rows matches /^1[0-9]$/"},
        {CompareOp::matches, {"^1[0-9]$"}, 9, false, "rows matches /^1[0-9]$/"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.expected);
      CAPTURE(c.rows);
      Run run;
      Verdict v = run(check(CheckKind::rows, c.op, c.operands), {"n"}, numbered(c.rows));
      CHECK(v.held == c.held);
      CHECK(only(v).expected == c.expected);
    }
    Run run;
    Verdict within =
        run(check(CheckKind::rows, CompareOp::within, {"100"}, 5), {"n"}, numbered(104));
    CHECK(within.held);
    CHECK(only(within).expected == "rows within 5% of 100");
    CHECK_FALSE(
        run(check(CheckKind::rows, CompareOp::within, {"100"}, 5), {"n"}, numbered(94)).held);
  }

  TEST_CASE("rows: ge and gt hold as soon as reached") {
    Run run;
    run.sample_rows = 2;
    Verdict ge = run(check(CheckKind::rows, CompareOp::ge, {"3"}), {"n"}, numbered(1000));
    CHECK(ge.held);
    CHECK(run.fed == 3);
    CHECK(only(ge).actual == "at least 3 rows");
    Verdict gt = run(check(CheckKind::rows, CompareOp::gt, {"0"}), {"n"}, numbered(1000));
    CHECK(gt.held);
    CHECK(run.fed == 2);  // decided at 1, but the sample wants 2
    CHECK(gt.sample.rows.size() == 2);
  }

  TEST_CASE("rows: a statement with no result set has 0 rows") {
    CheckSession session(expect_one(check(CheckKind::rows, CompareOp::eq, {"0"})), nullptr);
    Verdict v = session.finish();
    CHECK(v.held);
    CHECK(only(v).actual == "0 rows");
  }

  TEST_CASE("value: one row, one column, compared") {
    Run run;
    Verdict held = run(check(CheckKind::value, CompareOp::ge, {"140000"}), {"v"}, {{"150004"}});
    CHECK(held.held);
    CHECK(only(held).expected == "value >= 140000");
    CHECK(only(held).actual == "150004");

    Verdict failed = run(check(CheckKind::value, CompareOp::ge, {"140000"}), {"v"}, {{"90600"}});
    CHECK_FALSE(failed.held);
    CHECK(only(failed).actual == "90600");

    Verdict boolean = run(check(CheckKind::value, CompareOp::eq, {"true"}), {"ok"}, {{"t"}});
    CHECK(boolean.held);
    CHECK(only(boolean).expected == "value = true");

    Verdict null = run(check(CheckKind::value, CompareOp::eq, {""}), {"v"}, {{std::nullopt}});
    CHECK(null.held);
    CHECK(only(null).actual == "NULL");
    Verdict not_null = run(check(CheckKind::value, CompareOp::eq, {"0"}), {"v"}, {{std::nullopt}});
    CHECK_FALSE(not_null.held);
    CHECK(only(not_null).actual == "NULL");
    Verdict empty = run(check(CheckKind::value, CompareOp::eq, {"x"}), {"v"}, {{""}});
    CHECK(only(empty).actual == "''");
  }

  TEST_CASE("value: not exactly one row of one column fails") {
    Run run;
    Verdict none = run(check(CheckKind::value, CompareOp::eq, {"1"}), {"v"}, {});
    CHECK_FALSE(none.held);
    CHECK(only(none).actual == "no rows");

    Verdict wide = run(check(CheckKind::value, CompareOp::eq, {"1"}), {"a", "b"}, {{"1", "2"}});
    CHECK_FALSE(wide.held);
    CHECK(only(wide).actual == "2 columns: a, b");

    run.sample_rows = 0;
    Verdict many = run(check(CheckKind::value, CompareOp::eq, {"1"}), {"v"}, numbered(100));
    CHECK_FALSE(many.held);
    CHECK(run.fed == 2);  // fails at the second row
    CHECK(only(many).actual == "at least 2 rows:\n v \n---\n(showing 0 of at least 2 rows)");

    run.sample_rows = 20;
    Verdict two = run(check(CheckKind::value, CompareOp::eq, {"1"}), {"v"}, numbered(2));
    CHECK(only(two).actual == "2 rows:\n v \n---\n 1\n 2\n(2 rows)");
  }

  TEST_CASE("columns: exactly these, in order") {
    Check c = check(CheckKind::columns);
    c.names = {"conname", "contype"};
    Run run;
    Verdict held = run(c, {"conname", "contype"}, {});
    CHECK(held.held);
    CHECK(only(held).expected == "columns: conname, contype");
    CHECK(only(held).actual == "columns: conname, contype");
    Verdict swapped = run(c, {"contype", "conname"}, {});
    CHECK_FALSE(swapped.held);
    CHECK(only(swapped).actual == "columns: contype, conname");
    CHECK_FALSE(run(c, {"conname", "contype", "x"}, {}).held);
    CHECK_FALSE(run(c, {"Conname", "contype"}, {}).held);
  }

  TEST_CASE("columns needs no rows") {
    Check c = check(CheckKind::columns);
    c.names = {"n"};
    Run run;
    run.sample_rows = 0;
    Verdict v = run(c, {"n"}, numbered(10));
    CHECK(v.held);
    CHECK(run.fed == 0);
  }

  TEST_CASE("same_as: equal results in any order") {
    MapCaptures captures;
    captures.captures["before"] = capture({"t", "n"}, {{"Recipe", "10"}, {"Item", "7"}, {"X", ""}});
    Check c = check(CheckKind::same_as);
    c.text = "before";
    Run run;
    run.captures = &captures;
    Verdict v = run(c, {"t", "n"}, {{"X", ""}, {"Item", "7"}, {"Recipe", "10"}});
    CHECK(v.held);
    CHECK(only(v).expected == "same result as captures.before (3 rows, columns: t, n)");
    CHECK(only(v).actual == "3 rows, columns: t, n");
  }

  TEST_CASE("same_as: different rows, counts, columns") {
    MapCaptures captures;
    captures.captures["before"] = capture({"t", "n"}, {{"Recipe", "10"}, {"Item", "7"}});
    Check c = check(CheckKind::same_as);
    c.text = "before";
    Run run;
    run.captures = &captures;

    Verdict changed = run(c, {"t", "n"}, {{"Recipe", "10"}, {"Item", "8"}});
    CHECK_FALSE(changed.held);
    CHECK(only(changed).actual == "2 rows, columns: t, n; as many rows, but not the same rows");

    Verdict null_vs_empty = run(c, {"t", "n"}, {{"Recipe", "10"}, {"Item", std::nullopt}});
    CHECK_FALSE(null_vs_empty.held);

    Verdict fewer = run(c, {"t", "n"}, {{"Recipe", "10"}});
    CHECK_FALSE(fewer.held);
    CHECK(only(fewer).actual == "1 row, columns: t, n");

    run.sample_rows = 0;
    Verdict more = run(c, {"t", "n"}, {{"a", "1"}, {"b", "2"}, {"c", "3"}, {"d", "4"}});
    CHECK_FALSE(more.held);
    CHECK(run.fed == 3);  // one more than captured decides
    CHECK(only(more).actual == "at least 3 rows, columns: t, n");

    run.sample_rows = 20;
    Verdict renamed = run(c, {"table", "n"}, {{"Recipe", "10"}, {"Item", "7"}});
    CHECK_FALSE(renamed.held);
    CHECK(only(renamed).actual == "2 rows, columns: table, n");
  }

  TEST_CASE("same_as: an unknown capture fails and says so") {
    Check c = check(CheckKind::same_as);
    c.text = "befor";
    MapCaptures captures;
    Run run;
    run.captures = &captures;
    run.sample_rows = 0;
    Verdict v = run(c, {"n"}, numbered(5));
    CHECK_FALSE(v.held);
    CHECK(run.fed == 0);
    CHECK(only(v).actual ==
          "no capture named \"befor\" (a step before this one must have `capture: befor`)");
    Run no_lookup;
    CHECK_FALSE(no_lookup(c, {"n"}, {}).held);
  }

  TEST_CASE("affected") {
    Run run;
    run.affected = 5;
    Verdict held = run(check(CheckKind::affected, CompareOp::eq, {"5"}), {}, {});
    CHECK(held.held);
    CHECK(only(held).expected == "5 rows affected");
    CHECK(only(held).actual == "5 rows affected");
    run.affected = 1;
    Verdict failed = run(check(CheckKind::affected, CompareOp::ge, {"2"}), {}, {});
    CHECK_FALSE(failed.held);
    CHECK(only(failed).expected == "rows affected >= 2");
    CHECK(only(failed).actual == "1 row affected");
    CHECK(failed.sample.affected == 1);
    run.affected.reset();
    Verdict unknown = run(check(CheckKind::affected, CompareOp::eq, {"0"}), {}, {});
    CHECK_FALSE(unknown.held);
    CHECK(only(unknown).actual == "no count of rows affected (the statement reported none)");
  }

  TEST_CASE("exit_code") {
    CommandFacts facts;
    facts.exit_code = 0;
    Run run;
    run.command = &facts;
    Verdict held = run(check(CheckKind::exit_code, CompareOp::eq, {"0"}), {}, {});
    CHECK(held.held);
    CHECK(only(held).expected == "exit code = 0");
    CHECK(only(held).actual == "exit code 0");
    facts.exit_code = 2;
    Verdict failed = run(check(CheckKind::exit_code, CompareOp::eq, {"0"}), {}, {});
    CHECK_FALSE(failed.held);
    CHECK(only(failed).actual == "exit code 2");
    CHECK(run(check(CheckKind::exit_code, CompareOp::ne, {"0"}), {}, {}).held);
    Run no_command;
    CHECK(only(no_command(check(CheckKind::exit_code, CompareOp::eq, {"0"}), {}, {})).actual ==
          "no exit code (not a command step)");
  }

  TEST_CASE("stdout_contains") {
    CommandFacts facts;
    facts.stdout_text = "dump complete\n42 tables\n";
    Check c = check(CheckKind::stdout_contains);
    c.text = "42 tables";
    Run run;
    run.command = &facts;
    Verdict held = run(c, {}, {});
    CHECK(held.held);
    CHECK(only(held).expected == "stdout contains \"42 tables\"");
    c.text = "43 tables";
    Verdict failed = run(c, {}, {});
    CHECK_FALSE(failed.held);
    CHECK(only(failed).actual ==
          "stdout does not contain it; it reads:\n  dump complete\n  42 tables");
    facts.stdout_text.clear();
    CHECK(only(run(c, {}, {})).actual == "stdout is empty");
  }
}

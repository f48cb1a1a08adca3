#include "report/run_report.h"

#include "report/redact.h"
#include "report/sample_run.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <vector>

using namespace runbook;
using namespace runbook::report;
using runbook::test::sample_run;

namespace {

// Just enough of XML 1.0 to tell a well-formed junit.xml from a broken one:
// balanced tags, quoted attributes, only known entities, no forbidden
// characters. Returns "" when well formed, else what is wrong; counts the
// elements by name.
struct XmlCheck {
  std::map<std::string, int> elements;

  std::string run(const std::string& xml) {
    if (xml.rfind("<?xml ", 0) != 0) {
      return "no XML declaration";
    }
    std::vector<std::string> open;
    int roots = 0;
    std::size_t i = xml.find("?>") + 2;
    while (i < xml.size()) {
      if (xml[i] != '<') {
        std::size_t end = xml.find('<', i);
        if (std::string e = text(xml.substr(i, end - i)); !e.empty()) {
          return e;
        }
        i = end == std::string::npos ? xml.size() : end;
        continue;
      }
      std::size_t close = xml.find('>', i);
      if (close == std::string::npos) {
        return "unterminated tag";
      }
      std::string tag = xml.substr(i + 1, close - i - 1);
      i = close + 1;
      if (tag[0] == '/') {
        if (open.empty() || open.back() != tag.substr(1)) {
          return "mismatched </" + tag.substr(1) + ">";
        }
        open.pop_back();
        continue;
      }
      bool self_closing = tag.back() == '/';
      if (self_closing) {
        tag.pop_back();
      }
      std::string name = tag.substr(0, tag.find_first_of(" \n"));
      if (std::string e = attributes(tag.substr(name.size())); !e.empty()) {
        return name + ": " + e;
      }
      ++elements[name];
      roots += open.empty() ? 1 : 0;
      if (!self_closing) {
        open.push_back(name);
      }
    }
    return !open.empty() ? "unclosed <" + open.back() + ">" : roots != 1 ? "not one root" : "";
  }

  static std::string text(const std::string& s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
        return "control character in text";
      }
      if (c == '&') {
        std::size_t semi = s.find(';', i);
        std::string entity = s.substr(i, semi - i + 1);
        static const std::vector<std::string> known = {"&amp;",  "&lt;", "&gt;",  "&quot;",
                                                       "&apos;", "&#9;", "&#10;", "&#13;"};
        if (std::find(known.begin(), known.end(), entity) == known.end()) {
          return "unknown entity " + entity;
        }
      }
    }
    return "";
  }

  static std::string attributes(const std::string& s) {
    std::size_t i = 0;
    while ((i = s.find_first_not_of(" \n", i)) != std::string::npos) {
      std::size_t eq = s.find("=\"", i);
      std::size_t end = eq == std::string::npos ? eq : s.find('"', eq + 2);
      if (end == std::string::npos) {
        return "bad attribute";
      }
      std::string value = s.substr(eq + 2, end - eq - 2);
      if (value.find('<') != std::string::npos || value.find('\n') != std::string::npos) {
        return "raw < or newline in attribute";
      }
      if (std::string e = text(value); !e.empty()) {
        return e;
      }
      i = end + 1;
    }
    return "";
  }
};

}  // namespace

TEST_SUITE("report::run_report_json") {
  TEST_CASE("has every field of the record") {
    std::string j = run_report_json(sample_run());
    for (const char* key : {"\"format\": \"runbook-report/1\"",
                            "\"command\": \"run\"",
                            "\"run_id\": \"20250115T100000Z-3f2a\"",
                            "\"runbook\": \"recipes-phase-1-4\"",
                            "\"outcome\": \"step_failed\"",
                            "\"outcome_text\": \"NO-GO: a step failed\"",
                            "\"exit_code\": 2",
                            "\"journal_written\": true",
                            "\"dry_run\": false",
                            "\"sqlstate\": \"55P03\"",
                            "\"rows_affected\": 42",
                            "\"rows_affected\": null",
                            "\"started_at\": null",
                            "\"attempts\": 3",
                            "\"where\": \"runbooks/recipes.yaml:40:7\"",
                            "\"api_token\"",
                            "\"********\"",
                            "\"gate_warned\": true",
                            "\"rolled_back\": true",
                            "\"rollback_error\": null",
                            "\"checks_failed\": 2",
                            "\"failed\": 1"}) {
      CAPTURE(key);
      CHECK(j.find(key) != std::string::npos);
    }
    CHECK(j.rfind("{\n  \"format\"", 0) == 0);
    CHECK(j.back() == '\n');
  }

  TEST_CASE("parses back to the same record") {
    RunRecord run = sample_run();
    run.steps[2].rollback_error = SqlErrorRecord{"42704", "index does not exist", "", "", ""};
    run.steps[4].exit_code = 3;
    run.steps[4].output = "psql: line 1\n";
    std::string first = run_report_json(run);
    std::string error;
    std::optional<RunRecord> back = run_report_from_json(first, &error);
    REQUIRE_MESSAGE(back.has_value(), error);
    CHECK(back->steps.size() == run.steps.size());
    CHECK(back->steps[4].error->hint == run.steps[4].error->hint);
    CHECK(back->steps[4].checks[0].actual == run.steps[4].checks[0].actual);
    CHECK(back->steps[5].status == StepStatus::pending);
    CHECK_FALSE(back->steps[5].rows_affected.has_value());
    CHECK(back->outcome == RunOutcome::step_failed);
    CHECK(run_report_json(*back) == first);
  }

  TEST_CASE("a query's result and the captures read back, NULL cells included") {
    RunRecord run = sample_run();
    std::optional<RunRecord> back = run_report_from_json(run_report_json(run), nullptr);
    REQUIRE(back.has_value());
    REQUIRE(back->steps[1].result.has_value());
    CHECK(back->steps[1].result->columns == std::vector<std::string>{"id", "company"});
    CHECK(back->steps[1].result->rows[1][1] == std::nullopt);
    CHECK(back->steps[1].result->row_count == 3);
    CHECK_FALSE(back->steps[0].result.has_value());
    REQUIRE(back->captures.size() == 1);
    CHECK(back->captures[0].name == "counts_before");
    CHECK(back->captures[0].step == "pg-version");
    CHECK(back->captures[0].result.rows[1][1] == "4000");
  }

  TEST_CASE("every outcome round-trips by its token") {
    for (RunOutcome o :
         {RunOutcome::go, RunOutcome::go_with_warnings, RunOutcome::no_go, RunOutcome::step_failed,
          RunOutcome::postflight_failed, RunOutcome::rollback_failed, RunOutcome::interrupted,
          RunOutcome::environment, RunOutcome::invalid, RunOutcome::dry_run}) {
      RunRecord run;
      run.outcome = o;
      std::optional<RunRecord> back = run_report_from_json(run_report_json(run), nullptr);
      REQUIRE(back.has_value());
      CHECK(back->outcome == o);
    }
  }

  TEST_CASE("the report of a rollback says so, and reads back as one") {
    RunRecord run = sample_run();
    run.command = "rollback";
    std::string j = run_report_json(run);
    CHECK(j.find("\"command\": \"rollback\"") != std::string::npos);
    std::optional<RunRecord> back = run_report_from_json(j, nullptr);
    REQUIRE(back.has_value());
    CHECK(back->command == "rollback");
  }

  TEST_CASE("rejects what it did not write") {
    std::string error;
    CHECK_FALSE(run_report_from_json("{", &error).has_value());
    CHECK_FALSE(error.empty());
    CHECK_FALSE(run_report_from_json("{\"format\": \"other/9\"}", &error).has_value());
    CHECK(error.find("other/9") != std::string::npos);
    std::string wrong = run_report_json(sample_run());
    wrong.replace(wrong.find("\"status\": \"done\""), 16, "\"status\": \"dune\"");
    CHECK_FALSE(run_report_from_json(wrong, &error).has_value());
    CHECK(error.find("dune") != std::string::npos);
  }

  TEST_CASE("bytes that are not UTF-8 do not stop the report") {
    RunRecord run = sample_run();
    run.steps[4].output = "caf\xe9 \xff";
    std::string j = run_report_json(run);
    CHECK(j.find("caf\xEF\xBF\xBD") != std::string::npos);
  }

  // RUNBOOK_WRITE_SAMPLE_REPORT=tests/schema/sample_report.json regenerates
  // the sample that tests/schema/report_schema_test.sh validates.
  TEST_CASE("writes the schema sample when asked") {
    const char* path = std::getenv("RUNBOOK_WRITE_SAMPLE_REPORT");
    if (path == nullptr || *path == '\0') {
      return;
    }
    RunRecord run = sample_run();
    run.steps[2].rollback_error = SqlErrorRecord{"42704", "index does not exist", "", "", ""};
    run.steps[4].exit_code = 3;
    std::ofstream(path) << run_report_json(run);
    MESSAGE("wrote " << path);
  }
}

TEST_SUITE("report::run_report_markdown") {
  TEST_CASE("outcome, facts, params and steps") {
    std::string md = run_report_markdown(sample_run());
    CHECK(md.rfind("# ❌ NO-GO: a step failed — Recipe constraints & indexes <phase 1-4>\n", 0) ==
          0);
    CHECK(md.find("**NO-GO: a step failed** · exit code 2 · 4.5 s") != std::string::npos);
    CHECK(md.find("> step add-fk failed: lock timeout") != std::string::npos);
    CHECK(md.find("| By | alice on ops-1 |") != std::string::npos);
    CHECK(md.find("| `api_token` | `********` |") != std::string::npos);
    CHECK(md.find("| phase | step | status | duration | rows |") != std::string::npos);
    CHECK(
        md.find("| steps | `unique-recipe-item` Composite unique on RecipeItem | ✅ done, ↩️ "
                "rolled back | 1.2 s | 42 |") != std::string::npos);
    CHECK(md.find("| steps | `archive` | ⏭️ skipped (when: params.archive is false) |  |  |") !=
          std::string::npos);
    CHECK(md.find("| postflight | `no-unvalidated` | · not run |  |  |") != std::string::npos);
    CHECK(md.back() == '\n');
    CHECK_FALSE(md.ends_with("\n\n"));
  }

  TEST_CASE("failure details: expected and actual side by side, error with SQLSTATE") {
    std::string md = run_report_markdown(sample_run());
    std::size_t details = md.find("## Failures and warnings");
    REQUIRE(details != std::string::npos);
    std::string d = md.substr(details);
    CHECK(d.find("### ❌ `add-fk` (steps) — failed") != std::string::npos);
    CHECK(d.find("**Check `table`** at `runbooks/recipes.yaml:40:7` did not hold:") !=
          std::string::npos);
    // psql tables exactly as they came, leading space of the header included.
    CHECK(d.find("<tr><td>\n\n```text\n conname | convalidated\n---------+-------------\n fk_a "
                 "   | t\n```\n\n</td><td>\n\n```text\n conname | convalidated\n") !=
          std::string::npos);
    CHECK(d.find(" fk_a    | f\n(1 row)\n```") != std::string::npos);
    CHECK(d.find("**Error** `55P03`") != std::string::npos);
    CHECK(d.find("ERROR:  canceling statement due to lock timeout\nSQLSTATE: 55P03\nDETAIL:  "
                 "while locking relation \"Company\"\nHINT:  Retry when") != std::string::npos);
    CHECK(d.find("### ⚠️ `orphans` (preflight) — warning") != std::string::npos);
    CHECK(d.find("0 rows") != std::string::npos);
    CHECK(d.find("3 rows") != std::string::npos);
    CHECK(d.find("pg-version") == std::string::npos);  // passed: no details
  }

  TEST_CASE("a failed count shows the rows it found, psql-aligned") {
    std::string md = run_report_markdown(sample_run());
    // Numbers right-aligned, NULL empty, as psql shows them.
    CHECK(md.find("Rows found:\n\n```text\n id | company \n----+---------\n  7 | Acme\n  9 | \n "
                  "12 | Zed\n(3 rows)\n```") != std::string::npos);
  }

  TEST_CASE("fences outgrow backticks in the text") {
    RunRecord run = sample_run();
    run.steps[4].output = "a ``` b";
    std::string md = run_report_markdown(run);
    CHECK(md.find("````text\na ``` b\n````") != std::string::npos);
  }

  TEST_CASE("a GO run has no details section") {
    RunRecord run = sample_run();
    run.outcome = RunOutcome::go;
    run.steps.resize(1);
    std::string md = run_report_markdown(run);
    CHECK(md.rfind("# ✅ GO — ", 0) == 0);
    CHECK(md.find("Failures") == std::string::npos);
  }
}

TEST_SUITE("report::junit_xml") {
  TEST_CASE("is well formed with one suite per phase and one case per step") {
    std::string xml = junit_xml(sample_run());
    XmlCheck check;
    CHECK(check.run(xml) == "");
    CHECK(check.elements["testsuites"] == 1);
    CHECK(check.elements["testsuite"] == 3);
    CHECK(check.elements["testcase"] == 6);
    CHECK(check.elements["failure"] == 1);
    CHECK(check.elements["skipped"] == 2);
    CHECK(check.elements["system-out"] == 2);  // the warned gate, the rolled-back step
    CHECK(xml.find("<testsuites name=\"recipes-phase-1-4\" tests=\"6\" failures=\"1\" "
                   "errors=\"0\" skipped=\"2\" time=\"4.500\">") != std::string::npos);
    CHECK(xml.find("<testsuite name=\"recipes-phase-1-4.postflight\" tests=\"1\"") !=
          std::string::npos);
  }

  TEST_CASE("test cases carry class, name, time and what went wrong") {
    std::string xml = junit_xml(sample_run());
    CHECK(xml.find("<testcase classname=\"recipes-phase-1-4.preflight\" name=\"pg-version\" "
                   "time=\"0.012\"/>") != std::string::npos);
    CHECK(xml.find("<testcase classname=\"recipes-phase-1-4.steps\" name=\"add-fk\" "
                   "time=\"2.000\">\n      <failure message=\"table: did not hold\" "
                   "type=\"error\">") != std::string::npos);
    CHECK(xml.find("expected:\n   conname | convalidated") != std::string::npos);
    CHECK(xml.find("SQLSTATE: 55P03") != std::string::npos);
    CHECK(xml.find("HINT:  Retry when traffic is low &amp; &lt;no&gt; long") != std::string::npos);
    CHECK(xml.find("<skipped message=\"when: params.archive is false\"/>") != std::string::npos);
    CHECK(xml.find("<skipped message=\"not run\"/>") != std::string::npos);
    CHECK(xml.find("<system-out>warning (gate: warn): check rows (runbooks/recipes.yaml:26:5) "
                   "did not hold\nexpected:\n  0 rows\nactual:\n  3 rows\n</system-out>") !=
          std::string::npos);
  }

  TEST_CASE("a failed rollback fails its step") {
    RunRecord run = sample_run();
    run.steps[2].rollback_error = SqlErrorRecord{"42704", "index does not exist", "", "", ""};
    std::string xml = junit_xml(run);
    CHECK(xml.find("<failure message=\"rollback failed: ERROR 42704: index does not exist\"") !=
          std::string::npos);
    CHECK(XmlCheck().run(xml) == "");
  }

  TEST_CASE("hostile text stays well formed") {
    RunRecord run = sample_run();
    run.runbook_id = "a\"b'c";
    run.steps[4].id = "x<y>&z";
    run.steps[4].error->message = "bell\x07 nul-free \x1b[31m red \xff\xfe end\r\nline";
    run.steps[4].checks[0].expected = "\"quoted\" 'single' ]]> <![CDATA[";
    std::string xml = junit_xml(run);
    CHECK(XmlCheck().run(xml) == "");
    CHECK(xml.find("name=\"x&lt;y&gt;&amp;z\"") != std::string::npos);
    CHECK(xml.find("a&quot;b&apos;c.steps") != std::string::npos);
    CHECK(xml.find('\x07') == std::string::npos);
    CHECK(xml.find('\x1b') == std::string::npos);
    CHECK(xml.find("]]&gt; &lt;![CDATA[") != std::string::npos);
  }
}

TEST_SUITE("report::xml_escape") {
  TEST_CASE("the five special characters") {
    CHECK(xml_escape("& < > \" '") == "&amp; &lt; &gt; &quot; &apos;");
  }
  TEST_CASE("whitespace in text and in attributes") {
    CHECK(xml_escape("a\tb\nc\rd") == "a\tb\nc&#13;d");
    CHECK(xml_escape("a\tb\nc", XmlIn::attribute) == "a&#9;b&#10;c");
  }
  TEST_CASE("characters XML 1.0 forbids are dropped") {
    CHECK(xml_escape(std::string("a\0b\x01\x1f", 5)) == "ab");
    CHECK(xml_escape("\xEF\xBF\xBE\xEF\xBF\xBF") == "");  // U+FFFE, U+FFFF
  }
  TEST_CASE("invalid UTF-8 becomes U+FFFD, valid UTF-8 passes") {
    CHECK(xml_escape("caf\xe9") == "caf\xEF\xBF\xBD");
    CHECK(xml_escape("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong '/'
    CHECK(xml_escape("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
    CHECK(xml_escape("\xE2\x9C\x93 ok \xF0\x9F\x90\x98") == "\xE2\x9C\x93 ok \xF0\x9F\x90\x98");
    CHECK(xml_escape("\xE2\x9C") == "\xEF\xBF\xBD\xEF\xBF\xBD");  // truncated
  }
}

TEST_SUITE("report::words") {
  TEST_CASE("check lines") {
    CHECK(check_line({"rows", false, "0 rows", "3 rows", ""}) ==
          "rows: expected 0 rows, got 3 rows");
    CHECK(check_line({"table", false, "a\n1", "a\n2", ""}) == "table: did not hold");
    CHECK(check_line({"value", true, "value >= 140000", "160002", ""}) == "value: value >= 140000");
  }
  TEST_CASE("a step's problem, most telling first") {
    StepRecord s;
    CHECK(step_problem(s) == "");
    s.note = "when: false";
    CHECK(step_problem(s) == "when: false");
    s.exit_code = 2;
    CHECK(step_problem(s) == "exit code 2: when: false");
    s.error = SqlErrorRecord{"", "server closed the connection", "", "", ""};
    CHECK(step_problem(s) == "ERROR: server closed the connection");
    s.checks.push_back({"rows", false, "0 rows", "1 row", ""});
    CHECK(step_problem(s) == "rows: expected 0 rows, got 1 row");
  }
  TEST_CASE("found rows: only when a failed check said no more than a count or a value") {
    StepRecord s;
    s.result = test::result({"id"}, {{"1"}, {"2"}, {"3"}});
    s.checks.push_back({"rows", true, "3 rows", "3 rows", ""});
    CHECK(found_rows(s) == "");  // everything held
    s.checks.push_back({"rows", false, "0 rows", "3 rows", ""});
    CHECK(found_rows(s, 2) == " id \n----\n  1\n  2\n(showing 2 of 3 rows)");
    s.checks.push_back({"table", false, "id\n--\n 9", " id\n----\n 1", ""});
    CHECK(found_rows(s) == "");  // the table check shows the rows already
    s.checks.pop_back();
    s.result->rows.clear();
    CHECK(found_rows(s) == "");  // nothing to show
  }
  TEST_CASE("secrets are masked in results and captures") {
    RunRecord run;
    StepRecord s;
    s.result = test::result({"s3cr3t"}, {{"a s3cr3t b"}, {std::nullopt}});
    run.steps.push_back(s);
    run.captures.push_back(CaptureRecord{"tok", "x", test::result({"t"}, {{"s3cr3t"}})});
    redact_run(run, {"s3cr3t"});
    CHECK(run.steps[0].result->columns[0] == "********");
    CHECK(run.steps[0].result->rows[0][0] == "a ******** b");
    CHECK(run.steps[0].result->rows[1][0] == std::nullopt);
    CHECK(run.captures[0].result.rows[0][0] == "********");
  }
  TEST_CASE("long and multi-line text is clipped to one line") {
    StepRecord s;
    s.note = "first line\nsecond";
    CHECK(step_problem(s) == "first line …");
    s.note = std::string(199, 'x') + "\xE2\x9C\x93";  // the cut falls inside ✓
    CHECK(step_problem(s) == std::string(199, 'x') + " …");
  }
}

#include "lint/format.h"

#include <doctest/doctest.h>

using namespace runbook;
using lint::Finding;
using lint::Severity;

namespace {

Finding sample() {
  Finding f;
  f.rule = "require-concurrent-index";
  f.severity = Severity::error;
  f.message = "`CREATE INDEX i ON t (a)`: builds the index under SHARE on t";
  f.hint = "CREATE INDEX CONCURRENTLY";
  f.where = Location{"rb.yaml", 8, 7};
  return f;
}

}  // namespace

TEST_SUITE("lint::format") {
  TEST_CASE("text: file:line:col, severity, rule, message, then the hint") {
    CHECK(lint::format_text(sample()) ==
          "rb.yaml:8:7: error: [require-concurrent-index] `CREATE INDEX i ON t (a)`: builds the "
          "index under SHARE on t\n  hint: CREATE INDEX CONCURRENTLY\n");
    Finding f = sample();
    f.used_at.push_back(Location{"main.yaml", 4, 5});
    CHECK(lint::format_text(f).ends_with("  note: used at main.yaml:4:5\n"));
  }

  TEST_CASE("github: workflow commands with escaped properties and data") {
    Finding f = sample();
    f.severity = Severity::info;
    f.message = "100% done, a:b";
    f.where.file = "dir,x/rb:1.yaml";
    CHECK(lint::format_github(f) ==
          "::notice file=dir%2Cx/rb%3A1.yaml,line=8,col=7,title=runbook lint "
          "require-concurrent-index::100%25 done, a:b%0Ahint: CREATE INDEX CONCURRENTLY\n");
    CHECK(lint::format_github(sample()).starts_with("::error file=rb.yaml,line=8,col=7,"));
  }

  TEST_CASE("suppressed findings print nothing; counts and the summary") {
    Finding s = sample();
    s.suppressed = true;
    Finding w = sample();
    w.severity = Severity::warning;
    CHECK(lint::format_text(s).empty());
    CHECK(lint::format_github(s).empty());
    std::vector<Finding> all = {sample(), s, w};
    lint::Counts c = lint::count(all);
    CHECK(c.errors == 1);
    CHECK(c.warnings == 1);
    CHECK(c.suppressed == 1);
    CHECK(lint::summary_line(c, 2) == "1 error, 1 warning, 0 infos (1 suppressed) in 2 files");
    CHECK(lint::fails(all));
    CHECK_FALSE(lint::fails({s, w}));
  }

  TEST_CASE("order: by the runbook line a finding comes from") {
    Finding in_template = sample();
    in_template.where = Location{"templates/x.yaml", 2, 1};
    in_template.used_at.push_back(Location{"rb.yaml", 3, 5});
    Finding later = sample();
    later.where = Location{"rb.yaml", 9, 1};
    CHECK(lint::comes_before(in_template, later));
    CHECK_FALSE(lint::comes_before(later, in_template));
  }
}

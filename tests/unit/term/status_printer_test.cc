#include "adapters/term/status_printer.h"

#include "report/sample_run.h"

#include <doctest/doctest.h>

#include <sstream>
#include <string>

using namespace runbook;
using runbook::adapters::StatusPrinter;
using runbook::test::sample_run;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

// A clock the test moves by hand.
struct FakeClock {
  std::chrono::steady_clock::time_point t{};
  StatusPrinter::Now now() {
    return [this] { return t; };
  }
};

// The sample run as the executor would report it, with time passing.
void replay(StatusPrinter& p, FakeClock& clock) {
  RunRecord run = sample_run();
  p.run_started(run);
  p.phase_started(Phase::preflight);
  p.step_started(run.steps[0]);
  p.step_finished(run.steps[0]);
  p.step_started(run.steps[1]);
  p.step_finished(run.steps[1]);
  p.phase_started(Phase::steps);
  p.step_started(run.steps[2]);
  StepRecord unique = run.steps[2];
  unique.rolled_back = false;
  for (int i = 1; i <= 12; ++i) {
    clock.t += seconds(1);
    p.step_progress(unique, std::to_string(i * 1000) + " rows");
  }
  p.step_finished(unique);
  p.step_finished(run.steps[3]);
  p.step_started(run.steps[4]);
  p.message("retrying add-fk after lock timeout (attempt 2 of 3)");
  p.step_finished(run.steps[4]);
  p.message("rolling back unique-recipe-item");
  p.step_finished(run.steps[2]);  // now rolled back
  p.run_finished(run);
}

std::string plain_log(bool with_artifacts) {
  std::ostringstream out;
  FakeClock clock;
  StatusPrinter p(out, false, false, clock.now());
  if (with_artifacts) {
    p.set_artifacts(".runbook/runs/20250115T100000Z-3f2a");
  }
  replay(p, clock);
  return out.str();
}

}  // namespace

TEST_SUITE("term::StatusPrinter") {
  TEST_CASE("plain lines off a terminal, without colour") {
    const std::string expected =
        "runbook recipes-phase-1-4: Recipe constraints & indexes <phase 1-4>\n"
        "  database: host=/tmp port=5432 dbname=app user=alice\n"
        "  run: 20250115T100000Z-3f2a\n"
        "\n"
        "preflight\n"
        "  ▶ pg-version …\n"
        "  ✓ pg-version  12 ms\n"
        "  ▶ orphans …\n"
        "  ! orphans  30 ms  warning: rows: expected 0 rows, got 3 rows\n"
        "      rows found\n"
        "       id | company \n"
        "      ----+---------\n"
        "        7 | Acme\n"
        "        9 | \n"
        "       12 | Zed\n"
        "      (3 rows)\n"
        "\n"
        "steps\n"
        "  ▶ unique-recipe-item …\n"
        "  … unique-recipe-item  5000 rows  5.0 s\n"
        "  … unique-recipe-item  10000 rows  10.0 s\n"
        "  ✓ unique-recipe-item  1.2 s  42 rows\n"
        "  – archive  skipped (when: params.archive is false)\n"
        "  ▶ add-fk …\n"
        "    · retrying add-fk after lock timeout (attempt 2 of 3)\n"
        "  ✗ add-fk  2.0 s  3 attempts  table: did not hold\n"
        "      check table at runbooks/recipes.yaml:40:7\n"
        "      expected                │ actual\n"
        "       conname | convalidated │  conname | convalidated\n"
        "      ---------+------------- │ ---------+-------------\n"
        "       fk_a    | t            │  fk_a    | f\n"
        "                              │ (1 row)\n"
        "      DETAIL: while locking relation \"Company\"\n"
        "      HINT: Retry when traffic is low & <no> long transactions run.\n"
        "    · rolling back unique-recipe-item\n"
        "  ↶ unique-recipe-item  1.2 s  42 rows  rolled back\n"
        "\n"
        "NO-GO: a step failed  ·  exit 2  ·  4.5 s\n"
        "  step add-fk failed: lock timeout\n"
        "gates:\n"
        "  ✓ pg-version      value: value >= 140000\n"
        "  ! orphans         rows: expected 0 rows, got 3 rows\n"
        "  ✗ add-fk          table: did not hold\n"
        "  · no-unvalidated  not run\n"
        "artifacts: .runbook/runs/20250115T100000Z-3f2a\n";
    CHECK(plain_log(true) == expected);
  }

  TEST_CASE("never an escape code or carriage return without colour and terminal") {
    std::string log = plain_log(false);
    CHECK(log.find('\x1b') == std::string::npos);
    CHECK(log.find('\r') == std::string::npos);
    CHECK(log.find("artifacts:") == std::string::npos);
  }

  TEST_CASE("colour adds ANSI codes, and only colour does") {
    std::ostringstream out;
    FakeClock clock;
    StatusPrinter p(out, true, false, clock.now());
    replay(p, clock);
    std::string log = out.str();
    CHECK(log.find("\x1b[32m✓\x1b[0m pg-version") != std::string::npos);
    CHECK(log.find("\x1b[31m✗\x1b[0m add-fk") != std::string::npos);
    CHECK(log.find("\x1b[33m!\x1b[0m orphans") != std::string::npos);
    CHECK(log.find("\x1b[1m\x1b[31mNO-GO: a step failed\x1b[0m\x1b[0m") != std::string::npos);
    CHECK(log.find('\r') == std::string::npos);  // colour alone is not a terminal
  }

  TEST_CASE("on a terminal the running step's line is rewritten in place") {
    std::ostringstream out;
    FakeClock clock;
    StatusPrinter p(out, false, true, clock.now());
    StepRecord s = sample_run().steps[2];
    s.rolled_back = false;
    p.step_started(s);
    CHECK(out.str() == "\r  ▶ unique-recipe-item …");
    clock.t += milliseconds(50);
    p.step_progress(s, "100 rows");  // too soon: not drawn
    CHECK(out.str() == "\r  ▶ unique-recipe-item …");
    clock.t += milliseconds(100);
    p.step_progress(s, "2000 rows");
    CHECK(out.str() ==
          "\r  ▶ unique-recipe-item …"
          "\r  ▶ unique-recipe-item … 2000 rows  150 ms");
    out.str("");
    p.message("NOTICE: relation exists");
    // Cleared, the message, the live line drawn again.
    CHECK(out.str() == "\r" + std::string(42, ' ') + "\r    · NOTICE: relation exists\n" +
                           "  ▶ unique-recipe-item … 2000 rows  150 ms");
    out.str("");
    p.step_finished(s);
    CHECK(out.str() == "\r" + std::string(42, ' ') + "\r  ✓ unique-recipe-item  1.2 s  42 rows\n");
    CHECK(out.str().find('\x1b') == std::string::npos);
  }

  TEST_CASE("a shorter live line blanks out the longer one's tail") {
    std::ostringstream out;
    FakeClock clock;
    StatusPrinter p(out, false, true, clock.now());
    StepRecord s;
    s.id = "x";
    p.step_started(s);
    clock.t += seconds(1);
    p.step_progress(s, "a long progress text");
    out.str("");
    clock.t += seconds(1);
    p.step_progress(s, "short");
    CHECK(out.str() == "\r  ▶ x … short  2.0 s" + std::string(15, ' ') + std::string(15, '\b'));
  }

  TEST_CASE("live lines never wrap on an 80-column terminal") {
    std::ostringstream out;
    FakeClock clock;
    StatusPrinter p(out, false, true, clock.now());
    StepRecord s;
    s.id = std::string(100, 'x');
    p.step_started(s);
    CHECK(out.str() == "\r  ▶ " + std::string(74, 'x') + "…");
  }

  TEST_CASE("progress for a step that was not announced is timed from its first report") {
    std::ostringstream out;
    FakeClock clock;
    clock.t += std::chrono::hours(1000);
    StatusPrinter p(out, false, false, clock.now());
    StepRecord s;
    s.id = "backfill";
    p.step_progress(s, "1 row");
    clock.t += seconds(6);
    p.step_progress(s, "9 rows");
    CHECK(out.str() == "  … backfill  9 rows  6.0 s\n");
  }

  TEST_CASE("a progress interval makes a log show progress that often") {
    std::ostringstream out;
    FakeClock clock;
    StatusPrinter p(out, false, false, clock.now());
    p.set_progress_interval(std::chrono::milliseconds(200));
    StepRecord s;
    s.id = "index";
    p.step_started(s);
    clock.t += std::chrono::milliseconds(100);
    p.step_progress(s, "too soon");
    clock.t += std::chrono::milliseconds(150);
    p.step_progress(s, "building index: scanning table 45% (9 of 20 blocks)");
    CHECK(out.str() ==
          "  ▶ index …\n  … index  building index: scanning table 45% (9 of 20 blocks)  250 ms\n");
  }

  TEST_CASE("a failed rollback is a failure") {
    std::ostringstream out;
    StatusPrinter p(out, false, false);
    StepRecord s = sample_run().steps[2];
    s.rolled_back = false;
    s.rollback_error = SqlErrorRecord{"42704", "index \"i\" does not exist", "", "", ""};
    p.step_finished(s);
    CHECK(out.str() ==
          "  ✗ unique-recipe-item  1.2 s  42 rows\n"
          "      rollback failed: ERROR 42704: index \"i\" does not exist\n");
  }

  TEST_CASE("a command's output is shown when it fails") {
    std::ostringstream out;
    StatusPrinter p(out, false, false);
    StepRecord s;
    s.id = "dump";
    s.kind = StepKind::command;
    s.status = StepStatus::failed;
    s.duration_ms = 300;
    s.exit_code = 1;
    s.output = "pg_dump: error: connection failed\nsecond line\n";
    p.step_finished(s);
    CHECK(out.str() ==
          "  ✗ dump  300 ms  exit code 1\n"
          "      │ pg_dump: error: connection failed\n"
          "      │ second line\n");
  }

  TEST_CASE("a GO run's summary") {
    std::ostringstream out;
    StatusPrinter p(out, false, false);
    RunRecord run = sample_run();
    run.outcome = RunOutcome::go;
    run.summary.clear();
    run.steps.resize(1);
    p.run_finished(run);
    CHECK(out.str() ==
          "\nGO  ·  exit 0  ·  4.5 s\ngates:\n  ✓ pg-version  value: value >= 140000\n");
  }
}

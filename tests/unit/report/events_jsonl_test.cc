#include "report/events_jsonl.h"

#include "base/strings.h"
#include "report/sample_run.h"

#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

using namespace runbook;
using runbook::report::EventsJsonl;
using runbook::test::sample_run;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  for (std::string_view l : split_lines(text)) {
    if (!l.empty()) {
      out.emplace_back(l);
    }
  }
  return out;
}

// Drives an observer through the sample run the way the executor would.
void replay(exec::RunObserver& o) {
  RunRecord run = sample_run();
  o.run_started(run);
  o.phase_started(Phase::preflight);
  o.step_started(run.steps[0]);
  o.step_finished(run.steps[0]);
  o.phase_started(Phase::steps);
  StepRecord fk = run.steps[4];
  o.step_started(fk);
  fk.rows_affected = 5000;
  o.step_progress(fk, "5000 rows");
  o.message("retrying add-fk after lock timeout (attempt 2 of 3)");
  o.step_finished(run.steps[4]);
  o.run_finished(run);
}

}  // namespace

TEST_SUITE("report::EventsJsonl") {
  TEST_CASE("one object per line, in order, numbered") {
    std::string buffer;
    EventsJsonl events(buffer);
    replay(events);
    std::vector<std::string> lines = lines_of(buffer);
    REQUIRE(lines.size() == 10);
    CHECK(buffer.back() == '\n');
    const char* kinds[] = {"run_started",   "phase_started", "step_started",  "step_finished",
                           "phase_started", "step_started",  "step_progress", "message",
                           "step_finished", "run_finished"};
    for (std::size_t i = 0; i < lines.size(); ++i) {
      CAPTURE(lines[i]);
      CHECK(lines[i].rfind("{\"event\":\"" + std::string(kinds[i]) +
                               "\",\"seq\":" + std::to_string(i + 1) + ",",
                           0) == 0);
      CHECK(lines[i].back() == '}');
    }
  }

  TEST_CASE("events carry the record's fields and times") {
    std::string buffer;
    EventsJsonl events(buffer);
    replay(events);
    std::vector<std::string> l = lines_of(buffer);
    CHECK(l[0].find("\"run_id\":\"20250115T100000Z-3f2a\"") != std::string::npos);
    CHECK(l[0].find("\"started_at\":\"2025-01-15T10:00:00Z\"") != std::string::npos);
    CHECK(l[0].find("{\"name\":\"api_token\",\"value\":\"********\"}") != std::string::npos);
    CHECK(l[1] == "{\"event\":\"phase_started\",\"seq\":2,\"phase\":\"preflight\"}");
    CHECK(l[3].find("\"id\":\"pg-version\",\"phase\":\"preflight\",\"status\":\"done\"") !=
          std::string::npos);
    CHECK(l[3].find("\"duration_ms\":12") != std::string::npos);
    CHECK(l[6] ==
          "{\"event\":\"step_progress\",\"seq\":7,\"id\":\"add-fk\",\"phase\":\"steps\","
          "\"progress\":\"5000 rows\",\"rows_affected\":5000}");
    CHECK(l[7] ==
          "{\"event\":\"message\",\"seq\":8,\"text\":\"retrying add-fk after lock timeout "
          "(attempt 2 of 3)\"}");
    CHECK(l[8].find("\"status\":\"failed\"") != std::string::npos);
    CHECK(l[8].find("\"sqlstate\":\"55P03\"") != std::string::npos);
    CHECK(l[8].find("\"checks_failed\":[{\"kind\":\"table\"") != std::string::npos);
    CHECK(l[9].find("\"outcome\":\"step_failed\",\"outcome_text\":\"NO-GO: a step failed\","
                    "\"exit_code\":2") != std::string::npos);
    CHECK(l[9].find("\"finished_at\":\"2025-01-15T10:00:04.500Z\"") != std::string::npos);
  }

  TEST_CASE("the same calls give the same bytes, to a buffer or a stream") {
    std::string buffer;
    EventsJsonl to_buffer(buffer);
    replay(to_buffer);
    std::ostringstream stream;
    EventsJsonl to_stream(stream);
    replay(to_stream);
    CHECK(stream.str() == buffer);
  }

  TEST_CASE("text with newlines and bad bytes stays on one line") {
    std::string buffer;
    EventsJsonl events(buffer);
    events.message("NOTICE: line one\nline two \xff");
    CHECK(buffer ==
          "{\"event\":\"message\",\"seq\":1,\"text\":\"NOTICE: line one\\nline two "
          "\xEF\xBF\xBD\"}\n");
  }
}

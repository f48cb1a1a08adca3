#pragma once
// The artifacts of a run (DESIGN §2 "Artifacts"), each a pure function of the
// RunRecord: the caller writes the text where it wants (--out DIR).
//
//   report.json  everything in the record, for machines; its shape is
//                schemas/report.schema.json ("format": "runbook-report/1")
//   report.md    for humans: a pull-request comment or a change record
//   junit.xml    for CI: one <testsuite> per phase, one <testcase> per step
//
// Params arrive already redacted (secrets as ********); nothing here looks at
// secrets again. Text from the database (errors, output, actual results) is
// written as it came, only escaped for the format.

#include "model/run_record.h"

#include <optional>
#include <string>
#include <string_view>

namespace runbook::report {

// The "format" value of report.json; bump on incompatible changes.
inline constexpr const char* kRunReportFormat = "runbook-report/1";

std::string run_report_json(const RunRecord& run);
std::string run_report_markdown(const RunRecord& run);
std::string junit_xml(const RunRecord& run);

// Reads a report.json back (for round trips and tools that compare runs).
// Returns nullopt with `error` set when the text is not a report this version
// writes.
std::optional<RunRecord> run_report_from_json(std::string_view text, std::string* error);

// A stable snake_case token for the outcome ("go_with_warnings"), where
// to_string(RunOutcome) is the words shown to people ("GO with warnings").
const char* outcome_token(RunOutcome outcome);

// Words shared by the reports and the terminal, so they all say the same.
//
// A check in one line: "rows: expected 0 rows, got 3 rows", or
// "table: did not hold" when either side spans several lines (a table).
std::string check_line(const CheckRecord& check);
// "ERROR 55P03: canceling statement due to lock timeout" (no code when the
// failure did not come from the server).
std::string sql_error_line(const SqlErrorRecord& error);
// The rows a check found, psql-aligned, cut to `max_rows` (the footer says
// how many were read), when one of its failed checks says only a
// count or a value: "expected 0 rows, got 3 rows" then shows the 3 rows.
// "" when there is nothing more to show.
std::string found_rows(const StepRecord& step, std::size_t max_rows = 10);
// Why a step did not simply pass, in one line: its first failed check, its
// error, a command's exit code, or its note. "" when there is nothing to say.
std::string step_problem(const StepRecord& step);

enum class XmlIn { text, attribute };

// Text safe in XML 1.0 element content or attribute values: & < > " '
// escaped; control characters XML 1.0 forbids dropped and invalid UTF-8
// replaced by U+FFFD, so any text from the database yields a well-formed
// document. In attributes tab, newline and CR become character references,
// which parsers would otherwise normalise to spaces.
std::string xml_escape(std::string_view text, XmlIn where = XmlIn::text);

}  // namespace runbook::report

#pragma once
// The executor's doors to the world. The executor talks only to these
// interfaces; adapters/ implements them with libpq, processes, the terminal
// and the clock, and tests can substitute their own.

#include "model/result_set.h"
#include "model/run_record.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace runbook::exec {

struct SqlError {
  std::string sqlstate;  // "" when the failure was not from the server
  std::string message;
  std::string detail;
  std::string hint;
  bool connection_lost = false;
  // Where in the statement the server points (PG_DIAG_STATEMENT_POSITION):
  // a 1-based character count, 0 when it names no place.
  std::size_t position = 0;
  // That place in the runbook, file:line:col, when the SQL came from it.
  std::string at;
};

// Receives rows as they arrive. Returning false from row() stops reading
// (the rest of the result is discarded, not buffered).
class RowSink {
 public:
  virtual ~RowSink() = default;
  virtual void columns(const std::vector<std::string>& names) = 0;
  virtual bool row(const Row& cells) = 0;
};

struct ExecResult {
  std::optional<SqlError> error;
  std::optional<std::int64_t> affected;  // INSERT/UPDATE/DELETE/... rows
  std::string command_tag;               // "UPDATE 42"
  std::vector<std::string> notices;      // NOTICE/WARNING messages raised
  bool ok() const { return !error.has_value(); }
};

// What to do when a sink stops reading before the end of a result.
enum class EarlyStop {
  drain,   // read and discard the rest (inside a transaction that must survive)
  cancel,  // cancel the statement (a read-only check whose transaction is discarded)
};

// Statements sent ahead without waiting for each result (libpq's pipeline
// mode): the server runs them back to back while the client reads the
// earlier results, so many small checks cost one round trip, not one each.
// Statements are grouped in units: an error skips the rest of its unit
// (read() returns them as errors too) and the next unit runs. Destroying
// the pipeline reads and discards whatever was not read; the session then
// runs one statement at a time again.
class Pipeline {
 public:
  virtual ~Pipeline() = default;
  // Queues a statement; false when the connection refused it.
  virtual bool queue(const std::string& sql) = 0;
  // Ends the unit of the statements queued since the last one, and sends
  // what is queued.
  virtual bool end_unit() = 0;
  // The result of the oldest queued statement not read yet, rows streaming
  // into `sink` as with Session::execute. With EarlyStop::cancel, a sink
  // that stops reading makes the server cancel what it runs: that may be a
  // later statement, so after it the caller must not trust later results.
  virtual ExecResult read(RowSink* sink, EarlyStop early_stop) = 0;
};

// One connection to the target database.
class Session {
 public:
  virtual ~Session() = default;
  // Runs one statement. Rows, if any, stream into `sink` (may be null:
  // rows are then discarded without being kept).
  virtual ExecResult execute(const std::string& sql, RowSink* sink,
                             EarlyStop early_stop = EarlyStop::drain) = 0;
  // Runs a statement with text parameters ($1, $2, ...), for the journal.
  virtual ExecResult execute_params(const std::string& sql,
                                    const std::vector<std::optional<std::string>>& params,
                                    RowSink* sink) = 0;
  // Asks the server to cancel the statement in flight. Safe to call from
  // another thread while execute() runs.
  virtual void cancel() = 0;
  virtual bool alive() = 0;
  // Server process id of this session.
  virtual int backend_pid() = 0;
  // A literal quoted by the server's rules (PQescapeLiteral).
  virtual std::string quote_literal(const std::string& text) = 0;
  // Puts the session in pipeline mode until the pipeline is destroyed;
  // nullptr when it cannot (the caller then runs statements one by one).
  virtual std::unique_ptr<Pipeline> pipeline() { return nullptr; }
};

class Connector {
 public:
  virtual ~Connector() = default;
  // A new session named `application_name`, or nullptr with `error` set
  // (libpq's reason; never a password). Gives up as soon as `stop` is true:
  // a host that does not answer must not hold Ctrl-C for a TCP timeout.
  virtual std::unique_ptr<Session> connect(const std::string& application_name, std::string* error,
                                           const std::atomic<bool>* stop = nullptr) = 0;
  // The connection described without secrets: "host=/tmp port=5432 dbname=app user=me".
  virtual std::string describe() const = 0;
  // PG* variables for a command step, so pg_dump and psql reach the same database.
  virtual std::vector<std::pair<std::string, std::string>> child_environment() const = 0;
};

struct CommandResult {
  int exit_code = -1;
  bool timed_out = false;
  bool interrupted = false;
  std::string output;  // stdout and stderr interleaved, bounded
  std::string error;   // why it could not start, if it did not
};

class CommandRunner {
 public:
  virtual ~CommandRunner() = default;
  virtual CommandResult run(const std::vector<std::string>& argv,
                            const std::vector<std::pair<std::string, std::string>>& env,
                            std::optional<std::chrono::milliseconds> timeout) = 0;
};

class Prompter {
 public:
  virtual ~Prompter() = default;
  virtual bool interactive() const = 0;
  // Asks a yes/no question; true for yes.
  virtual bool confirm(const std::string& question) = 0;
};

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point now() const = 0;
  virtual std::chrono::steady_clock::time_point monotonic() const = 0;
  // Sleeps, returning early (false) when `interrupted` becomes true.
  virtual bool sleep_for(std::chrono::milliseconds d, const std::atomic<bool>& interrupted) = 0;
};

// Watches a statement that may run long, from the side: how long it has
// run and, where the server reports it (CREATE INDEX, REINDEX), how far it
// got. It never touches the session running the statement.
class StatementWatcher {
 public:
  virtual ~StatementWatcher() = default;
  // Starts watching the statement `command_tag` ("CREATE INDEX") that runs
  // on the server process `backend_pid`. Once it has run a while, `report`
  // is called with a progress text now and then, from another thread, and
  // never after stop() returned.
  virtual void start(const std::string& command_tag, int backend_pid,
                     std::function<void(const std::string&)> report) = 0;
  virtual void stop() = 0;
};

// Progress of a run, for the terminal and events.jsonl.
class RunObserver {
 public:
  virtual ~RunObserver() = default;
  virtual void run_started(const RunRecord& run) = 0;
  virtual void phase_started(Phase phase) = 0;
  virtual void step_started(const StepRecord& step) = 0;
  // Long work: rows done so far (batch) or a progress text (CREATE INDEX).
  virtual void step_progress(const StepRecord& step, const std::string& progress) = 0;
  virtual void step_finished(const StepRecord& step) = 0;
  virtual void message(const std::string& text) = 0;  // notices, retries, rollbacks
  virtual void run_finished(const RunRecord& run) = 0;
};

}  // namespace runbook::exec

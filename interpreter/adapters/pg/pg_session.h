#pragma once
// A libpq connection as an exec::Session: statements run with the extended
// protocol, rows stream in single-row mode into the caller's sink (memory
// stays bounded whatever the size of a result), errors come back with their
// SQLSTATE, and cancel() may be called from another thread (or a signal
// handler, through the PGcancel kept ready).

#include "exec/ports.h"

#include <memory>
#include <mutex>
#include <string>

struct pg_conn;
struct pg_cancel;

namespace runbook::adapters {

class PgSession final : public exec::Session {
 public:
  explicit PgSession(pg_conn* conn);
  ~PgSession() override;
  PgSession(const PgSession&) = delete;
  PgSession& operator=(const PgSession&) = delete;

  exec::ExecResult execute(const std::string& sql, exec::RowSink* sink,
                           exec::EarlyStop early_stop = exec::EarlyStop::drain) override;
  exec::ExecResult execute_params(const std::string& sql,
                                  const std::vector<std::optional<std::string>>& params,
                                  exec::RowSink* sink) override;
  void cancel() override;
  bool alive() override;
  int backend_pid() override;
  std::string quote_literal(const std::string& text) override;
  std::unique_ptr<exec::Pipeline> pipeline() override;

  // Cancels the statement in flight using only async-signal-safe calls.
  void cancel_from_signal_handler();

 private:
  exec::ExecResult collect(exec::RowSink* sink, exec::EarlyStop early_stop);
  void end_copy(int status);

  pg_conn* conn_;
  pg_cancel* cancel_;
  std::vector<std::string> notices_;
  friend void collect_notice(void* arg, const char* message);
  friend class PgPipeline;
};

}  // namespace runbook::adapters

#pragma once
// exec::Pipeline on a libpq connection in pipeline mode. Each statement is
// read in single-row mode, so a big result streams as it does outside a
// pipeline; a unit ends with a Sync, which also makes the server send what
// it has. What is sent but not read stays small: the caller decides how
// far ahead it queues.

#include "exec/ports.h"

#include <deque>

namespace runbook::adapters {

class PgSession;

class PgPipeline final : public exec::Pipeline {
 public:
  // REQUIRES: the session is idle and in pipeline mode.
  explicit PgPipeline(PgSession& session);
  ~PgPipeline() override;
  PgPipeline(const PgPipeline&) = delete;
  PgPipeline& operator=(const PgPipeline&) = delete;

  bool queue(const std::string& sql) override;
  bool end_unit() override;
  exec::ExecResult read(exec::RowSink* sink, exec::EarlyStop early_stop) override;

 private:
  enum class Sent { statement, sync };
  // Reads the Sync results ahead of the next statement; false when the
  // connection broke.
  bool skip_syncs();

  PgSession& session_;
  std::deque<Sent> unread_;
};

}  // namespace runbook::adapters

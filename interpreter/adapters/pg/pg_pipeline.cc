#include "adapters/pg/pg_pipeline.h"

#include "adapters/pg/pg_session.h"

#include <libpq-fe.h>

namespace runbook::adapters {

PgPipeline::PgPipeline(PgSession& session) : session_(session) {}

PgPipeline::~PgPipeline() {
  while (!unread_.empty()) {
    if (unread_.front() == Sent::statement) {
      read(nullptr, exec::EarlyStop::drain);  // in single-row mode: nothing piles up
    } else if (!skip_syncs()) {
      break;
    }
  }
  PQexitPipelineMode(session_.conn_);
}

bool PgPipeline::queue(const std::string& sql) {
  if (PQsendQueryParams(session_.conn_, sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) ==
      0) {
    return false;
  }
  unread_.push_back(Sent::statement);
  return true;
}

bool PgPipeline::end_unit() {
  if (PQpipelineSync(session_.conn_) == 0) {  // also sends what is queued
    return false;
  }
  unread_.push_back(Sent::sync);
  return true;
}

bool PgPipeline::skip_syncs() {
  while (!unread_.empty() && unread_.front() == Sent::sync) {
    PGresult* r = PQgetResult(session_.conn_);
    if (r == nullptr) {
      unread_.clear();  // the connection broke: nothing more will come
      return false;
    }
    PQclear(r);
    unread_.pop_front();
  }
  return true;
}

exec::ExecResult PgPipeline::read(exec::RowSink* sink, exec::EarlyStop early_stop) {
  if (!skip_syncs() || unread_.empty()) {
    exec::ExecResult out;
    out.error = exec::SqlError{"", "no result: the connection was lost", "", "", true, 0, ""};
    return out;
  }
  unread_.pop_front();
  // Per statement, before its first result: rows then stream one by one.
  PQsetSingleRowMode(session_.conn_);
  return session_.collect(sink, early_stop);
}

}  // namespace runbook::adapters

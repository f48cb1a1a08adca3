#include "adapters/pg/pg_session.h"

#include "adapters/pg/pg_pipeline.h"

#include <libpq-fe.h>

#include <charconv>
#include <cstdlib>
#include <cstring>

namespace runbook::adapters {

void collect_notice(void* arg, const char* message) {
  auto* self = static_cast<PgSession*>(arg);
  std::string text(message);
  while (!text.empty() && text.back() == '\n') {
    text.pop_back();
  }
  if (self->notices_.size() < 1000) {  // a loop of RAISE NOTICE must not exhaust memory
    self->notices_.push_back(std::move(text));
  }
}

namespace {

constexpr const char* kNoCopy = "COPY to or from the client (STDIN/STDOUT) cannot run in a step";

void notice_receiver(void* arg, const PGresult* result) {
  collect_notice(arg, PQresultErrorMessage(result));
}

std::string field(const PGresult* r, int code) {
  const char* v = PQresultErrorField(r, code);
  return v == nullptr ? "" : v;
}

exec::SqlError error_of(const PGresult* r, PGconn* conn) {
  exec::SqlError e;
  if (r != nullptr) {
    e.sqlstate = field(r, PG_DIAG_SQLSTATE);
    e.message = field(r, PG_DIAG_MESSAGE_PRIMARY);
    e.detail = field(r, PG_DIAG_MESSAGE_DETAIL);
    e.hint = field(r, PG_DIAG_MESSAGE_HINT);
    std::string position = field(r, PG_DIAG_STATEMENT_POSITION);
    std::from_chars(position.data(), position.data() + position.size(), e.position);
  }
  if (e.message.empty()) {
    e.message = PQerrorMessage(conn);
    while (!e.message.empty() && e.message.back() == '\n') {
      e.message.pop_back();
    }
  }
  e.connection_lost = PQstatus(conn) != CONNECTION_OK;
  return e;
}

std::optional<std::int64_t> affected_of(const PGresult* r) {
  const char* tuples = PQcmdTuples(const_cast<PGresult*>(r));
  if (tuples == nullptr || *tuples == '\0') {
    return std::nullopt;
  }
  return std::strtoll(tuples, nullptr, 10);
}

}  // namespace

PgSession::PgSession(PGconn* conn) : conn_(conn), cancel_(PQgetCancel(conn)) {
  PQsetNoticeReceiver(conn_, notice_receiver, this);
}

PgSession::~PgSession() {
  if (cancel_ != nullptr) {
    PQfreeCancel(cancel_);
  }
  PQfinish(conn_);
}

namespace {

// Reuses the cell's buffer from the previous row: a big result is read one
// row at a time, and a fresh string per cell would cost an allocation each.
void fill_cell(Cell& cell, const PGresult* r, int column) {
  if (PQgetisnull(r, 0, column)) {
    cell.reset();
    return;
  }
  const char* value = PQgetvalue(r, 0, column);
  auto length = static_cast<std::size_t>(PQgetlength(r, 0, column));
  if (cell) {
    cell->assign(value, length);
  } else {
    cell.emplace(value, length);
  }
}

}  // namespace

exec::ExecResult PgSession::collect(exec::RowSink* sink, exec::EarlyStop early_stop) {
  exec::ExecResult out;
  bool want_rows = true;
  bool cancelled_by_us = false;
  bool described = false;
  bool refused = false;  // a COPY to or from the client, which a step cannot feed
  Row row;
  while (PGresult* r = PQgetResult(conn_)) {
    ExecStatusType status = PQresultStatus(r);
    if (status == PGRES_SINGLE_TUPLE) {
      int n = PQnfields(r);
      if (!described && sink != nullptr) {
        std::vector<std::string> names;
        for (int i = 0; i < n; ++i) {
          names.emplace_back(PQfname(r, i));
        }
        sink->columns(names);
        described = true;
      }
      if (want_rows && sink != nullptr) {
        row.resize(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) {
          fill_cell(row[static_cast<std::size_t>(i)], r, i);
        }
        want_rows = sink->row(row);
        if (!want_rows && early_stop == exec::EarlyStop::cancel) {
          cancel();  // the rest is not needed: stop the server sending it
          cancelled_by_us = true;
        }
      }
    } else if (status == PGRES_TUPLES_OK) {
      if (!described && sink != nullptr) {  // a result with no rows still has columns
        std::vector<std::string> names;
        for (int i = 0; i < PQnfields(r); ++i) {
          names.emplace_back(PQfname(r, i));
        }
        sink->columns(names);
        described = true;
      }
      out.command_tag = PQcmdStatus(r);
      out.affected = affected_of(r);
    } else if (status == PGRES_COMMAND_OK) {
      out.command_tag = PQcmdStatus(r);
      out.affected = affected_of(r);
    } else if (status == PGRES_PIPELINE_ABORTED) {
      if (!out.error) {
        out.error = exec::SqlError{
            "", "not run: an earlier statement of its unit failed", "", "", false, 0, ""};
      }
    } else if (status == PGRES_EMPTY_QUERY) {
      // nothing to do
    } else if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) {
      end_copy(status);  // else PQgetResult returns the COPY state forever
      refused = true;
    } else if (!out.error) {
      exec::SqlError e = error_of(r, conn_);
      if (!(cancelled_by_us && e.sqlstate == "57014")) {
        out.error = std::move(e);
      }
    }
    PQclear(r);
  }
  if (!out.error && PQstatus(conn_) != CONNECTION_OK) {
    out.error = error_of(nullptr, conn_);
  }
  if (refused && PQstatus(conn_) == CONNECTION_OK) {
    out.error = exec::SqlError{"0A000",
                               kNoCopy,
                               "",
                               "use a command step running psql's \\copy, or COPY with a file "
                               "name the server can read",
                               false,
                               0,
                               ""};
  }
  out.notices = std::move(notices_);
  notices_.clear();
  return out;
}

// Ends a COPY to or from the client: the server aborts a COPY FROM STDIN
// when told so; a COPY TO STDOUT is cancelled and what it already sent is
// read and dropped.
void PgSession::end_copy(int status) {
  if (status == PGRES_COPY_IN || status == PGRES_COPY_BOTH) {
    PQputCopyEnd(conn_, kNoCopy);
    PQflush(conn_);
  }
  if (status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) {
    cancel();
    char* buffer = nullptr;
    while (PQgetCopyData(conn_, &buffer, 0) > 0) {
      PQfreemem(buffer);
      buffer = nullptr;
    }
  }
}

exec::ExecResult PgSession::execute(const std::string& sql, exec::RowSink* sink,
                                    exec::EarlyStop early_stop) {
  notices_.clear();
  if (PQsendQueryParams(conn_, sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) == 0) {
    exec::ExecResult out;
    out.error = error_of(nullptr, conn_);
    return out;
  }
  PQsetSingleRowMode(conn_);
  return collect(sink, early_stop);
}

exec::ExecResult PgSession::execute_params(const std::string& sql,
                                           const std::vector<std::optional<std::string>>& params,
                                           exec::RowSink* sink) {
  std::vector<const char*> values;
  for (const auto& p : params) {
    values.push_back(p ? p->c_str() : nullptr);
  }
  notices_.clear();
  if (PQsendQueryParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                        nullptr, nullptr, 0) == 0) {
    exec::ExecResult out;
    out.error = error_of(nullptr, conn_);
    return out;
  }
  PQsetSingleRowMode(conn_);
  return collect(sink, exec::EarlyStop::drain);
}

std::unique_ptr<exec::Pipeline> PgSession::pipeline() {
  if (PQenterPipelineMode(conn_) == 0) {
    return nullptr;
  }
  return std::make_unique<PgPipeline>(*this);
}

void PgSession::cancel() {
  if (cancel_ != nullptr) {
    char buffer[256];
    PQcancel(cancel_, buffer, sizeof(buffer));
  }
}

void PgSession::cancel_from_signal_handler() {
  cancel();
}  // PQcancel is signal-safe

bool PgSession::alive() {
  return PQstatus(conn_) == CONNECTION_OK;
}

int PgSession::backend_pid() {
  return PQbackendPID(conn_);
}

std::string PgSession::quote_literal(const std::string& text) {
  char* q = PQescapeLiteral(conn_, text.c_str(), text.size());
  if (q == nullptr) {
    return "NULL";
  }
  std::string out(q);
  PQfreemem(q);
  return out;
}

}  // namespace runbook::adapters

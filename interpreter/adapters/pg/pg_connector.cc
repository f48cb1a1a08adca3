#include "adapters/pg/pg_connector.h"

#include "adapters/pg/pg_session.h"

#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <poll.h>

namespace runbook::adapters {

namespace {

// libpq option keywords and the environment variables libpq reads for them,
// so that a command step (pg_dump, psql) reaches the same database.
const std::pair<const char*, const char*> kEnvOfKeyword[] = {
    {"host", "PGHOST"},
    {"hostaddr", "PGHOSTADDR"},
    {"port", "PGPORT"},
    {"dbname", "PGDATABASE"},
    {"user", "PGUSER"},
    {"password", "PGPASSWORD"},
    {"passfile", "PGPASSFILE"},
    {"options", "PGOPTIONS"},
    {"sslmode", "PGSSLMODE"},
    {"sslrootcert", "PGSSLROOTCERT"},
    {"sslcert", "PGSSLCERT"},
    {"sslkey", "PGSSLKEY"},
    {"connect_timeout", "PGCONNECT_TIMEOUT"},
    {"target_session_attrs", "PGTARGETSESSIONATTRS"},
    {"service", "PGSERVICE"}};

std::string mask(std::string text, const std::vector<std::string>& secrets) {
  for (const std::string& secret : secrets) {
    for (std::size_t pos = text.find(secret); pos != std::string::npos;
         pos = text.find(secret, pos)) {
      text.replace(pos, secret.size(), "********");
    }
  }
  return text;
}

// The password as written in a URL (percent-encoded, maybe malformed), found
// as libpq finds it: between the first ':' and the '@' of the part before
// the first '/'. libpq quotes it so in some errors ("invalid percent-encoded
// token"), and then it cannot be parsed out of the conninfo.
std::string raw_url_password(const std::string& conninfo) {
  for (std::string scheme : {"postgresql://", "postgres://"}) {
    if (conninfo.compare(0, scheme.size(), scheme) != 0) {
      continue;
    }
    std::string rest = conninfo.substr(scheme.size());
    std::size_t end = rest.find_first_of("@/");
    if (end == std::string::npos || rest[end] != '@') {
      return "";
    }
    std::size_t colon = rest.find(':');
    return colon < end ? rest.substr(colon + 1, end - colon - 1) : "";
  }
  return "";
}

std::string password_in(const std::string& conninfo) {
  if (conninfo.empty()) {
    return "";
  }
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
  if (error != nullptr) {
    PQfreemem(error);
  }
  std::string password;
  for (PQconninfoOption* o = options; o != nullptr && o->keyword != nullptr; ++o) {
    if (std::string(o->keyword) == "password" && o->val != nullptr) {
      password = o->val;
    }
  }
  PQconninfoFree(options);
  return password;
}

// When connect_timeout (which PQconnectPoll leaves to its caller) runs out,
// counted over the whole attempt; libpq reads values below 2 as 2.
std::optional<std::chrono::steady_clock::time_point> deadline_of(PGconn* conn) {
  int seconds = 0;
  PQconninfoOption* options = PQconninfo(conn);
  for (PQconninfoOption* o = options; o != nullptr && o->keyword != nullptr; ++o) {
    if (std::string(o->keyword) == "connect_timeout" && o->val != nullptr) {
      seconds = std::atoi(o->val);
    }
  }
  PQconninfoFree(options);
  if (seconds <= 0) {
    return std::nullopt;
  }
  return std::chrono::steady_clock::now() + std::chrono::seconds(std::max(seconds, 2));
}

enum class GaveUp { no, stopped, timed_out };

// Connects with PQconnectPoll, looking at `stop` every 100 ms: a blocking
// connect to a host that drops packets would wait minutes for the kernel.
PGconn* connect_polling(const char* const* keywords, const char* const* values,
                        const std::atomic<bool>* stop, GaveUp* gave_up) {
  PGconn* conn = PQconnectStartParams(keywords, values, 1);
  if (conn == nullptr || PQstatus(conn) == CONNECTION_BAD) {
    return conn;
  }
  auto deadline = deadline_of(conn);
  PostgresPollingStatusType state = PGRES_POLLING_WRITING;
  while (state == PGRES_POLLING_READING || state == PGRES_POLLING_WRITING) {
    if (stop != nullptr && stop->load()) {
      *gave_up = GaveUp::stopped;
      return conn;
    }
    if (deadline && std::chrono::steady_clock::now() > *deadline) {
      *gave_up = GaveUp::timed_out;
      return conn;
    }
    short events = state == PGRES_POLLING_READING ? POLLIN : POLLOUT;
    pollfd p{PQsocket(conn), events, 0};
    if (::poll(&p, 1, 100) != 0) {  // ready, or an error PQconnectPoll reports
      state = PQconnectPoll(conn);
    }
  }
  return conn;
}

std::string connect_error(PGconn* conn, GaveUp gave_up) {
  if (gave_up == GaveUp::stopped) {
    return "interrupted while connecting";
  }
  if (gave_up == GaveUp::timed_out) {
    return "timeout expired (connect_timeout)";
  }
  std::string message = conn != nullptr ? PQerrorMessage(conn) : "out of memory";
  while (!message.empty() && message.back() == '\n') {
    message.pop_back();
  }
  return message;
}

}  // namespace

std::string choose_conninfo(const std::string& db_flag) {
  if (!db_flag.empty()) {
    return db_flag;
  }
  const char* env = std::getenv("DATABASE_URL");
  return env != nullptr ? env : "";
}

PgConnector::PgConnector(std::string conninfo)
    : conninfo_(std::move(conninfo)), password_(password_in(conninfo_)) {
  // Every form the password may be printed in: as parsed, as written, and
  // from PGPASSWORD when the conninfo has none (a command's output may show it).
  for (std::string p : {password_, raw_url_password(conninfo_)}) {
    if (!p.empty()) {
      secrets_.push_back(p);
    }
  }
  const char* env = std::getenv("PGPASSWORD");
  if (password_.empty() && env != nullptr && *env != '\0') {
    secrets_.emplace_back(env);
  }
}

std::unique_ptr<exec::Session> PgConnector::connect(const std::string& application_name,
                                                    std::string* error,
                                                    const std::atomic<bool>* stop) {
  const char* keywords[] = {"dbname", "application_name", nullptr};
  const char* values[] = {conninfo_.empty() ? nullptr : conninfo_.c_str(), application_name.c_str(),
                          nullptr};
  GaveUp gave_up = GaveUp::no;
  PGconn* conn = connect_polling(keywords, values, stop, &gave_up);
  if (conn == nullptr || gave_up != GaveUp::no || PQstatus(conn) != CONNECTION_OK) {
    *error = mask(connect_error(conn, gave_up), secrets_);
    PQfinish(conn);
    return nullptr;
  }
  if (description_.empty()) {
    const char* host = PQhost(conn);
    description_ = std::string("host=") + (host ? host : "") + " port=" + PQport(conn) +
                   " dbname=" + PQdb(conn) + " user=" + PQuser(conn);
    PQconninfoOption* options = PQconninfo(conn);
    for (PQconninfoOption* o = options; o != nullptr && o->keyword != nullptr; ++o) {
      for (const auto& [keyword, env] : kEnvOfKeyword) {
        if (o->val != nullptr && *o->val != '\0' && std::string(o->keyword) == keyword) {
          child_env_.emplace_back(env, o->val);
        }
      }
    }
    PQconninfoFree(options);
    description_ = mask(description_, secrets_);
  }
  return std::make_unique<PgSession>(conn);
}

std::string PgConnector::describe() const {
  return description_.empty() ? "(libpq defaults)" : description_;
}

std::vector<std::pair<std::string, std::string>> PgConnector::child_environment() const {
  return child_env_;
}

}  // namespace runbook::adapters

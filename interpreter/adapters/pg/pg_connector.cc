#include "adapters/pg/pg_connector.h"

#include <libpq-fe.h>

#include <cstdlib>

#include "adapters/pg/pg_session.h"

namespace runbook::adapters {

namespace {

// libpq option keywords and the environment variables libpq reads for them,
// so that a command step (pg_dump, psql) reaches the same database.
const std::pair<const char*, const char*> kEnvOfKeyword[] = {
    {"host", "PGHOST"},          {"hostaddr", "PGHOSTADDR"},     {"port", "PGPORT"},
    {"dbname", "PGDATABASE"},    {"user", "PGUSER"},             {"password", "PGPASSWORD"},
    {"passfile", "PGPASSFILE"},  {"options", "PGOPTIONS"},       {"sslmode", "PGSSLMODE"},
    {"sslrootcert", "PGSSLROOTCERT"}, {"sslcert", "PGSSLCERT"},  {"sslkey", "PGSSLKEY"},
    {"connect_timeout", "PGCONNECT_TIMEOUT"}, {"target_session_attrs", "PGTARGETSESSIONATTRS"},
    {"service", "PGSERVICE"}};

std::string mask(std::string text, const std::string& secret) {
  if (secret.empty()) {
    return text;
  }
  for (std::size_t pos = text.find(secret); pos != std::string::npos;
       pos = text.find(secret, pos)) {
    text.replace(pos, secret.size(), "********");
  }
  return text;
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

}  // namespace

std::string choose_conninfo(const std::string& db_flag) {
  if (!db_flag.empty()) {
    return db_flag;
  }
  const char* env = std::getenv("DATABASE_URL");
  return env != nullptr ? env : "";
}

PgConnector::PgConnector(std::string conninfo)
    : conninfo_(std::move(conninfo)), password_(password_in(conninfo_)) {}

std::unique_ptr<exec::Session> PgConnector::connect(const std::string& application_name,
                                                    std::string* error) {
  const char* keywords[] = {"dbname", "application_name", nullptr};
  const char* values[] = {conninfo_.empty() ? nullptr : conninfo_.c_str(),
                          application_name.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, 1);
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
    std::string message = conn != nullptr ? PQerrorMessage(conn) : "out of memory";
    while (!message.empty() && message.back() == '\n') {
      message.pop_back();
    }
    *error = mask(message, password_);
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
    if (!password_.empty()) {
      description_ = mask(description_, password_);
    }
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

#include "adapters/pg/pg_connector.h"

#include "adapters/pg/pg_session.h"

#include <libpq-fe.h>

#include <cstdlib>

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
                                                    std::string* error) {
  const char* keywords[] = {"dbname", "application_name", nullptr};
  const char* values[] = {conninfo_.empty() ? nullptr : conninfo_.c_str(), application_name.c_str(),
                          nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, 1);
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
    std::string message = conn != nullptr ? PQerrorMessage(conn) : "out of memory";
    while (!message.empty() && message.back() == '\n') {
      message.pop_back();
    }
    *error = mask(message, secrets_);
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

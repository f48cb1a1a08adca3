#pragma once
// Opens libpq connections to the target: `--db URL`, else DATABASE_URL, else
// libpq's own defaults (PG* variables, service file, .pgpass). The password
// never appears in anything this class returns.

#include "exec/ports.h"

#include <string>
#include <vector>

namespace runbook::adapters {

class PgConnector final : public exec::Connector {
 public:
  // `conninfo` is a URL or key=value string; empty means libpq's defaults.
  explicit PgConnector(std::string conninfo);

  std::unique_ptr<exec::Session> connect(const std::string& application_name, std::string* error,
                                         const std::atomic<bool>* stop = nullptr) override;
  std::string describe() const override;
  std::vector<std::pair<std::string, std::string>> child_environment() const override;

  // The password given in the conninfo, if any (to mask it defensively).
  const std::string& password() const { return password_; }
  // Every text to mask: the password as parsed and as written in the URL,
  // or PGPASSWORD when the conninfo has none.
  const std::vector<std::string>& secrets() const { return secrets_; }

 private:
  std::string conninfo_;
  std::string password_;
  std::vector<std::string> secrets_;
  std::string description_;
  std::vector<std::pair<std::string, std::string>> child_env_;
};

// The conninfo to use: --db, else $DATABASE_URL, else "" (libpq defaults).
std::string choose_conninfo(const std::string& db_flag);

}  // namespace runbook::adapters

#pragma once
// A PostgreSQL cluster that lives only as long as this object, for
// `runbook rehearse`: initdb into a private temporary directory, durability
// off (fsync, full_page_writes), a unix socket in that directory and no TCP
// port, started with pg_ctl. PostgreSQL refuses to run as root, so as root
// the server runs as the `postgres` system user (through runuser), which
// then owns the directory. The destructor stops the server and deletes the
// directory, whatever happened before (a failed stage, an interrupt).

#include "exec/interrupt.h"
#include "exec/ports.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace runbook::adapters {

// Where to look for initdb, pg_ctl and postgres, in order: $RUNBOOK_PG_BINDIR
// alone when set; else `pg_config --bindir`, then the Debian layout
// /usr/lib/postgresql/<version>/bin, newest version first.
struct ServerSearch {
  std::optional<std::string> bindir_override;  // RUNBOOK_PG_BINDIR
  std::string debian_root = "/usr/lib/postgresql";
  std::string pg_config = "pg_config";  // run through PATH

  static ServerSearch from_environment();
};

// The directory holding the server binaries, or nullopt with `searched`
// saying where it looked.
std::optional<std::string> find_server_bindir(const ServerSearch& search, exec::CommandRunner& run,
                                              std::string* searched);

class ThrowawayCluster {
 public:
  // `interrupt` stops the setup commands (initdb, pg_ctl start, psql) early;
  // the cleanup never listens to it.
  explicit ThrowawayCluster(const exec::Interrupt& interrupt);
  ~ThrowawayCluster();
  ThrowawayCluster(const ThrowawayCluster&) = delete;
  ThrowawayCluster& operator=(const ThrowawayCluster&) = delete;

  // Creates, starts and opens database `database` in a new cluster with the
  // binaries of `bindir`. False with `error` set (the log's last lines
  // included) on failure; whatever was made is removed by stop().
  bool start(const std::string& bindir, const std::string& database, std::string* error);

  // Another database in the cluster: empty, or a copy of `from` (its
  // template; nobody may be connected to it).
  bool create_database(const std::string& name, std::string* error, const std::string& from = "");

  // Runs an SQL file with psql (ON_ERROR_STOP, `vars` as -v NAME=VALUE) in
  // `database`. False with `error` holding psql's last output lines.
  bool run_sql_file(const std::string& database, const std::string& file,
                    const std::vector<std::string>& vars, std::string* error);

  // A libpq conninfo string for `database` (no password: the socket is
  // private and trusts its user).
  std::string conninfo(const std::string& database) const;

  const std::string& server_version() const { return version_; }
  const std::string& directory() const { return dir_; }
  const std::string& bindir() const { return bindir_; }

  // Stops the server (immediate: the data is thrown away) and deletes the
  // directory. Safe to call more than once.
  void stop();

 private:
  bool make_directory(std::string* error);
  bool init_data(std::string* error);
  bool write_settings(std::string* error);
  bool start_server(std::string* error);
  exec::CommandResult run_as_server(std::vector<std::string> argv, exec::CommandRunner& runner);
  exec::CommandResult psql(const std::string& database, std::vector<std::string> args);
  std::string tool(const std::string& name) const;
  std::string log_tail() const;

  exec::Interrupt never_;  // the cleanup's: a Ctrl-C must not stop the stopping
  std::unique_ptr<exec::CommandRunner> runner_;
  std::unique_ptr<exec::CommandRunner> cleanup_runner_;
  std::string bindir_;
  std::string dir_;          // the temporary directory: data/, sock/, log
  std::string server_user_;  // "" when the server runs as this process's user
  std::string version_;      // "PostgreSQL 16.4"
  bool started_ = false;
};

}  // namespace runbook::adapters

#include "adapters/os/throwaway_cluster.h"

#include "adapters/os/process_runner.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <pwd.h>
#include <sstream>
#include <sys/statvfs.h>
#include <unistd.h>

namespace runbook::adapters {

namespace fs = std::filesystem;

namespace {

// The port only names the socket file: the socket lives in a directory of
// its own and nothing listens on TCP, so the default port cannot clash.
constexpr const char* kPort = "5432";
constexpr const char* kSuperuser = "postgres";
constexpr const char* kServerUser = "postgres";
constexpr auto kServerTimeout = std::chrono::minutes(2);

bool has_server(const std::string& dir) {
  for (const char* name : {"initdb", "pg_ctl", "postgres"}) {
    if (::access((fs::path(dir) / name).c_str(), X_OK) != 0) {
      return false;
    }
  }
  return !dir.empty();
}

std::string trimmed(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
    s.pop_back();
  }
  return s;
}

// "16" > "15" > "9.6": compare dotted versions numerically.
bool newer_version(const std::string& a, const std::string& b) {
  std::istringstream ia(a), ib(b);
  std::string pa, pb;
  while (true) {
    bool more_a = static_cast<bool>(std::getline(ia, pa, '.'));
    bool more_b = static_cast<bool>(std::getline(ib, pb, '.'));
    if (!more_a || !more_b) {
      return more_a && !more_b;
    }
    long na = std::strtol(pa.c_str(), nullptr, 10), nb = std::strtol(pb.c_str(), nullptr, 10);
    if (na != nb) {
      return na > nb;
    }
  }
}

std::vector<std::string> debian_bindirs(const std::string& root) {
  std::vector<std::string> versions;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    versions.push_back(entry.path().filename().string());
  }
  std::sort(versions.begin(), versions.end(), newer_version);
  std::vector<std::string> dirs;
  for (const std::string& v : versions) {
    dirs.push_back((fs::path(root) / v / "bin").string());
  }
  return dirs;
}

// The last `count` lines of `text`, for an error message.
std::string last_lines(const std::string& text, std::size_t count = 15) {
  std::string t = trimmed(text);
  std::size_t pos = t.size();
  for (std::size_t n = 0; n < count && pos != std::string::npos && pos > 0; ++n) {
    pos = t.rfind('\n', pos - 1);
  }
  return pos == std::string::npos || pos == 0 ? t : t.substr(pos + 1);
}

std::string command_failure(const std::string& what, const exec::CommandResult& r) {
  std::string why = !r.error.empty() ? r.error
                    : r.interrupted  ? "interrupted"
                    : r.timed_out    ? "timed out"
                                     : "exit " + std::to_string(r.exit_code);
  std::string output = last_lines(r.output);
  return what + " failed (" + why + ")" + (output.empty() ? "" : ":\n" + output);
}

// Parallel queries put dynamic shared memory in /dev/shm, which containers
// often cap at 64 MB; files in the data directory do instead.
const char* shared_memory_type() {
  struct statvfs s {};
  if (::statvfs("/dev/shm", &s) != 0) {
    return "mmap";
  }
  unsigned long long free_bytes = static_cast<unsigned long long>(s.f_bavail) * s.f_frsize;
  return free_bytes < 256ULL * 1024 * 1024 ? "mmap" : "posix";
}

}  // namespace

ServerSearch ServerSearch::from_environment() {
  ServerSearch s;
  if (const char* dir = std::getenv("RUNBOOK_PG_BINDIR"); dir && *dir) {
    s.bindir_override = dir;
  }
  if (const char* root = std::getenv("RUNBOOK_PG_VERSIONS_DIR"); root && *root) {
    s.debian_root = root;
  }
  return s;
}

std::optional<std::string> find_server_bindir(const ServerSearch& search, exec::CommandRunner& run,
                                              std::string* searched) {
  if (search.bindir_override) {
    *searched = "RUNBOOK_PG_BINDIR=" + *search.bindir_override;
    if (has_server(*search.bindir_override)) {
      return search.bindir_override;
    }
    return std::nullopt;
  }
  exec::CommandResult config =
      run.run({search.pg_config, "--bindir"}, {}, std::chrono::seconds(10));
  if (config.error.empty() && config.exit_code == 0 && has_server(trimmed(config.output))) {
    return trimmed(config.output);
  }
  for (const std::string& dir : debian_bindirs(search.debian_root)) {
    if (has_server(dir)) {
      return dir;
    }
  }
  *searched = "`" + search.pg_config + " --bindir` and " + search.debian_root + "/*/bin";
  return std::nullopt;
}

ThrowawayCluster::ThrowawayCluster(const exec::Interrupt& interrupt)
    : runner_(std::make_unique<ProcessRunner>(interrupt)),
      cleanup_runner_(std::make_unique<ProcessRunner>(never_)) {}

ThrowawayCluster::~ThrowawayCluster() {
  stop();
}

bool ThrowawayCluster::start(const std::string& bindir, const std::string& database,
                             std::string* error) {
  bindir_ = bindir;
  if (!make_directory(error) || !init_data(error) || !write_settings(error) ||
      !start_server(error)) {
    return false;
  }
  return create_database(database, error);
}

bool ThrowawayCluster::make_directory(std::string* error) {
  if (::geteuid() == 0) {
    // PostgreSQL refuses to run as root.
    if (::getpwnam(kServerUser) == nullptr) {
      *error =
          std::string("running as root, the server must run as another user, and there is no ") +
          "user '" + kServerUser + "' (the Debian package 'postgresql' creates it; or run " +
          "rehearse as an unprivileged user)";
      return false;
    }
    server_user_ = kServerUser;
  }
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/runbook-rehearse.XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    *error = "cannot create a temporary directory (" + pattern + "): " + std::strerror(errno);
    return false;
  }
  dir_ = pattern;
  std::error_code ec;
  fs::create_directory(dir_ + "/data", ec);
  fs::create_directory(dir_ + "/sock", ec);
  fs::permissions(dir_ + "/data", fs::perms::owner_all, ec);
  fs::permissions(dir_ + "/sock", fs::perms::owner_all, ec);
  if (!server_user_.empty()) {
    // The server user owns everything; root reaches it anyway.
    const passwd* pw = ::getpwnam(server_user_.c_str());
    for (const char* sub : {"", "/data", "/sock"}) {
      if (::chown((dir_ + sub).c_str(), pw->pw_uid, pw->pw_gid) != 0) {
        *error =
            "cannot give " + dir_ + sub + " to user " + server_user_ + ": " + std::strerror(errno);
        return false;
      }
    }
  }
  return true;
}

bool ThrowawayCluster::init_data(std::string* error) {
  exec::CommandResult r = run_as_server({tool("initdb"), "-D", dir_ + "/data", "-U", kSuperuser,
                                         "--auth=trust", "-E", "UTF8", "--no-locale", "-N"},
                                        *runner_);
  if (r.exit_code != 0 || !r.error.empty()) {
    *error = command_failure("initdb", r);
    return false;
  }
  exec::CommandResult v = runner_->run({tool("postgres"), "--version"}, {}, kServerTimeout);
  std::string text = trimmed(v.output);
  std::size_t paren = text.find("(PostgreSQL) ");
  version_ = paren == std::string::npos ? text : "PostgreSQL " + text.substr(paren + 13);
  return true;
}

bool ThrowawayCluster::write_settings(std::string* error) {
  // Appended settings are read last and win.
  std::ofstream conf(dir_ + "/data/postgresql.conf", std::ios::app);
  conf << "\n# runbook rehearse: a throwaway cluster\n"
       << "listen_addresses = ''\n"
       << "port = " << kPort << "\n"
       << "unix_socket_directories = '" << dir_ << "/sock'\n"
       << "unix_socket_permissions = 0700\n"
       << "dynamic_shared_memory_type = " << shared_memory_type() << "\n"
       << "fsync = off\n"
       << "full_page_writes = off\n"
       << "synchronous_commit = off\n"
       << "max_wal_size = 1GB\n"
       << "timezone = 'UTC'\n"
       << "log_timezone = 'UTC'\n"
       << "logging_collector = off\n";
  if (!conf) {
    *error = "cannot write " + dir_ + "/data/postgresql.conf";
    return false;
  }
  return true;
}

bool ThrowawayCluster::start_server(std::string* error) {
  started_ = true;  // from here on, stop() must try pg_ctl stop
  exec::CommandResult r = run_as_server(
      {tool("pg_ctl"), "start", "-D", dir_ + "/data", "-w", "-t", "60", "-s", "-l", dir_ + "/log"},
      *runner_);
  if (r.exit_code != 0 || !r.error.empty()) {
    *error = command_failure("pg_ctl start", r) + log_tail();
    return false;
  }
  return true;
}

bool ThrowawayCluster::create_database(const std::string& name, std::string* error,
                                       const std::string& from) {
  std::string sql = "CREATE DATABASE \"" + name + "\"";
  if (!from.empty()) {
    sql += " TEMPLATE \"" + from + "\"";
  }
  exec::CommandResult r = psql("postgres", {"-c", sql});
  if (r.exit_code != 0 || !r.error.empty()) {
    *error = command_failure("CREATE DATABASE " + name, r);
    return false;
  }
  return true;
}

bool ThrowawayCluster::run_sql_file(const std::string& database, const std::string& file,
                                    const std::vector<std::string>& vars, std::string* error) {
  std::vector<std::string> args;
  for (const std::string& v : vars) {
    args.insert(args.end(), {"-v", v});
  }
  args.insert(args.end(), {"-f", file});
  exec::CommandResult r = psql(database, args);
  if (r.exit_code != 0 || !r.error.empty()) {
    *error = command_failure("psql -f " + file, r);
    return false;
  }
  return true;
}

std::string ThrowawayCluster::conninfo(const std::string& database) const {
  return "host=" + dir_ + "/sock port=" + kPort + " user=" + kSuperuser + " dbname=" + database;
}

void ThrowawayCluster::stop() {
  if (dir_.empty()) {
    return;
  }
  std::string data = dir_ + "/data";
  if (started_ && fs::exists(data + "/postmaster.pid")) {
    run_as_server({tool("pg_ctl"), "stop", "-D", data, "-m", "immediate", "-w", "-t", "30", "-s"},
                  *cleanup_runner_);
    // pg_ctl could not stop it (or is missing): the postmaster's pid is the
    // first line of postmaster.pid, and nothing else may be signalled.
    std::ifstream pidfile(data + "/postmaster.pid");
    long pid = 0;
    if (pidfile >> pid && pid > 0) {
      ::kill(static_cast<pid_t>(pid), SIGKILL);
    }
  }
  std::error_code ec;
  fs::remove_all(dir_, ec);
  dir_.clear();
  started_ = false;
}

exec::CommandResult ThrowawayCluster::run_as_server(std::vector<std::string> argv,
                                                    exec::CommandRunner& runner) {
  // From "/": the server user may not be allowed into the current directory.
  std::vector<std::string> full = {"env", "-C", "/"};
  if (!server_user_.empty()) {
    full = {"runuser", "-u", server_user_, "--", "env", "-C", "/"};
  }
  full.insert(full.end(), argv.begin(), argv.end());
  return runner.run(full, {}, kServerTimeout);
}

exec::CommandResult ThrowawayCluster::psql(const std::string& database,
                                           std::vector<std::string> args) {
  std::vector<std::string> argv = {tool("psql"),      "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d",
                                   conninfo(database)};
  argv.insert(argv.end(), args.begin(), args.end());
  // No timeout: loading a big schema or seed data takes what it takes.
  return runner_->run(argv, {}, std::nullopt);
}

std::string ThrowawayCluster::tool(const std::string& name) const {
  std::string path = (fs::path(bindir_) / name).string();
  return ::access(path.c_str(), X_OK) == 0 ? path : name;
}

std::string ThrowawayCluster::log_tail() const {
  std::ifstream log(dir_ + "/log");
  std::stringstream text;
  text << log.rdbuf();
  std::string tail = last_lines(text.str());
  return tail.empty() ? "" : "\nserver log:\n" + tail;
}

}  // namespace runbook::adapters

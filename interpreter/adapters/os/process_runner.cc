#include "adapters/os/process_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace runbook::adapters {

namespace {

// The child's environment: ours, with the PG* connection variables replaced.
std::vector<std::string> child_env(const std::vector<std::pair<std::string, std::string>>& env) {
  std::vector<std::string> out;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry(*e);
    bool replaced = false;
    for (const auto& [name, value] : env) {
      replaced = replaced || entry.compare(0, name.size() + 1, name + "=") == 0;
    }
    if (!replaced && entry.compare(0, 12, "DATABASE_URL") != 0) {
      out.push_back(std::move(entry));
    }
  }
  for (const auto& [name, value] : env) {
    out.push_back(name + "=" + value);
  }
  return out;
}

void exec_child(const std::vector<std::string>& argv, std::vector<std::string>& env, int out_fd) {
  ::dup2(out_fd, STDOUT_FILENO);
  ::dup2(out_fd, STDERR_FILENO);
  int devnull = ::open("/dev/null", O_RDONLY);
  if (devnull >= 0) {
    ::dup2(devnull, STDIN_FILENO);
  }
  ::setpgid(0, 0);  // its own process group, so a timeout can stop all of it
  std::vector<char*> args, envp;
  for (const std::string& a : argv) {
    args.push_back(const_cast<char*>(a.c_str()));
  }
  args.push_back(nullptr);
  for (std::string& e : env) {
    envp.push_back(e.data());
  }
  envp.push_back(nullptr);
  ::execvpe(args[0], args.data(), envp.data());
  const char* msg = "runbook: cannot execute the command: ";
  ::write(STDERR_FILENO, msg, std::strlen(msg));
  ::write(STDERR_FILENO, std::strerror(errno), std::strlen(std::strerror(errno)));
  ::_exit(127);
}

}  // namespace

exec::CommandResult ProcessRunner::run(const std::vector<std::string>& argv,
                                       const std::vector<std::pair<std::string, std::string>>& env,
                                       std::optional<std::chrono::milliseconds> timeout) {
  exec::CommandResult result;
  if (argv.empty()) {
    result.error = "empty command";
    return result;
  }
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    result.error = std::strerror(errno);
    return result;
  }
  std::vector<std::string> environment = child_env(env);
  pid_t pid = ::fork();
  if (pid < 0) {
    result.error = std::strerror(errno);
    ::close(fds[0]);
    ::close(fds[1]);
    return result;
  }
  if (pid == 0) {
    ::close(fds[0]);
    exec_child(argv, environment, fds[1]);
  }
  ::close(fds[1]);
  auto started = std::chrono::steady_clock::now();
  bool killed = false;
  char buffer[8192];
  for (;;) {
    pollfd p{fds[0], POLLIN, 0};
    int ready = ::poll(&p, 1, 100);
    if (ready > 0) {
      ssize_t n = ::read(fds[0], buffer, sizeof(buffer));
      if (n <= 0) {
        break;
      }
      if (result.output.size() < max_output_) {
        result.output.append(buffer, static_cast<std::size_t>(n));
      }
    }
    bool late = timeout && std::chrono::steady_clock::now() - started > *timeout;
    if (!killed && (late || interrupt_.requested())) {
      result.timed_out = late;
      result.interrupted = interrupt_.requested();
      ::kill(-pid, SIGTERM);
      killed = true;
    }
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (result.output.size() >= max_output_) {
    result.output.resize(max_output_);
    result.output += "\n[output cut at " + std::to_string(max_output_) + " bytes]";
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace runbook::adapters

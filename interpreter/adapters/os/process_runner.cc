#include "adapters/os/process_runner.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace runbook::adapters {

namespace {

// How long a stopped command has between SIGTERM and SIGKILL.
constexpr auto kKillGrace = std::chrono::seconds(3);

// The child's environment: ours, without DATABASE_URL and with the given
// variables replaced. A name given twice takes its last value (a step's own
// `environment:` comes after the connection's PG* variables): getenv() would
// find the first.
std::vector<std::string> child_env(const std::vector<std::pair<std::string, std::string>>& env) {
  auto given = [&](const std::string& entry, std::size_t from) {
    for (std::size_t i = from; i < env.size(); ++i) {
      if (entry.compare(0, env[i].first.size() + 1, env[i].first + "=") == 0) {
        return true;
      }
    }
    return false;
  };
  std::vector<std::string> out;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry(*e);
    if (!given(entry, 0) && entry.compare(0, 13, "DATABASE_URL=") != 0) {
      out.push_back(std::move(entry));
    }
  }
  for (std::size_t i = 0; i < env.size(); ++i) {
    std::string entry = env[i].first + "=" + env[i].second;
    if (!given(entry, i + 1)) {
      out.push_back(std::move(entry));
    }
  }
  return out;
}

// The run blocks SIGINT/SIGTERM in every thread (adapters/os/signals.cc) and
// a blocked mask survives exec: without this the command could not be
// stopped by a timeout or an interrupt, nor by a Ctrl-C of its own.
void reset_signals() {
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig : {SIGINT, SIGTERM, SIGPIPE, SIGUSR1}) {
    ::signal(sig, SIG_DFL);
  }
}

void exec_child(const std::vector<std::string>& argv, std::vector<std::string>& env, int out_fd) {
  reset_signals();
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
  ::setpgid(pid, pid);  // as the child does: whichever runs first, kill(-pid) finds the group
  ::close(fds[1]);
  int status = watch_child(pid, fds[0], timeout, result);
  ::close(fds[0]);
  if (result.output.size() >= max_output_) {
    result.output.resize(max_output_);
    result.output += "\n[output cut at " + std::to_string(max_output_) + " bytes]";
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

// Reads the child's output until it exits, stopping it (SIGTERM to its
// process group, SIGKILL if it is still there kKillGrace later) on a timeout
// or an interrupt. Returns its wait status.
int ProcessRunner::watch_child(pid_t pid, int out_fd,
                               std::optional<std::chrono::milliseconds> timeout,
                               exec::CommandResult& result) {
  auto started = std::chrono::steady_clock::now();
  std::optional<std::chrono::steady_clock::time_point> stopping_since;
  bool open = true;
  int status = 0;
  for (;;) {
    if (open) {
      open = read_output(out_fd, 100, result.output);
    } else {
      ::poll(nullptr, 0, 100);  // output closed early: keep watching the clock
    }
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid || (done < 0 && errno != EINTR)) {
      // Exited. What it wrote last is still in the pipe; a background
      // grandchild holding the pipe open must not keep the run waiting.
      for (int i = 0; i < 64 && open; ++i) {
        open = read_output(out_fd, 0, result.output);
      }
      return status;
    }
    auto now = std::chrono::steady_clock::now();
    bool late = timeout && now - started > *timeout;
    if (!stopping_since && (late || interrupt_.requested())) {
      result.timed_out = late;
      result.interrupted = interrupt_.requested();
      ::kill(-pid, SIGTERM);
      stopping_since = now;
    } else if (stopping_since && now - *stopping_since > kKillGrace) {
      ::kill(-pid, SIGKILL);  // it ignored SIGTERM
      stopping_since = now;
    }
  }
}

// Appends what the child wrote within `wait_ms` (bounded). False at the end
// of its output; with a zero wait, also when nothing is waiting.
bool ProcessRunner::read_output(int fd, int wait_ms, std::string& output) const {
  pollfd p{fd, POLLIN, 0};
  int ready = ::poll(&p, 1, wait_ms);
  if (ready == 0) {
    return wait_ms > 0;
  }
  if (ready < 0) {
    return errno == EINTR;
  }
  char buffer[8192];
  ssize_t n = ::read(fd, buffer, sizeof(buffer));
  if (n <= 0) {
    return n < 0 && errno == EINTR;
  }
  if (output.size() < max_output_) {
    output.append(buffer, static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace runbook::adapters

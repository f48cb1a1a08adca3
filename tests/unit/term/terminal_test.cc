#include "adapters/term/terminal.h"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <optional>
#include <stdlib.h>
#include <string>
#include <unistd.h>

using runbook::adapters::colour_wanted;
using runbook::adapters::is_terminal;

namespace {

// Sets or unsets an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = ::getenv(name)) {
      old_ = old;
    }
    if (value) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

}  // namespace

TEST_SUITE("term::terminal") {
  TEST_CASE("a file is not a terminal and gets no colour") {
    int fd = ::open("/dev/null", O_WRONLY);
    REQUIRE(fd >= 0);
    ScopedEnv no_color("NO_COLOR", nullptr);
    ScopedEnv term("TERM", "xterm-256color");
    CHECK_FALSE(is_terminal(fd));
    CHECK_FALSE(colour_wanted(fd));
    ::close(fd);
  }

  TEST_CASE("NO_COLOR, even empty, and TERM=dumb turn colour off") {
    // Whatever stderr is here, these must say no.
    {
      ScopedEnv no_color("NO_COLOR", "");
      CHECK_FALSE(colour_wanted(STDERR_FILENO));
    }
    {
      ScopedEnv no_color("NO_COLOR", "1");
      CHECK_FALSE(colour_wanted(STDERR_FILENO));
    }
    {
      ScopedEnv no_color("NO_COLOR", nullptr);
      ScopedEnv term("TERM", "dumb");
      CHECK_FALSE(colour_wanted(STDERR_FILENO));
    }
  }

  TEST_CASE("on a terminal without NO_COLOR, colour") {
    // A pseudo-terminal stands in for the user's.
    int master = ::posix_openpt(O_RDWR | O_NOCTTY);
    REQUIRE(master >= 0);
    REQUIRE(::grantpt(master) == 0);
    REQUIRE(::unlockpt(master) == 0);
    int fd = ::open(::ptsname(master), O_WRONLY | O_NOCTTY);
    REQUIRE(fd >= 0);
    ScopedEnv no_color("NO_COLOR", nullptr);
    ScopedEnv term("TERM", "xterm-256color");
    CHECK(is_terminal(fd));
    CHECK(colour_wanted(fd));
    {
      ScopedEnv off("NO_COLOR", "");
      CHECK_FALSE(colour_wanted(fd));
    }
    ::close(fd);
    ::close(master);
  }

  TEST_CASE("RUNBOOK_PROGRESS_INTERVAL is a duration; anything else is ignored") {
    {
      ScopedEnv env("RUNBOOK_PROGRESS_INTERVAL", "200ms");
      CHECK(runbook::adapters::progress_interval() == std::chrono::milliseconds(200));
    }
    {
      ScopedEnv env("RUNBOOK_PROGRESS_INTERVAL", "soon");
      CHECK_FALSE(runbook::adapters::progress_interval().has_value());
    }
    {
      ScopedEnv env("RUNBOOK_PROGRESS_INTERVAL", nullptr);
      CHECK_FALSE(runbook::adapters::progress_interval().has_value());
    }
  }
}

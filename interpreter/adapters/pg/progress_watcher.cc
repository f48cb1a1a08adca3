#include "adapters/pg/progress_watcher.h"

#include <fmt/format.h>

#include <cstdlib>

namespace runbook::adapters {

namespace {

constexpr const char* kIndexProgress =
    "SELECT phase, blocks_done, blocks_total, tuples_done, tuples_total, lockers_done, "
    "lockers_total FROM pg_stat_progress_create_index WHERE pid = $1";

std::int64_t number(const Cell& cell) {
  return cell ? std::strtoll(cell->c_str(), nullptr, 10) : 0;
}

std::string share(std::int64_t done, std::int64_t total, const char* unit) {
  return fmt::format(" {}% ({} of {} {})", done * 100 / total, done, total, unit);
}

struct FirstRow final : exec::RowSink {
  std::optional<Row> first;
  void columns(const std::vector<std::string>&) override {}
  bool row(const Row& cells) override {
    first = cells;
    return false;
  }
};

bool reports_index_progress(const std::string& tag) {
  return tag == "CREATE INDEX" || tag == "REINDEX";
}

}  // namespace

std::string index_progress_words(const Row& row) {
  if (row.size() < 7 || !row[0]) {
    return "running";
  }
  std::string words = *row[0];
  if (number(row[2]) > 0) {
    return words + share(number(row[1]), number(row[2]), "blocks");
  }
  if (number(row[4]) > 0) {
    return words + share(number(row[3]), number(row[4]), "tuples");
  }
  if (number(row[6]) > 0) {
    return words + fmt::format(" ({} of {} transactions)", number(row[5]), number(row[6]));
  }
  return words;
}

ProgressWatcher::ProgressWatcher(exec::Connector& connector, std::string application_name,
                                 std::chrono::milliseconds interval)
    : connector_(connector), application_name_(std::move(application_name)), interval_(interval) {}

ProgressWatcher::~ProgressWatcher() {
  stop();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    quit_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void ProgressWatcher::start(const std::string& command_tag, int backend_pid,
                            std::function<void(const std::string&)> report) {
  std::lock_guard<std::mutex> lock(mutex_);
  watching_ = true;
  ++generation_;
  tag_ = command_tag;
  pid_ = backend_pid;
  report_ = std::move(report);
  next_report_ = std::chrono::steady_clock::now() + interval_;
  stop_connecting_ = false;
  if (!thread_.joinable()) {
    thread_ = std::thread([this] { loop(); });
  }
  changed_.notify_all();
}

void ProgressWatcher::stop() {
  std::unique_lock<std::mutex> lock(mutex_);
  if (!watching_ && !side_) {
    return;
  }
  watching_ = false;
  stop_connecting_ = true;
  if (reporting_ && side_) {
    side_->cancel();  // a progress query in flight must not hold the run
  }
  changed_.notify_all();
  changed_.wait(lock, [this] { return !reporting_; });
  side_.reset();  // closes the progress connection
  report_ = nullptr;
}

void ProgressWatcher::loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!quit_) {
    if (!watching_) {
      changed_.wait(lock);
      continue;
    }
    std::uint64_t generation = generation_;
    if (changed_.wait_until(lock, next_report_,
                            [&] { return quit_ || !watching_ || generation_ != generation; })) {
      continue;
    }
    reporting_ = true;
    std::string tag = tag_;
    int pid = pid_;
    auto report = report_;
    lock.unlock();
    std::string text = progress_text(tag, pid);
    lock.lock();
    if (watching_ && generation_ == generation && report) {
      report(text);  // under the lock: stop() waits for it to return
    }
    reporting_ = false;
    next_report_ += interval_;
    changed_.notify_all();
  }
}

std::string ProgressWatcher::progress_text(const std::string& command_tag, int backend_pid) {
  if (!reports_index_progress(command_tag)) {
    return "running";
  }
  if (!side_) {
    std::string error;
    auto side = connector_.connect(application_name_ + ":progress", &error, &stop_connecting_);
    if (side) {
      // Never wait on anything: the view takes no lock, but a sick server must not hang us.
      side->execute("SET statement_timeout = '2s'", nullptr);
      std::lock_guard<std::mutex> lock(mutex_);
      side_ = std::move(side);
    }
  }
  if (!side_) {
    return "running";
  }
  FirstRow got;
  exec::ExecResult r = side_->execute_params(kIndexProgress, {std::to_string(backend_pid)}, &got);
  if (r.error || !got.first) {
    return "running";
  }
  return index_progress_words(*got.first);
}

}  // namespace runbook::adapters

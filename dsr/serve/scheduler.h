#pragma once
// Periodic jobs inside `dsr serve`: a thread that runs every registered job once per
// interval (the batch pass, OpenDSR callbacks, and whatever else is added: export
// expiry, deadline reminders). Jobs run one after another on the scheduler's thread,
// so a slow job delays the next round instead of overlapping itself.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "dsr/serve/json_log.h"

namespace dsr::serve {

struct ScheduledJob {
  std::string name;
  // Returns a one-line summary for the log (counts, never personal data), or throws.
  // An empty summary means there was nothing to do and is not logged (frequent jobs).
  std::function<std::string()> run;
};

class Scheduler {
 public:
  Scheduler(std::chrono::seconds interval, JsonLog& log) : interval_(interval), log_(log) {}
  ~Scheduler() { stop(); }

  // Before start() only.
  void add(ScheduledJob job) { jobs_.push_back(std::move(job)); }

  // Runs the first round right away, then one per interval.
  void start();
  // Wakes the thread, lets a running job finish, and joins. Idempotent.
  void stop();
  // Runs one round now, on the caller's thread (tests, `dsr serve --once` style use).
  void run_round();

 private:
  std::chrono::seconds interval_;
  JsonLog& log_;
  std::vector<ScheduledJob> jobs_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace dsr::serve

#include "dsr/serve/scheduler.h"

namespace dsr::serve {

void Scheduler::start() {
  if (thread_.joinable() || jobs_.empty()) return;
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      run_round();
      lock.lock();
      wake_.wait_for(lock, interval_, [this] { return stopping_; });
    }
  });
}

void Scheduler::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Scheduler::run_round() {
  for (const auto& job : jobs_) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    const auto started = std::chrono::steady_clock::now();
    try {
      const std::string summary = job.run();
      if (summary.empty()) continue;
      const auto ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
              .count();
      log_.info("job",
                fields({{"job", job.name}, {"summary", summary}, {"ms", static_cast<Poco::Int64>(ms)}}));
    } catch (const std::exception& e) {
      log_.error("job_failed", fields({{"job", job.name}, {"what", std::string(e.what())}}));
    }
  }
}

}  // namespace dsr::serve

#pragma once
// Counters the server keeps in memory for /metrics (Prometheus text format 0.0.4):
// HTTP responses by status code and batch-run durations. Request counts by status and
// type and the overdue count come from the store when /metrics is read.

#include <array>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "dsr/model/request.h"

namespace dsr::serve {

struct RequestCounts {
  std::map<std::pair<std::string, std::string>, long long> by_status_and_type;  // (status, type) -> count
  long long overdue = 0;
};

class Metrics {
 public:
  // Thread-safe.
  void count_response(int status_code);
  // One request's run (claim to completion or failure), in seconds.
  void observe_run(RequestType type, bool completed, double seconds);
  void count_batch_pass();

  // The exposition text; `requests` is read from the store by the caller.
  std::string render(const RequestCounts& requests) const;

 private:
  static constexpr std::array<double, 8> kRunBuckets{0.1, 0.5, 1, 5, 15, 60, 300, 1800};
  struct Histogram {
    std::array<long long, kRunBuckets.size()> buckets{};
    long long count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<int, long long> responses_;
  std::map<std::pair<std::string, std::string>, Histogram> runs_;  // (type, outcome)
  long long batch_passes_ = 0;
};

}  // namespace dsr::serve

#include "dsr/serve/metrics.h"

#include <sstream>

namespace dsr::serve {

void Metrics::count_response(int status_code) {
  std::lock_guard lock(mutex_);
  ++responses_[status_code];
}

void Metrics::observe_run(RequestType type, bool completed, double seconds) {
  std::lock_guard lock(mutex_);
  Histogram& h = runs_[{std::string(to_string(type)), completed ? "completed" : "failed"}];
  for (std::size_t i = 0; i < kRunBuckets.size(); ++i) {
    if (seconds <= kRunBuckets[i]) ++h.buckets[i];
  }
  ++h.count;
  h.sum += seconds;
}

void Metrics::count_batch_pass() {
  std::lock_guard lock(mutex_);
  ++batch_passes_;
}

std::string Metrics::render(const RequestCounts& requests) const {
  std::ostringstream out;
  out << "# HELP dsr_requests Data-subject requests in the store, by status and type.\n"
         "# TYPE dsr_requests gauge\n";
  for (const auto& [key, count] : requests.by_status_and_type) {
    out << "dsr_requests{status=\"" << key.first << "\",type=\"" << key.second << "\"} " << count << "\n";
  }
  out << "# HELP dsr_requests_overdue Open requests past their due date.\n"
         "# TYPE dsr_requests_overdue gauge\n"
         "dsr_requests_overdue "
      << requests.overdue << "\n";
  std::lock_guard lock(mutex_);
  out << "# HELP dsr_http_responses_total HTTP responses sent, by status code.\n"
         "# TYPE dsr_http_responses_total counter\n";
  for (const auto& [code, count] : responses_) {
    out << "dsr_http_responses_total{code=\"" << code << "\"} " << count << "\n";
  }
  out << "# HELP dsr_batch_passes_total Scheduled batch passes run.\n"
         "# TYPE dsr_batch_passes_total counter\n"
         "dsr_batch_passes_total "
      << batch_passes_ << "\n";
  out << "# HELP dsr_run_duration_seconds How long running one request took, by type and outcome.\n"
         "# TYPE dsr_run_duration_seconds histogram\n";
  for (const auto& [key, h] : runs_) {
    const std::string labels = "type=\"" + key.first + "\",outcome=\"" + key.second + "\"";
    for (std::size_t i = 0; i < kRunBuckets.size(); ++i) {
      out << "dsr_run_duration_seconds_bucket{" << labels << ",le=\"" << kRunBuckets[i] << "\"} "
          << h.buckets[i] << "\n";
    }
    out << "dsr_run_duration_seconds_bucket{" << labels << ",le=\"+Inf\"} " << h.count << "\n";
    out << "dsr_run_duration_seconds_sum{" << labels << "} " << h.sum << "\n";
    out << "dsr_run_duration_seconds_count{" << labels << "} " << h.count << "\n";
  }
  return out.str();
}

}  // namespace dsr::serve

#include "dsr/run/batch_pass.h"

#include <chrono>

namespace dsr {

Result<BatchSummary> run_batch_pass(const RunEnvironment& environment, const BatchHooks& hooks) {
  RequestService requests(environment.db, environment.key, environment.clock);
  RequestFilter approved;
  approved.status = RequestStatus::approved;
  auto queue = requests.list(approved);
  if (!queue) return queue.take_error();
  BatchSummary summary;
  summary.approved = queue->size();
  RequestRunner runner(environment);
  for (const auto& request : *queue) {
    if (hooks.stop_requested && hooks.stop_requested()) break;
    const auto started = std::chrono::steady_clock::now();
    auto outcome = runner.run(request.id);
    if (!outcome) {
      ++summary.skipped;
      summary.skip_reasons.push_back(outcome.error());
      continue;
    }
    if (outcome->status == RequestStatus::completed)
      ++summary.completed;
    else
      ++summary.failed;
    if (hooks.on_outcome) {
      hooks.on_outcome(*outcome,
                       std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    }
  }
  return summary;
}

}  // namespace dsr

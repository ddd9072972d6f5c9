#include "dsr/run/batch_pass.h"

#include <chrono>

namespace dsr {

Result<BatchSummary> run_batch_pass(const RunEnvironment& environment, const BatchHooks& hooks) {
  BatchSummary summary;
  RequestRunner runner(environment);
  // A request this pass has run is not taken again in the same pass (a failure left it
  // failed; an abandoned one it took over counts once).
  std::vector<std::string> attempted;
  for (;;) {
    if (hooks.stop_requested && hooks.stop_requested()) break;
    const auto started = std::chrono::steady_clock::now();
    auto outcomes = runner.run_next_group(attempted, hooks.progress);
    if (!outcomes) return outcomes.take_error();
    if (outcomes->empty()) break;
    // Requests erased together share their time.
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() /
                           static_cast<double>(outcomes->size());
    for (auto& outcome : *outcomes) {
      if (!outcome) {
        if (!is_lost_claim(outcome.error())) return outcome.take_error();
        ++summary.skipped;
        summary.skip_reasons.push_back(outcome.error());
        continue;
      }
      attempted.push_back(outcome->id);
      if (outcome->status == RequestStatus::completed) ++summary.completed; else ++summary.failed;
      if (hooks.on_outcome) hooks.on_outcome(*outcome, seconds);
    }
  }
  return summary;
}

}  // namespace dsr

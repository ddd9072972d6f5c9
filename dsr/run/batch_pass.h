#pragma once
// One pass over the queue: claims and runs approved requests (and requests abandoned by
// a worker that is gone) one after another until none is left. Shared by `dsr batch`
// and `dsr serve`'s scheduler, so both follow the same rules; several passes in several
// processes may run at once against one state store.

#include <functional>

#include "dsr/run/request_runner.h"

namespace dsr {

struct BatchSummary {
  std::size_t completed = 0;
  std::size_t failed = 0;
  std::size_t skipped = 0;  // started, but the claim was lost to another worker midway
  std::vector<std::string> skip_reasons;
};

struct BatchHooks {
  // Before each run, for progress displays.
  ProgressFn progress;
  // After each started run, with how long it took.
  std::function<void(const RunOutcome&, double seconds)> on_outcome;
  // Asked before each run; true ends the pass early (a run in progress always finishes).
  std::function<bool()> stop_requested;
};

// An error means the queue itself failed (the state store); runs that failed are counted.
Result<BatchSummary> run_batch_pass(const RunEnvironment& environment, const BatchHooks& hooks = {});

}  // namespace dsr

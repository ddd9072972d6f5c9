#pragma once
// One pass over the queue: runs every approved request, one after another. Shared by
// `dsr serve`'s scheduler (and usable by `dsr batch`), so both follow the same rules.

#include <functional>

#include "dsr/run/request_runner.h"

namespace dsr {

struct BatchSummary {
  std::size_t approved = 0;  // approved when the pass started
  std::size_t completed = 0;
  std::size_t failed = 0;
  std::size_t skipped = 0;  // not started: another worker took it, or a type this version cannot run
  std::vector<std::string> skip_reasons;
};

struct BatchHooks {
  // After each started run, with how long it took.
  std::function<void(const RunOutcome&, double seconds)> on_outcome;
  // Asked before each run; true ends the pass early (a run in progress always finishes).
  std::function<bool()> stop_requested;
};

Result<BatchSummary> run_batch_pass(const RunEnvironment& environment, const BatchHooks& hooks = {});

}  // namespace dsr

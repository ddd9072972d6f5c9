#pragma once
// Status callbacks through an outbox (table opendsr_callbacks, one row per
// status_callback_url): each row remembers the last OpenDSR status delivered to its
// URL. A pass compares that with the request's current status and POSTs what is new,
// signed (X-OpenDSR-Signature, X-OpenDSR-Processor-Domain). A failed POST is retried
// after a delay that doubles per failure, up to a day; since the state lives in the
// store, callbacks survive restarts. Intermediate statuses a request passed through
// between two passes are not replayed: the controller hears the current one.

#include <chrono>
#include <cstddef>

#include "dsr/common/result.h"
#include "dsr/opendsr/api.h"

namespace dsr::opendsr {

struct CallbackReport {
  std::size_t attempted = 0;
  std::size_t delivered = 0;  // answered 2xx
  std::size_t failed = 0;     // to be retried later
};

struct CallbackOptions {
  std::chrono::seconds timeout{10};
  std::size_t batch = 100;  // rows looked at per pass
};

// One pass over the outbox. An error means the pass could not run (no processor key,
// store unreadable); failed deliveries are counted, not errors. Call outside a
// transaction; several processes may run passes (a URL may then hear a status twice,
// which OpenDSR callbacks allow).
Result<CallbackReport> deliver_pending_callbacks(const ApiEnvironment& env, const CallbackOptions& options = {});

}  // namespace dsr::opendsr

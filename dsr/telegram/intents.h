#pragma once
// Carries out what people confirmed in the chat, through the request service (which
// runs its own transactions): filing a request, or withdrawing one. An intent is
// recorded with its update and finished here, so one that a crash interrupted is
// carried out on the next pass. A filing that finds an open request of the same type
// for the person links to it instead of filing a second one.

#include <functional>
#include <string>

#include "dsr/requests/request_service.h"
#include "dsr/telegram/catalog.h"
#include "dsr/telegram/outbox.h"

namespace dsr::telegram {

struct IntentContext {
  Database& db;
  RequestService& requests;
  const Clock& clock;
  const Catalog& catalog;
  const IdentityNormaliser& identities;
  Regulation regulation = Regulation::gdpr;
  LogFn log;
};

// Carries out every open intent. Returns how many were finished.
Result<std::size_t> run_intents(const IntentContext& context);

}  // namespace dsr::telegram

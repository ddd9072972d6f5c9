#include "dsr/web/page_guard.h"

namespace dsr::web {

void as_officer_page(const WebContext& context, serve::Exchange& exchange, const OfficerPage& page) {
  auto db = context.pool.acquire();
  auto principal = session_principal(context, *db, exchange);
  if (!principal) throw std::runtime_error(principal.error());
  if (!*principal) {
    if (exchange.request.getMethod() == "GET") {
      serve::redirect(exchange, "/login");
    } else {
      send_message(context, exchange, 401, "Not logged in", "Your session has ended; log in again.",
                   std::nullopt, "/login");
    }
    return;
  }
  if (exchange.request.getMethod() == "POST" && !csrf_valid(context, exchange, **principal)) {
    context.log.info("csrf_refused", serve::fields({{"officer", (*principal)->officer}}));
    send_message(context, exchange, 403, "Refused",
                 "The form's security token is missing or wrong. Reload the page and try again.", *principal);
    return;
  }
  page(*db, **principal);
}

}  // namespace dsr::web

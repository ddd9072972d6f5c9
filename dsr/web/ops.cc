// /healthz (the process answers and the store is reachable) and /metrics (Prometheus).
// Neither needs a login: they show counts only, and are meant for loopback or an
// internal network.

#include "dsr/requests/request_service.h"
#include "dsr/web/routes.h"

namespace dsr::web {

void add_ops_routes(serve::Router& router, const WebContext& context) {
  router.add("GET", "/healthz", [&context](serve::Exchange& exchange) {
    auto db = context.pool.acquire();
    Status ok = db->read([&] {
      long long one = 0;
      db->session() << "SELECT 1", soci::into(one);
      return Status::Ok();
    });
    if (!ok) {
      context.log.error("healthz_store_unreachable");
      serve::send_text(exchange, 503, "text/plain; charset=utf-8", "store unreachable\n");
      return;
    }
    serve::send_text(exchange, 200, "text/plain; charset=utf-8", "ok\n");
  });
  router.add("GET", "/metrics", [&context](serve::Exchange& exchange) {
    auto db = context.pool.acquire();
    auto requests = RequestService(*db, context.key, context.clock).list(RequestFilter{});
    if (!requests) throw std::runtime_error(requests.error());
    const auto counts = serve::count_requests(*requests, context.clock.now());
    serve::send_text(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", context.metrics.render(counts));
  });
}

}  // namespace dsr::web

// /healthz (the process answers and the store is reachable) and /metrics (Prometheus).
// Neither needs a login: they show counts only, and are meant for loopback or an
// internal network.

#include "dsr/model/request.h"
#include "dsr/serve/metrics.h"
#include "dsr/web/routes.h"

namespace dsr::web {

namespace {

// Counted by the store, so a scrape costs two queries however many requests there are.
Result<serve::RequestCounts> count_requests(Database& db, TimePoint now) {
  serve::RequestCounts counts;
  std::string open_statuses;
  for (auto status :
       {RequestStatus::received, RequestStatus::awaiting_verification, RequestStatus::pending_approval,
        RequestStatus::approved, RequestStatus::running, RequestStatus::completed, RequestStatus::failed,
        RequestStatus::rejected, RequestStatus::cancelled}) {
    if (!is_terminal(status))
      open_statuses +=
          std::string(open_statuses.empty() ? "'" : ", '") + std::string(to_string(status)) + "'";
  }
  Status read = db.read([&] {
    soci::rowset<soci::row> rows =
        (db.session().prepare << "SELECT status, type, COUNT(*) FROM requests GROUP BY status, type");
    for (const auto& row : rows) {
      counts.by_status_and_type[{column_text(row, 0), column_text(row, 1)}] = column_int(row, 2);
    }
    const std::string now_text = format_utc(now);
    db.session() << "SELECT COUNT(*) FROM requests WHERE due_at < :now AND status IN (" + open_statuses + ")",
        soci::use(now_text), soci::into(counts.overdue);
    return Status::Ok();
  });
  if (!read) return read.take_error();
  return counts;
}

}  // namespace

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
    auto counts = count_requests(*db, context.clock.now());
    if (!counts) throw std::runtime_error(counts.error());
    serve::send_text(exchange, 200, "text/plain; version=0.0.4; charset=utf-8",
                     context.metrics.render(*counts));
  });
}

}  // namespace dsr::web

// GET /audit[?verify=1]: the newest entries of the chain and, on request, its verification.

#include <deque>

#include "dsr/audit/audit_log.h"
#include "dsr/web/page_guard.h"
#include "dsr/web/routes.h"
#include "web_templates.h"

namespace dsr::web {

namespace {

constexpr std::size_t kShown = 200;

void show_audit(const WebContext& context, serve::Exchange& exchange, Database& db,
                const Principal& principal) {
  AuditLog log(db, context.key, context.clock);
  Data page;
  if (exchange.query().get("verify", "") == "1") {
    const AuditVerification verification = log.verify();
    page.set("verified", true);
    page.set("intact", verification.intact);
    page.set("entries", std::to_string(verification.entries));
    if (verification.first_bad_seq) page.set("first_bad", std::to_string(*verification.first_bad_seq));
    page.set("problem", verification.problem);
    context.log.info("audit_verified",
                     serve::fields({{"officer", principal.officer}, {"intact", verification.intact}}));
  }
  std::deque<AuditEntry> newest;
  long long total = 0;
  Status read = log.for_each([&](const AuditEntry& entry) {
    ++total;
    newest.push_back(entry);
    if (newest.size() > kShown) newest.pop_front();
    return true;
  });
  if (!read) throw std::runtime_error(read.error());
  Data list{Data::type::list};
  for (auto it = newest.rbegin(); it != newest.rend(); ++it) {
    Data item;
    item.set("seq", std::to_string(it->seq));
    item.set("at", it->at);
    item.set("action", it->action);
    item.set("actor", it->actor);
    if (!it->request_id.empty()) {
      item.set("request_id", it->request_id);
      item.set("short_request", it->request_id.substr(0, 8));
    }
    item.set("detail", it->detail);
    item.set("hash", it->entry_hash.substr(0, 16));
    list.push_back(item);
  }
  page.set("entries_list", list);
  page.set("shown", std::to_string(newest.size()));
  page.set("total", std::to_string(total));
  send_page(context, exchange, 200, web_templates::audit, page, Frame{"Audit trail", principal, "", ""});
}

}  // namespace

void add_audit_routes(serve::Router& router, const WebContext& context) {
  router.add("GET", "/audit", [&context](serve::Exchange& exchange) {
    as_officer_page(context, exchange, [&](Database& db, const Principal& principal) {
      show_audit(context, exchange, db, principal);
    });
  });
}

}  // namespace dsr::web

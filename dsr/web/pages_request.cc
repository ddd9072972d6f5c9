// GET /requests/{id} and POST /requests/{id}/{approve|reject|extend}.

#include "dsr/requests/request_service.h"
#include "dsr/web/dry_run_counts.h"
#include "dsr/web/officer_actions.h"
#include "dsr/web/page_guard.h"
#include "dsr/web/request_view.h"
#include "dsr/web/routes.h"
#include "web_templates.h"

namespace dsr::web {

namespace {

// Notices after an action come from this fixed list, so a link cannot put words on the page.
std::string notice_for(const std::string& code) {
  if (code == "approved") return "Approved.";
  if (code == "first_approval")
    return "First approval recorded; an erasure needs a second officer's approval.";
  if (code == "rejected") return "Rejected.";
  if (code == "extended") return "The deadline was extended.";
  return "";
}

void show_request(const WebContext& context, serve::Exchange& exchange, Database& db,
                  const Principal& principal, const std::string& id) {
  RequestService requests(db, context.key, context.clock);
  auto request = check_request_id(id) ? requests.get(id) : Result<Request>(fail("request: not found"));
  if (!request) {
    send_message(context, exchange, 404, "Not found", "There is no request with this id.", principal);
    return;
  }
  auto events = requests.events(id);
  if (!events) throw std::runtime_error(events.error());
  const TimePoint now = context.clock.now();
  const Request& r = *request;
  Data page;
  page.set("id", r.id);
  page.set("type", std::string(to_string(r.type)));
  page.set("status", std::string(to_string(r.status)));
  page.set("regulation", std::string(to_string(r.regulation)));
  page.set("channel", r.channel);
  page.set("received", format_utc(r.received_at));
  page.set("due", format_utc(r.due_at));
  page.set("days_left", std::to_string(days_until(r.due_at, now)));
  page.set("overdue", is_overdue(r.status, r.due_at, now));
  page.set("extended", r.extended_at.has_value());
  if (!r.submitted_by.empty()) page.set("submitted_by", r.submitted_by);
  if (!r.approved_by.empty()) page.set("approved_by", r.approved_by);
  if (!r.duplicate_of.empty()) page.set("duplicate_of", r.duplicate_of);
  Data identities{Data::type::list};
  for (const auto& identity : r.identities) {
    Data item;
    item.set("kind", identity.kind);
    item.set("masked", masked_value(identity));
    item.set("proven", identity.proven);
    identities.push_back(item);
  }
  page.set("identities", identities);
  auto counts = dry_run_counts(context, r);
  if (!counts) {
    page.set("counts_error", "The dry run failed: " + counts.error());
  } else {
    Data list{Data::type::list};
    for (const auto& c : *counts) {
      Data item;
      item.set("dataset", c.dataset);
      item.set("collection", c.collection);
      item.set("rows", std::to_string(c.rows));
      list.push_back(item);
    }
    page.set("counts", list);
  }
  page.set("may_act", principal.may_act() && !is_terminal(r.status));
  page.set("csrf", csrf_token(context, principal.session_id));
  Data timeline{Data::type::list};
  for (const auto& e : *events) {
    Data item;
    item.set("at", format_utc(e.at));
    item.set("actor", e.actor);
    item.set("kind", e.kind);
    item.set("from", e.from_status);
    item.set("to", e.to_status);
    item.set("note", e.note);
    timeline.push_back(item);
  }
  page.set("events", timeline);
  send_page(
      context, exchange, 200, web_templates::request, page,
      Frame{"Request " + r.id.substr(0, 8), principal, notice_for(exchange.query().get("done", "")), ""});
}

void act(const WebContext& context, serve::Exchange& exchange, Database& db, const Principal& principal,
         const std::string& id, OfficerAction action) {
  const std::string text = exchange.form().get("reason", "");
  const ActionResult result = perform_officer_action(context, db, principal, id, action, text);
  if (result.http_status != 200) {
    send_message(context, exchange, result.http_status, result.http_status == 403 ? "Refused" : "Not done",
                 result.message, principal, check_request_id(id) ? "/requests/" + id : "/queue");
    return;
  }
  std::string done = action == OfficerAction::approve  ? "approved"
                     : action == OfficerAction::reject ? "rejected"
                                                       : "extended";
  if (action == OfficerAction::approve && result.status == "pending_approval") done = "first_approval";
  serve::redirect(exchange, "/requests/" + id + "?done=" + done);
}

}  // namespace

void add_request_routes(serve::Router& router, const WebContext& context) {
  router.add("GET", "/requests/{}", [&context](serve::Exchange& exchange) {
    as_officer_page(context, exchange, [&](Database& db, const Principal& principal) {
      show_request(context, exchange, db, principal, exchange.captures[0]);
    });
  });
  for (auto action : {OfficerAction::approve, OfficerAction::reject, OfficerAction::extend}) {
    router.add("POST", "/requests/{}/" + std::string(to_string(action)),
               [&context, action](serve::Exchange& exchange) {
                 as_officer_page(context, exchange, [&](Database& db, const Principal& principal) {
                   act(context, exchange, db, principal, exchange.captures[0], action);
                 });
               });
  }
}

}  // namespace dsr::web

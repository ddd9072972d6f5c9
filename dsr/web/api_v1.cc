// The REST API for officers' tools (schemas/openapi.json): bearer tokens made by
// `dsr officer token NAME`, the same rules as the web pages.

#include <Poco/JSON/Array.h>

#include "dsr/requests/request_service.h"
#include "dsr/web/officer_actions.h"
#include "dsr/web/request_view.h"
#include "dsr/web/routes.h"
#include "schemas/embedded_schemas.h"

namespace dsr::web {

namespace {

using ApiHandler = std::function<void(Database& db, const Principal& principal)>;

void as_api_officer(const WebContext& context, serve::Exchange& exchange, const ApiHandler& handler) {
  auto db = context.pool.acquire();
  if (exchange.bearer_token().empty()) {
    serve::send_json_error(exchange, 401, "unauthenticated",
                           "an Authorization: Bearer <token> header is required");
    return;
  }
  auto principal = bearer_principal(context, *db, exchange);
  if (!principal) throw std::runtime_error(principal.error());
  if (!*principal) {
    serve::send_json_error(exchange, 401, "unauthenticated", "the bearer token is unknown or revoked");
    return;
  }
  handler(*db, **principal);
}

void list_requests(const WebContext& context, serve::Exchange& exchange, Database& db) {
  const auto& query = exchange.query();
  RequestFilter filter;
  if (query.has("status")) {
    auto status = parse_request_status(query.get("status"));
    if (!status) return serve::send_json_error(exchange, 400, "invalid", "status: " + status.error());
    filter.status = *status;
  }
  if (query.has("type")) {
    auto type = parse_request_type(query.get("type"));
    if (!type) return serve::send_json_error(exchange, 400, "invalid", "type: " + type.error());
    filter.type = *type;
  }
  if (query.has("channel")) filter.channel = query.get("channel");
  filter.overdue_only = query.get("overdue", "") == "true";
  auto requests = RequestService(db, context.key, context.clock).list(filter);
  if (!requests) throw std::runtime_error(requests.error());
  const TimePoint now = context.clock.now();
  Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
  for (const auto& r : *requests) list->add(request_json(r, now));
  Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
  body->set("requests", list);
  serve::send_json(exchange, 200, body);
}

void show_request(const WebContext& context, serve::Exchange& exchange, Database& db, const std::string& id) {
  if (!check_request_id(id)) return serve::send_json_error(exchange, 404, "not_found", "no such request");
  auto request = RequestService(db, context.key, context.clock).get(id);
  if (!request) return serve::send_json_error(exchange, 404, "not_found", "no such request");
  serve::send_json(exchange, 200, request_json(*request, context.clock.now()));
}

void act(const WebContext& context, serve::Exchange& exchange, Database& db, const Principal& principal,
         const std::string& id, OfficerAction action) {
  auto body = exchange.json_body();
  if (!body) return serve::send_json_error(exchange, 400, "invalid", body.error());
  const std::string key = action == OfficerAction::approve ? "note" : "reason";
  std::string text;
  if ((*body)->has(key)) {
    if (!(*body)->get(key).isString())
      return serve::send_json_error(exchange, 400, "invalid", key + ": expected a string");
    text = (*body)->getValue<std::string>(key);
  }
  const ActionResult result = perform_officer_action(context, db, principal, id, action, text);
  if (result.http_status != 200)
    return serve::send_json_error(exchange, result.http_status, result.code, result.message);
  auto request = RequestService(db, context.key, context.clock).get(id);
  if (!request) throw std::runtime_error(request.error());
  Poco::JSON::Object::Ptr answer = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  answer->set("message", result.message);
  answer->set("request", request_json(*request, context.clock.now()));
  serve::send_json(exchange, 200, answer);
}

}  // namespace

void add_api_routes(serve::Router& router, const WebContext& context) {
  router.add("GET", "/api/v1/openapi.json", [](serve::Exchange& exchange) {
    const auto text = embedded_schema("openapi.json");
    if (!text) throw std::runtime_error("openapi.json is not embedded in this build");
    serve::send_text(exchange, 200, "application/json", std::string(*text));
  });
  router.add("GET", "/api/v1/requests", [&context](serve::Exchange& exchange) {
    as_api_officer(context, exchange,
                   [&](Database& db, const Principal&) { list_requests(context, exchange, db); });
  });
  router.add("GET", "/api/v1/requests/{}", [&context](serve::Exchange& exchange) {
    as_api_officer(context, exchange, [&](Database& db, const Principal&) {
      show_request(context, exchange, db, exchange.captures[0]);
    });
  });
  for (auto action : {OfficerAction::approve, OfficerAction::reject, OfficerAction::extend}) {
    router.add("POST", "/api/v1/requests/{}/" + std::string(to_string(action)),
               [&context, action](serve::Exchange& exchange) {
                 as_api_officer(context, exchange, [&](Database& db, const Principal& principal) {
                   act(context, exchange, db, principal, exchange.captures[0], action);
                 });
               });
  }
}

}  // namespace dsr::web

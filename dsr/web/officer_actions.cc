#include "dsr/web/officer_actions.h"

#include "dsr/common/text.h"
#include "dsr/requests/request_service.h"

namespace dsr::web {

Result<OfficerAction> parse_officer_action(const std::string& text) {
  for (auto action : {OfficerAction::approve, OfficerAction::reject, OfficerAction::extend}) {
    if (to_string(action) == text) return action;
  }
  return fail("unknown action (expected approve, reject or extend)");
}

std::string_view to_string(OfficerAction action) {
  switch (action) {
    case OfficerAction::approve:
      return "approve";
    case OfficerAction::reject:
      return "reject";
    case OfficerAction::extend:
      return "extend";
  }
  return "?";
}

ActionResult perform_officer_action(const WebContext& context, Database& db, const Principal& principal,
                                    const std::string& request_id, OfficerAction action,
                                    const std::string& text) {
  if (!principal.may_act()) {
    return {403, "forbidden",
            "officer " + principal.officer + ": the " + std::string(to_string(principal.role)) +
                " role may not " + std::string(to_string(action)) + " requests",
            ""};
  }
  if (Status s = check_request_id(request_id); !s) return {404, "not_found", s.error(), ""};
  RequestService requests(db, context.key, context.clock);
  requests.set_erasure_needs_two_officers(context.options.erasure_two_officers);
  auto request = requests.get(request_id);
  if (!request) return {404, "not_found", request.error(), ""};
  if (action != OfficerAction::approve && trim(text).empty()) {
    return {400, "invalid", "a reason is required to " + std::string(to_string(action)) + " a request",
            std::string(dsr::to_string(request->status))};
  }
  if (action == OfficerAction::approve && request->submitted_by == principal.officer) {
    return {403, "self_approval",
            "request " + request_id + ": officer " + principal.officer +
                " submitted it and cannot approve it too",
            std::string(dsr::to_string(request->status))};
  }
  Status done;
  std::string message;
  switch (action) {
    case OfficerAction::approve:
      done = requests.approve(request_id, principal.officer, text);
      message = "approved";
      break;
    case OfficerAction::reject:
      done = requests.reject(request_id, principal.officer, text);
      message = "rejected";
      break;
    case OfficerAction::extend: {
      auto due = requests.extend(request_id, principal.officer, text);
      if (due)
        message = "extended; now due " + format_utc(*due);
      else
        done = due.take_error();
      break;
    }
  }
  auto after = requests.get(request_id);
  const std::string status = after ? std::string(dsr::to_string(after->status)) : "";
  if (!done) {
    const bool refused = done.error().find("state store:") == std::string::npos;
    context.log.info("officer_action_refused", serve::fields({{"action", std::string(to_string(action))},
                                                              {"officer", principal.officer},
                                                              {"request", request_id}}));
    return {refused ? 409 : 500, refused ? "conflict" : "error", done.error(), status};
  }
  if (action == OfficerAction::approve && status == "pending_approval") {
    message = "first approval recorded; an erasure needs a second officer's approval";
  }
  context.log.info("officer_action", serve::fields({{"action", std::string(to_string(action))},
                                                    {"officer", principal.officer},
                                                    {"request", request_id},
                                                    {"status", status}}));
  return {200, "ok", "request " + request_id + " " + message, status};
}

}  // namespace dsr::web

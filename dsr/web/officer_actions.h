#pragma once
// Approve, reject and extend, as both the web pages and the REST API perform them, so
// the rules are the same whichever way an officer comes: the role is checked here
// (auditors are read-only), then dsr/requests applies the lifecycle rules (no approval
// of one's own submission, two officers for an erasure when configured).

#include <string>

#include "dsr/web/auth.h"

namespace dsr::web {

enum class OfficerAction { approve, reject, extend };

Result<OfficerAction> parse_officer_action(const std::string& text);
std::string_view to_string(OfficerAction action);

struct ActionResult {
  int http_status = 200;  // 200 done; 400 bad input; 403 not allowed; 404 no such request; 409 not now
  std::string code;       // "ok", "invalid", "forbidden", "self_approval", "not_found", "conflict", "error"
  std::string message;    // for the officer; names the request, never a subject's identity
  std::string status;     // the request's status afterwards, when it exists
};

// `text` is the note (approve) or the reason (reject, extend; required).
ActionResult perform_officer_action(const WebContext& context, Database& db, const Principal& principal,
                                    const std::string& request_id, OfficerAction action,
                                    const std::string& text);

}  // namespace dsr::web

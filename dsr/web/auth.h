#pragma once
// Who is asking: an officer behind a session cookie (web pages) or a bearer token
// (REST API), with their role as the store says now, so disabling an officer or
// changing a role takes effect on the next request. Plus the CSRF tokens of forms.

#include <optional>
#include <string>

#include "dsr/serve/exchange.h"
#include "dsr/state/officer_store.h"
#include "dsr/web/context.h"

namespace dsr::web {

inline constexpr const char* kSessionCookie = "dsr_session";
inline constexpr const char* kLoginCookie = "dsr_login";

struct Principal {
  std::string officer;
  OfficerRole role = OfficerRole::auditor;
  std::string session_id;  // empty for a bearer token

  bool may_act() const { return role == OfficerRole::officer || role == OfficerRole::admin; }
  bool is_admin() const { return role == OfficerRole::admin; }
};

// nullopt: no cookie, an unknown or idle session, or a disabled officer.
Result<std::optional<Principal>> session_principal(const WebContext& context, Database& db,
                                                   serve::Exchange& exchange);
// nullopt: no token, an unknown or revoked one, or a disabled officer.
Result<std::optional<Principal>> bearer_principal(const WebContext& context, Database& db,
                                                  serve::Exchange& exchange);

// The form token of a session: a keyed hash of its id, so nothing extra is stored and
// a page from another site cannot know it.
std::string csrf_token(const WebContext& context, const std::string& session_id);
// The posted "csrf" field matches the session's token.
bool csrf_valid(const WebContext& context, serve::Exchange& exchange, const Principal& principal);

// The login form's token, tied to a random pre-login cookie (double submit, keyed).
std::string login_csrf_token(const WebContext& context, const std::string& login_nonce);

// A Set-Cookie header value: HttpOnly, SameSite=Strict, Path=/, Secure under TLS.
std::string cookie_header(const std::string& name, const std::string& value, bool tls, bool expire = false);

}  // namespace dsr::web

#include "dsr/web/auth.h"

#include "dsr/common/crypto.h"
#include "dsr/web/credentials.h"

namespace dsr::web {

namespace {

Result<std::optional<Principal>> principal_for(Database& db, const std::string& officer,
                                               const std::string& session) {
  std::optional<Officer> found;
  Status read = db.read([&] {
    found = OfficerStore(db).find(officer);
    return Status::Ok();
  });
  if (!read) return read.take_error();
  if (!found || found->disabled) return std::optional<Principal>();
  return std::optional<Principal>(Principal{found->name, found->role, session});
}

}  // namespace

Result<std::optional<Principal>> session_principal(const WebContext& context, Database& db,
                                                   serve::Exchange& exchange) {
  const std::string id = exchange.cookie(kSessionCookie);
  if (id.empty()) return std::optional<Principal>();
  auto officer =
      SessionStore(db, context.clock).resume(id, std::chrono::minutes(context.options.session_idle_minutes));
  if (!officer) return officer.take_error();
  if (!*officer) return std::optional<Principal>();
  return principal_for(db, **officer, id);
}

Result<std::optional<Principal>> bearer_principal(const WebContext& context, Database& db,
                                                  serve::Exchange& exchange) {
  const std::string token = exchange.bearer_token();
  if (token.empty()) return std::optional<Principal>();
  auto officer = ApiTokenStore(db, context.clock).officer_for(token);
  if (!officer) return officer.take_error();
  if (!*officer || (*officer)->disabled) return std::optional<Principal>();
  return std::optional<Principal>(Principal{(*officer)->name, (*officer)->role, ""});
}

std::string csrf_token(const WebContext& context, const std::string& session_id) {
  return context.key.seal("web-csrf:" + session_id);
}

bool csrf_valid(const WebContext& context, serve::Exchange& exchange, const Principal& principal) {
  if (principal.session_id.empty()) return false;
  const std::string posted = exchange.form().get("csrf", "");
  return !posted.empty() && constant_time_equal(posted, csrf_token(context, principal.session_id));
}

std::string login_csrf_token(const WebContext& context, const std::string& login_nonce) {
  return context.key.seal("web-login-csrf:" + login_nonce);
}

std::string cookie_header(const std::string& name, const std::string& value, bool tls, bool expire) {
  std::string header = name + "=" + value + "; Path=/; HttpOnly; SameSite=Strict";
  if (tls) header += "; Secure";
  if (expire) header += "; Max-Age=0";
  return header;
}

}  // namespace dsr::web

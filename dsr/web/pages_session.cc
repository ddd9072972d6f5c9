// GET /, GET /login, POST /login, POST /logout.

#include "dsr/common/crypto.h"
#include "dsr/requests/password.h"
#include "dsr/web/credentials.h"
#include "dsr/web/page_guard.h"
#include "dsr/web/routes.h"
#include "web_templates.h"

namespace dsr::web {

namespace {

void show_login(const WebContext& context, serve::Exchange& exchange, int status, const std::string& error) {
  // A fresh nonce per form: the posted token must match the cookie set with it.
  const std::string nonce = new_secret();
  exchange.response.add("Set-Cookie", cookie_header(kLoginCookie, nonce, exchange.tls));
  Data data;
  data.set("csrf", login_csrf_token(context, nonce));
  send_page(context, exchange, status, web_templates::login, data, Frame{"Log in", std::nullopt, "", error});
}

std::string client_address(serve::Exchange& exchange) {
  return exchange.request.clientAddress().host().toString();
}

void post_login(const WebContext& context, serve::Exchange& exchange) {
  const auto& form = exchange.form();
  const std::string nonce = exchange.cookie(kLoginCookie);
  const std::string posted = form.get("csrf", "");
  if (nonce.empty() || posted.empty() || !constant_time_equal(posted, login_csrf_token(context, nonce))) {
    context.log.info("csrf_refused", serve::fields({{"route", std::string("/login")}}));
    send_message(context, exchange, 403, "Refused", "The login form's security token is missing or wrong.",
                 std::nullopt, "/login");
    return;
  }
  const std::string name = form.get("name", "");
  const std::string password = form.get("password", "");
  const std::string address = client_address(exchange);
  std::optional<Officer> officer;
  {
    auto db = context.pool.acquire();
    LoginThrottle throttle(*db, context.clock);
    auto blocked = throttle.blocked(name, address);
    if (!blocked) throw std::runtime_error(blocked.error());
    if (*blocked) {
      context.log.info("login_throttled");
      exchange.response.set("Retry-After", std::to_string(LoginThrottle::kWindow.count() * 60));
      show_login(context, exchange, 429, "Too many failed logins. Wait a quarter of an hour and try again.");
      return;
    }
    if (check_officer_name(name)) {
      Status read = db->read([&] {
        officer = OfficerStore(*db).find(name);
        return Status::Ok();
      });
      if (!read) throw std::runtime_error(read.error());
    }
  }
  // Argon2id takes a while and 64 MiB: no store connection is held meanwhile.
  const bool good = officer && !officer->disabled && verify_password(password, officer->password_hash);
  auto db = context.pool.acquire();
  LoginThrottle throttle(*db, context.clock);
  if (!good) {
    if (Status s = throttle.record_failure(name, address); !s) throw std::runtime_error(s.error());
    context.log.info("login_failed");
    show_login(context, exchange, 401, "Wrong name or password.");
    return;
  }
  if (Status s = throttle.clear_account(name); !s) throw std::runtime_error(s.error());
  auto session = SessionStore(*db, context.clock).create(officer->name);
  if (!session) throw std::runtime_error(session.error());
  context.log.info("login", serve::fields({{"officer", officer->name}}));
  exchange.response.add("Set-Cookie", cookie_header(kSessionCookie, *session, exchange.tls));
  exchange.response.add("Set-Cookie", cookie_header(kLoginCookie, "", exchange.tls, true));
  serve::redirect(exchange, "/queue");
}

}  // namespace

void add_session_routes(serve::Router& router, const WebContext& context) {
  router.add("GET", "/", [&context](serve::Exchange& exchange) { serve::redirect(exchange, "/queue"); });
  router.add("GET", "/login",
             [&context](serve::Exchange& exchange) { show_login(context, exchange, 200, ""); });
  router.add("POST", "/login", [&context](serve::Exchange& exchange) { post_login(context, exchange); });
  router.add("POST", "/logout", [&context](serve::Exchange& exchange) {
    as_officer_page(context, exchange, [&](Database& db, const Principal& principal) {
      if (Status s = SessionStore(db, context.clock).end(principal.session_id); !s) {
        throw std::runtime_error(s.error());
      }
      context.log.info("logout", serve::fields({{"officer", principal.officer}}));
      exchange.response.add("Set-Cookie", cookie_header(kSessionCookie, "", exchange.tls, true));
      serve::redirect(exchange, "/login");
    });
  });
}

}  // namespace dsr::web

// GET and POST /mail/verify: people confirm their address with the code we mailed them.

#include "dsr/mail/verification.h"
#include "dsr/requests/request_service.h"
#include "dsr/web/mail_verify_routes.h"
#include "dsr/web/render.h"
#include "web_templates.h"

namespace dsr::web {

namespace {

constexpr const char* kTitle = "Confirm your email address";

struct Answer {
  int status;
  std::string heading;
  std::string text;
  bool retry = false;
};

Answer answer_for(mail::ConfirmOutcome outcome) {
  switch (outcome) {
    case mail::ConfirmOutcome::confirmed:
      return {200, "Address confirmed",
              "Thank you. Your request is now with our privacy team, and we will write to you at this "
              "address when it is done."};
    case mail::ConfirmOutcome::wrong_code:
      return {400, "The code does not match",
              "Check the code in our mail and type it again. After a few wrong codes the request can no "
              "longer be confirmed this way.",
              true};
    case mail::ConfirmOutcome::expired:
      return {410, "The code has expired",
              "Codes are valid for a limited time. Write to us again from the same address and we will "
              "send you a new one."};
    case mail::ConfirmOutcome::attempts_exhausted:
      return {403, "Too many wrong codes",
              "This request can no longer be confirmed with a code, so that nobody can guess it. Write to "
              "us again from your address and we will start afresh."};
    case mail::ConfirmOutcome::not_awaited:
      break;
  }
  return {409, "Nothing to confirm",
          "This request does not wait for a code: it is confirmed already, or closed. If you think this "
          "is wrong, write to us."};
}

void send_answer(const WebContext& context, serve::Exchange& exchange, const Answer& answer,
                 const std::string& request_id) {
  Data data;
  data.set("heading", answer.heading);
  data.set("text", answer.text);
  data.set("request", request_id);
  data.set("retry", answer.retry);
  send_page(context, exchange, answer.status, web_templates::mail_verify_result, data,
            Frame{kTitle, std::nullopt, "", ""});
}

const Answer kBrokenLink{
    400, "This link is incomplete",
    "Open the link from our mail exactly as it is, or reply to the mail with the code in it."};

void show_form(const WebContext& context, serve::Exchange& exchange) {
  const auto& query = exchange.query();
  const std::string request_id = query.get("request", "");
  if (!check_request_id(request_id)) {
    send_answer(context, exchange, kBrokenLink, "");
    return;
  }
  Data data;
  data.set("request", request_id);
  data.set("code", query.get("code", ""));
  send_page(context, exchange, 200, web_templates::mail_verify, data, Frame{kTitle, std::nullopt, "", ""});
}

void confirm(const WebContext& context, const mail::MailConfig& settings, serve::Exchange& exchange) {
  const auto& form = exchange.form();
  const std::string request_id = form.get("request", "");
  const std::string code = form.get("code", "");
  if (!check_request_id(request_id)) {
    send_answer(context, exchange, kBrokenLink, "");
    return;
  }
  auto regulation = parse_regulation(context.config.regulation);
  if (!regulation) throw std::runtime_error(regulation.error());
  Result<mail::ConfirmOutcome> outcome = fail("not checked");
  {
    auto db = context.pool.acquire();
    const mail::MailContext mail_context{*db,      context.key,        context.clock,
                                         settings, context.identities, *regulation};
    outcome = mail::confirm_code(mail_context, request_id, code);
  }
  if (!outcome) throw std::runtime_error(outcome.error());
  context.log.info("mail_verification", serve::fields({{"request_id", request_id},
                                                       {"outcome", std::string(mail::to_string(*outcome))}}));
  send_answer(context, exchange, answer_for(*outcome), request_id);
}

}  // namespace

void add_mail_verify_routes(serve::Router& router, const WebContext& context, const mail::MailConfig& mail) {
  router.add("GET", "/mail/verify", [&context](serve::Exchange& exchange) { show_form(context, exchange); });
  router.add("POST", "/mail/verify",
             [&context, &mail](serve::Exchange& exchange) { confirm(context, mail, exchange); });
}

}  // namespace dsr::web

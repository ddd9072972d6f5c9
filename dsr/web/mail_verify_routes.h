#pragma once
// The link in a mail request's verification mail: GET /mail/verify?request=ID&code=CODE
// shows a form and changes nothing (mail scanners fetch links on their own); its POST
// returns the code through mail::confirm_code. The form needs no session and no CSRF
// token: the code is the secret, and each wrong code uses up one of its few attempts.

#include "dsr/mail/mail_config.h"
#include "dsr/serve/router.h"
#include "dsr/web/context.h"

namespace dsr::web {

// Both must outlive the router.
void add_mail_verify_routes(serve::Router& router, const WebContext& context, const mail::MailConfig& mail);

}  // namespace dsr::web

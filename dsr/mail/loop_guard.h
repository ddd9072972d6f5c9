#pragma once
// Mail that a machine sent is never answered, so dsr cannot join a mail loop:
// auto-replies (Auto-Submitted other than "no", X-Autoreply), bounces (an empty
// Return-Path, a MAILER-DAEMON or postmaster sender, a delivery report) and list
// mail (Precedence bulk/list/junk, List-Id).

#include <optional>
#include <string>

#include "dsr/mail/mime_parser.h"

namespace dsr::mail {

// Why the message must not be answered (e.g. "auto-submitted", "bounce"), or nothing.
std::optional<std::string> automated_reason(const ParsedMail& mail);

}  // namespace dsr::mail

#pragma once
// Sending dsr's own mails. A mail goes to exactly one address: the From address a
// request was recorded with at intake (never a Reply-To or Return-Path).

#include <memory>
#include <string>

#include "dsr/common/result.h"
#include "dsr/mail/mail_config.h"

namespace dsr::mail {

struct OutgoingMail {
  std::string to;
  std::string subject;     // UTF-8; encoded as RFC 2047 when needed
  std::string body;        // UTF-8 text
  std::string message_id;  // without angle brackets
  // RFC 3834: "auto-replied" for the answer to a person's mail, "auto-generated" otherwise,
  // so well-behaved responders do not answer dsr in turn.
  std::string auto_submitted = "auto-generated";
};

class MailSender {
 public:
  virtual ~MailSender() = default;
  // Errors name the server and the failed step, not the recipient.
  virtual Status send(const OutgoingMail& mail) = 0;
};

// Sends over SMTP (STARTTLS when configured, authentication when a user is set),
// one connection for the sender's lifetime, reopened after a failure.
std::unique_ptr<MailSender> make_smtp_sender(const MailConfig& config);

}  // namespace dsr::mail

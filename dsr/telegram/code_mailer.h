#pragma once
// Sends the one-time code of /link_email. An interface, so that the project's mail
// module can take over; SmtpCodeMailer is a plain SMTP client for the meantime.

#include <string>

#include "dsr/common/result.h"
#include "dsr/telegram/settings.h"

namespace dsr::telegram {

class CodeMailer {
 public:
  virtual ~CodeMailer() = default;
  // Sends one plain-text mail. Errors never contain the address.
  virtual Status send(const std::string& to, const std::string& subject, const std::string& body) = 0;
};

// Over Poco's SMTPClientSession, without authentication or TLS: meant for a relay on
// the same host or network.
class SmtpCodeMailer : public CodeMailer {
 public:
  explicit SmtpCodeMailer(MailSettings settings) : settings_(std::move(settings)) {}
  Status send(const std::string& to, const std::string& subject, const std::string& body) override;

 private:
  MailSettings settings_;
};

}  // namespace dsr::telegram

#pragma once
// A mailbox that intake drains. Deletions take effect when finish() succeeds (POP3
// commits them at QUIT); a mailbox that goes away before that keeps every message,
// and intake recognises the ones it already stored by their Message-ID.

#include <memory>
#include <string>
#include <vector>

#include "dsr/common/result.h"
#include "dsr/mail/mail_config.h"

namespace dsr::mail {

struct MailboxEntry {
  int number = 0;  // valid for this session only
  long long size = 0;
};

class Mailbox {
 public:
  virtual ~Mailbox() = default;
  virtual Result<std::vector<MailboxEntry>> list() = 0;
  virtual Result<std::string> retrieve(int number) = 0;
  // The Message-ID header only (for messages too large to read), without angle brackets.
  virtual Result<std::string> message_id(int number) = 0;
  virtual Status remove(int number) = 0;
  virtual Status finish() = 0;
};

// Connects and logs in (implicit TLS when settings.tls, the certificate checked).
// Errors name the server and what failed, never the password.
Result<std::unique_ptr<Mailbox>> open_pop3(const Pop3Settings& settings, const std::string& ca_file);

}  // namespace dsr::mail

#pragma once
// The `mail` section of dsr.json (see schemas/config.schema.json for every key).
// Absent section: mail is not configured and `configured` is false.

#include <string>
#include <utility>
#include <vector>

#include "dsr/common/result.h"
#include "dsr/config/config.h"
#include "dsr/model/request.h"

namespace dsr::mail {

struct Pop3Settings {
  std::string host;
  int port = 110;  // 995 is usual with tls
  std::string user;
  std::string password;
  bool tls = false;  // implicit TLS (POP3S) from the first byte
  int timeout_seconds = 30;
};

struct SmtpSettings {
  std::string host;
  int port = 25;
  std::string user;  // empty: no authentication
  std::string password;
  bool starttls = false;
  int timeout_seconds = 30;
};

// One keyword that marks a request type in one language, lower-case.
struct Keyword {
  RequestType type = RequestType::access;
  std::string language;
  std::string text;
};

struct MailConfig {
  bool configured = false;
  Pop3Settings pop3;
  SmtpSettings smtp;
  std::string from_address;  // what dsr's mails come from
  std::string from_name = "Data protection";
  std::string link_base;  // base URL of `dsr serve`, e.g. "https://privacy.example.com"
  int code_expiry_minutes = 1440;
  int max_attempts = 5;
  long long max_message_bytes = 26214400;  // larger mails are refused unread
  std::vector<Keyword> keywords;           // English and German defaults unless configured
  std::string templates_dir;               // absolute; empty: the built-in templates
  // When ca_file is empty, the system's trust store checks the servers' certificates.
  std::string ca_file;
  ControllerInfo controller;  // named in mails; the supervisory authority for complaints
};

// Reads config.document's "mail" section (already checked against the schema).
Result<MailConfig> read_mail_config(const Config& config);

// The built-in keywords (English and German).
std::vector<Keyword> default_keywords();

}  // namespace dsr::mail

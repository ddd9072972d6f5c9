#pragma once
// The `telegram` section of dsr.json (schemas/config.schema.json describes each key).

#include <cstdint>
#include <string>

#include "dsr/config/config.h"

namespace dsr::telegram {

struct MailSettings {
  std::string host;  // empty: /link_email is not offered
  int port = 25;
  std::string sender;
};

struct BotSettings {
  std::string token;
  std::string base_url = "https://api.telegram.org";
  std::string mode = "polling";  // polling | webhook
  std::string webhook_url;       // the public URL Telegram posts updates to (webhook mode)
  std::string webhook_secret;    // echoed by Telegram in X-Telegram-Bot-Api-Secret-Token
  std::string catalog_path;      // absolute; empty: the built-in catalog
  double messages_per_second_per_chat = 1.0;
  int poll_timeout_seconds = 30;
  int code_ttl_minutes = 15;
  int code_max_attempts = 5;
  std::uint64_t max_upload_bytes = 50ull * 1000 * 1000;  // larger exports go as a link
  MailSettings mail;
};

// Reads config.document's `telegram` section (already checked against the schema).
// Fails, naming the key, when the section is missing or the token is empty, or in
// webhook mode without a URL and secret.
Result<BotSettings> read_bot_settings(const Config& config);

}  // namespace dsr::telegram

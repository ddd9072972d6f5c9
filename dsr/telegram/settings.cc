#include "dsr/telegram/settings.h"

#include <Poco/Path.h>

namespace dsr::telegram {

namespace {

std::string text_or(const Poco::JSON::Object::Ptr& object, const std::string& key,
                    const std::string& fallback) {
  return object && object->has(key) ? object->getValue<std::string>(key) : fallback;
}

}  // namespace

Result<BotSettings> read_bot_settings(const Config& config) {
  const std::string place = config.path + ": /telegram";
  auto section = config.document ? config.document->getObject("telegram") : nullptr;
  if (!section) return fail(place + ": missing (the bot needs at least a token)");
  BotSettings s;
  s.token = text_or(section, "token", "");
  if (s.token.empty()) return fail(place + "/token: missing");
  s.base_url = text_or(section, "base_url", s.base_url);
  s.mode = text_or(section, "mode", s.mode);
  s.webhook_url = text_or(section, "webhook_url", "");
  s.webhook_secret = text_or(section, "webhook_secret", "");
  if (s.mode == "webhook" && (s.webhook_url.empty() || s.webhook_secret.empty())) {
    return fail(place + ": webhook mode needs webhook_url and webhook_secret");
  }
  if (section->has("catalog")) {
    Poco::Path path(config.directory + "/");
    path.resolve(Poco::Path(section->getValue<std::string>("catalog")));
    s.catalog_path = path.toString();
  }
  if (section->has("messages_per_second_per_chat")) {
    s.messages_per_second_per_chat = section->getValue<double>("messages_per_second_per_chat");
  }
  if (section->has("poll_timeout_seconds"))
    s.poll_timeout_seconds = section->getValue<int>("poll_timeout_seconds");
  if (section->has("code_ttl_minutes")) s.code_ttl_minutes = section->getValue<int>("code_ttl_minutes");
  if (section->has("code_max_attempts")) s.code_max_attempts = section->getValue<int>("code_max_attempts");
  if (section->has("max_upload_mb")) {
    s.max_upload_bytes = static_cast<std::uint64_t>(section->getValue<int>("max_upload_mb")) * 1000 * 1000;
  }
  if (auto mail = section->getObject("mail")) {
    s.mail.host = text_or(mail, "host", "");
    if (mail->has("port")) s.mail.port = mail->getValue<int>("port");
    s.mail.sender = text_or(mail, "sender", "");
    if (!s.mail.host.empty() && s.mail.sender.empty()) return fail(place + "/mail/sender: missing");
  }
  return s;
}

}  // namespace dsr::telegram

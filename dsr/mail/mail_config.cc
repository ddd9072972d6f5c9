#include "dsr/mail/mail_config.h"

#include <Poco/JSON/Array.h>
#include <Poco/Path.h>
#include <Poco/UTF8String.h>

namespace dsr::mail {

namespace {

using Poco::JSON::Object;

std::string text_or(const Object::Ptr& object, const std::string& key, const std::string& fallback) {
  return object && object->has(key) ? object->getValue<std::string>(key) : fallback;
}

int int_or(const Object::Ptr& object, const std::string& key, int fallback) {
  return object && object->has(key) ? object->getValue<int>(key) : fallback;
}

bool bool_or(const Object::Ptr& object, const std::string& key, bool fallback) {
  return object && object->has(key) ? object->getValue<bool>(key) : fallback;
}

std::string resolve(const Config& config, const std::string& path) {
  if (path.empty()) return path;
  Poco::Path resolved(path, Poco::Path::PATH_UNIX);
  if (resolved.isRelative()) resolved.makeAbsolute(Poco::Path(config.directory + "/", Poco::Path::PATH_UNIX));
  return resolved.toString(Poco::Path::PATH_UNIX);
}

void add(std::vector<Keyword>& out, RequestType type, const std::string& language,
         std::initializer_list<const char*> words) {
  for (const char* word : words) out.push_back({type, language, word});
}

}  // namespace

std::vector<Keyword> default_keywords() {
  std::vector<Keyword> out;
  add(out, RequestType::access, "en",
      {"access request", "subject access", "copy of my data", "copy of my personal data", "what data",
       "which data", "article 15", "art. 15", "access to my data", "data access"});
  add(out, RequestType::portability, "en",
      {"portability", "port my data", "machine-readable", "machine readable", "article 20", "art. 20",
       "transfer my data"});
  add(out, RequestType::erasure, "en",
      {"erase", "erasure", "delete", "deletion", "remove my data", "right to be forgotten", "article 17",
       "art. 17"});
  add(out, RequestType::objection, "en",
      {"objection", "i object", "unsubscribe", "stop marketing", "opt out", "opt-out", "article 21",
       "art. 21", "no more marketing"});
  add(out, RequestType::access, "de",
      {"auskunft", "kopie meiner daten", "welche daten", "artikel 15", "art. 15 dsgvo"});
  add(out, RequestType::portability, "de",
      {"datenübertragbarkeit", "übertragung meiner daten", "maschinenlesbar", "artikel 20", "art. 20 dsgvo"});
  add(out, RequestType::erasure, "de",
      {"löschung", "löschen", "lösche", "vergessenwerden", "vergessen zu werden", "artikel 17",
       "art. 17 dsgvo"});
  add(out, RequestType::objection, "de",
      {"widerspruch", "widerspreche", "abmelden", "keine werbung", "werbung abbestellen", "artikel 21",
       "art. 21 dsgvo"});
  return out;
}

Result<MailConfig> read_mail_config(const Config& config) {
  MailConfig out;
  out.controller = config.controller;
  const Object::Ptr mail = config.document ? config.document->getObject("mail") : nullptr;
  if (!mail) return out;
  out.configured = true;
  try {
    if (const Object::Ptr pop3 = mail->getObject("pop3")) {
      out.pop3.host = text_or(pop3, "host", "");
      out.pop3.tls = bool_or(pop3, "tls", false);
      out.pop3.port = int_or(pop3, "port", out.pop3.tls ? 995 : 110);
      out.pop3.user = text_or(pop3, "user", "");
      out.pop3.password = text_or(pop3, "password", "");
      out.pop3.timeout_seconds = int_or(pop3, "timeout_seconds", out.pop3.timeout_seconds);
    }
    if (const Object::Ptr smtp = mail->getObject("smtp")) {
      out.smtp.host = text_or(smtp, "host", "");
      out.smtp.port = int_or(smtp, "port", out.smtp.port);
      out.smtp.user = text_or(smtp, "user", "");
      out.smtp.password = text_or(smtp, "password", "");
      out.smtp.starttls = bool_or(smtp, "starttls", false);
      out.smtp.timeout_seconds = int_or(smtp, "timeout_seconds", out.smtp.timeout_seconds);
    }
    out.from_address = text_or(mail, "from", "");
    out.from_name = text_or(mail, "from_name", out.from_name);
    out.link_base = text_or(mail, "link_base", "");
    // One public address of `dsr serve` is enough: download links already name it.
    if (out.link_base.empty() && config.document) {
      out.link_base = text_or(config.document->getObject("downloads"), "base_url", "");
    }
    while (!out.link_base.empty() && out.link_base.back() == '/') out.link_base.pop_back();
    out.code_expiry_minutes = int_or(mail, "code_expiry_minutes", out.code_expiry_minutes);
    out.max_attempts = int_or(mail, "max_attempts", out.max_attempts);
    if (mail->has("max_message_bytes"))
      out.max_message_bytes = mail->getValue<long long>("max_message_bytes");
    out.templates_dir = resolve(config, text_or(mail, "templates_dir", ""));
    out.ca_file = resolve(config, text_or(mail, "ca_file", ""));
    if (const Object::Ptr keywords = mail->getObject("keywords")) {
      // Configured languages replace the built-in ones wholesale; a language left out keeps its defaults.
      std::vector<Keyword> merged;
      for (const auto& keyword : default_keywords()) {
        if (!keywords->has(keyword.language)) merged.push_back(keyword);
      }
      for (const auto& language : keywords->getNames()) {
        const Object::Ptr per_type = keywords->getObject(language);
        for (const auto& type_name : per_type->getNames()) {
          auto type = parse_request_type(type_name);
          if (!type || *type == RequestType::unknown) {
            return fail(config.path + ": /mail/keywords/" + language + "/" + type_name +
                        ": not a request type (access, portability, erasure, objection)");
          }
          const auto words = per_type->getArray(type_name);
          for (std::size_t i = 0; i < words->size(); ++i) {
            merged.push_back({*type, language, Poco::UTF8::toLower(words->getElement<std::string>(i))});
          }
        }
      }
      out.keywords = std::move(merged);
    } else {
      out.keywords = default_keywords();
    }
  } catch (const Poco::Exception& e) {
    return fail(config.path + ": /mail: " + e.displayText());
  }
  if (out.from_address.empty()) return fail(config.path + ": /mail/from: required when mail is configured");
  return out;
}

}  // namespace dsr::mail

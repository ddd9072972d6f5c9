#include "dsr/telegram/catalog.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "dsr/common/text.h"

namespace dsr::telegram {

extern const char* const kBuiltinCatalog;  // catalog_text.cc, generated from catalog.json

namespace {

// Every key the bot looks up; English must have them all.
// clang-format off
constexpr const char* kRequiredKeys[] = {
    "start", "help", "commands", "group_private", "forwarded_ignored", "foreign_identity_ignored",
    "confirm_access", "confirm_portability", "confirm_erasure", "confirm_objection", "covers_telegram",
    "covers_emails", "button_confirm", "button_cancel", "callback_expired", "callback_received",
    "callback_cancelled", "callback_private", "dialogue_cancelled", "filed", "already_open", "filing_failed",
    "nothing_to_cancel", "choose_withdraw", "button_withdraw", "withdraw_failed", "status_none", "status_head",
    "status_line", "unknown", "link_usage", "link_invalid", "link_sent", "link_unavailable", "link_mail_failed",
    "code_wrong", "code_expired", "code_locked", "code_linked", "mail_subject", "mail_body", "type_access",
    "type_portability", "type_erasure", "type_objection", "status_received", "status_awaiting_verification",
    "status_pending_approval", "status_approved", "status_running", "status_completed", "status_failed",
    "status_rejected", "status_cancelled", "notify_approved", "notify_cancelled", "notify_failed",
    "notify_rejected", "notify_extended", "export_caption", "export_link", "export_unavailable", "erasure_done",
    "erasure_basis", "verification_passed", "verification_failed", "objection_done"};
// clang-format on

std::string primary_subtag(const std::string& tag) {
  const auto end = tag.find_first_of("-_");
  return to_lower_ascii(tag.substr(0, end));
}

}  // namespace

const Catalog& Catalog::builtin() {
  static const Catalog catalog = [] {
    auto parsed = parse(kBuiltinCatalog, "built-in catalog");
    // The built-in catalog is checked by the tests; a broken one is a build defect.
    if (!parsed) throw std::logic_error(parsed.error());
    return std::move(*parsed);
  }();
  return catalog;
}

Result<Catalog> Catalog::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(path + ": cannot read");
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path);
}

Result<Catalog> Catalog::parse(const std::string& json_text, const std::string& origin) {
  Poco::JSON::Object::Ptr root;
  try {
    Poco::JSON::Parser parser;
    root = parser.parse(json_text).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
    return fail(origin + ": not a JSON object");
  }
  if (!root) return fail(origin + ": not a JSON object");
  Catalog catalog;
  for (const auto& [language, value] : *root) {
    auto texts = root->getObject(language);
    if (!texts) return fail(origin + ": /" + language + ": expected an object of texts");
    if (language.empty() || language.size() > 8 || to_lower_ascii(language) != language) {
      return fail(origin + ": /" + language + ": expected a lower-case language code");
    }
    for (const auto& [key, text] : *texts) {
      if (!text.isString()) return fail(origin + ": /" + language + "/" + key + ": expected a string");
      std::string s = text.convert<std::string>();
      if (s.empty() || !is_valid_utf8(s)) {
        return fail(origin + ": /" + language + "/" + key + ": expected non-empty UTF-8 text");
      }
      catalog.texts_[language][key] = std::move(s);
    }
  }
  const auto english = catalog.texts_.find("en");
  if (english == catalog.texts_.end())
    return fail(origin + ": /en: missing (English comes first and is complete)");
  for (const char* key : kRequiredKeys) {
    if (!english->second.count(key)) return fail(origin + ": /en/" + key + ": missing");
  }
  for (const auto& [language, texts] : catalog.texts_) {
    for (const auto& [key, text] : texts) {
      if (!english->second.count(key))
        return fail(origin + ": /" + language + "/" + key + ": not a key in /en");
    }
  }
  return catalog;
}

std::string Catalog::language_for(const std::string& language_code) const {
  const std::string language = primary_subtag(language_code);
  return texts_.count(language) ? language : "en";
}

std::string Catalog::text(const std::string& language, const std::string& key,
                          const TextParams& params) const {
  const std::string* found = nullptr;
  if (auto lang = texts_.find(language); lang != texts_.end()) {
    if (auto it = lang->second.find(key); it != lang->second.end()) found = &it->second;
  }
  if (!found) {
    const auto& english = texts_.at("en");
    auto it = english.find(key);
    if (it == english.end()) return key;
    found = &it->second;
  }
  // One pass, so a value that itself contains "{name}" is never expanded again.
  std::string out;
  const std::string& text = *found;
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == '{') {
      const auto close = text.find('}', i);
      if (close != std::string::npos) {
        auto param = params.find(text.substr(i + 1, close - i - 1));
        if (param != params.end()) {
          out += param->second;
          i = close + 1;
          continue;
        }
      }
    }
    out += text[i++];
  }
  return out;
}

}  // namespace dsr::telegram

#pragma once
// The bot's texts: a JSON file of languages, each a map from message key to text with
// {placeholders}, English first and complete; other languages may leave keys out,
// which then fall back to English. The built-in catalog is dsr/telegram/catalog.json.

#include <map>
#include <string>

#include "dsr/common/result.h"

namespace dsr::telegram {

using TextParams = std::map<std::string, std::string>;

class Catalog {
 public:
  // The catalog built into dsr.
  static const Catalog& builtin();
  // Reads and checks a catalog: "en" present with every key the bot uses, every other
  // language a subset of it. Errors name the file and the JSON pointer.
  static Result<Catalog> load(const std::string& path);
  static Result<Catalog> parse(const std::string& json_text, const std::string& origin);

  // The language of the catalog that suits an IETF tag ("de-AT" -> "de"), else "en".
  std::string language_for(const std::string& language_code) const;

  // The text in `language` (falling back to English) with {name} replaced by params.
  std::string text(const std::string& language, const std::string& key, const TextParams& params = {}) const;

 private:
  std::map<std::string, std::map<std::string, std::string>> texts_;
};

}  // namespace dsr::telegram

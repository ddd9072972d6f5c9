#include "dsr/model/identity.h"

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <Poco/Exception.h>
#include <Poco/RegularExpression.h>

#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <set>
#include <system_error>
#include <utility>

#include "dsr/common/text.h"
#include "dsr/model/phone_regions.h"

namespace dsr {

namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

constexpr std::array<std::string_view, 4> kBuiltInKinds{"email", "phone", "telegram_id", "username"};

constexpr std::size_t kMaxEmailBytes = 254;       // RFC 5321 path limit less the angle brackets
constexpr std::size_t kMaxLocalPartBytes = 64;    // RFC 5321 4.5.3.1.1
constexpr std::size_t kMaxDomainLabelBytes = 63;  // RFC 1035
constexpr std::size_t kMaxUsernameBytes = 64;
constexpr std::size_t kMaxCustomKindNameBytes = 32;

bool is_built_in(std::string_view kind) {
  for (auto name : kBuiltInKinds) {
    if (name == kind) return true;
  }
  return false;
}

bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ascii_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_ascii_alpha(char c) { return is_ascii_lower(c) || (c >= 'A' && c <= 'Z'); }

bool is_valid_custom_kind_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxCustomKindNameBytes || !is_ascii_lower(name.front())) return false;
  for (char c : name) {
    if (!is_ascii_lower(c) && !is_ascii_digit(c) && c != '_') return false;
  }
  return true;
}

Error kind_error(std::string_view kind, std::string_view what) {
  return fail("identity " + std::string(kind) + ": " + std::string(what));
}

// Decodes the code point at bytes[i]; the caller has already checked the UTF-8.
char32_t decode_at(std::string_view bytes, std::size_t i, std::size_t& length) {
  const auto c = static_cast<unsigned char>(bytes[i]);
  if (c < 0x80) {
    length = 1;
    return c;
  }
  length = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
  char32_t code = c & (0x7F >> length);
  for (std::size_t k = 1; k < length && i + k < bytes.size(); ++k) {
    code = (code << 6) | (static_cast<unsigned char>(bytes[i + k]) & 0x3F);
  }
  return code;
}

// C1 controls are control characters too, and invisible formatting characters
// (bidi overrides, zero-width joiners, BOM, line separators) make two different
// identities look the same to an officer.
bool is_control_or_invisible(char32_t cp) {
  return (cp >= 0x80 && cp <= 0x9F) || cp == 0xAD || cp == 0x061C || cp == 0x180E ||
         (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) ||
         cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB);
}

bool is_unicode_space(char32_t cp) {
  return cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F ||
         cp == 0x3000;
}

template <typename Predicate>
bool any_code_point(std::string_view bytes, Predicate predicate) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    std::size_t length = 1;
    if (predicate(decode_at(bytes, i, length))) return true;
    i += length;
  }
  return false;
}

// RFC 5322 atext plus the dot; anything at or above 0x80 is UTF-8 (RFC 6531).
// The apostrophe stays allowed: O'Brien has a right to make a request too.
bool is_local_part_byte(unsigned char c) {
  if (c >= 0x80) return true;
  if (is_ascii_alpha(static_cast<char>(c)) || is_ascii_digit(static_cast<char>(c))) return true;
  static constexpr std::string_view kSpecials = "!#$%&'*+-/=?^_`{|}~.";
  return kSpecials.find(static_cast<char>(c)) != std::string_view::npos;
}

bool is_domain_byte(unsigned char c) {
  return c >= 0x80 || is_ascii_lower(static_cast<char>(c)) || is_ascii_digit(static_cast<char>(c)) || c == '-' ||
         c == '.';
}

Result<std::string> normalise_email(std::string value) {
  constexpr std::string_view kind = "email";
  value = to_lower_ascii(value);
  if (value.size() > kMaxEmailBytes) return kind_error(kind, "longer than 254 bytes");
  if (any_code_point(value, [](char32_t cp) { return cp == ' ' || cp == '\t' || is_unicode_space(cp); })) {
    return kind_error(kind, "contains whitespace");
  }
  const auto at = value.find('@');
  if (at == std::string::npos) return kind_error(kind, "missing '@'");
  if (value.find('@', at + 1) != std::string::npos) return kind_error(kind, "more than one '@'");

  const std::string_view local = std::string_view(value).substr(0, at);
  const std::string_view domain = std::string_view(value).substr(at + 1);
  if (local.empty()) return kind_error(kind, "empty local part (before '@')");
  if (local.size() > kMaxLocalPartBytes) return kind_error(kind, "local part (before '@') longer than 64 bytes");
  for (unsigned char c : local) {
    if (!is_local_part_byte(c)) {
      return kind_error(kind, "local part (before '@') contains a character that is not allowed"
                              " (quotes, '<', '>', ',', ';', '\\', ':', parentheses and brackets are not)");
    }
  }

  if (domain.empty()) return kind_error(kind, "empty domain (after '@')");
  if (domain.find('.') == std::string_view::npos) return kind_error(kind, "domain (after '@') has no dot");
  for (unsigned char c : domain) {
    if (!is_domain_byte(c)) {
      return kind_error(kind, "domain (after '@') may contain only letters, digits, '-' and '.'");
    }
  }
  std::string_view last_label;
  std::size_t begin = 0;
  while (begin <= domain.size()) {
    const auto dot = domain.find('.', begin);
    const auto end = dot == std::string_view::npos ? domain.size() : dot;
    const std::string_view label = domain.substr(begin, end - begin);
    if (label.empty()) return kind_error(kind, "domain (after '@') has an empty label (two dots, or a dot at an end)");
    if (label.size() > kMaxDomainLabelBytes) return kind_error(kind, "domain label longer than 63 bytes");
    if (label.front() == '-' || label.back() == '-') return kind_error(kind, "domain label starts or ends with '-'");
    last_label = label;
    begin = end + 1;
  }
  bool numeric_tld = true;
  for (char c : last_label) numeric_tld = numeric_tld && is_ascii_digit(c);
  // An all-digit last label means an IP address, which names a machine, not a mailbox provider.
  if (numeric_tld) return kind_error(kind, "domain (after '@') ends in an all-digit label");
  return value;
}

Result<std::string> normalise_phone(const std::string& value, const std::string& region) {
  constexpr std::string_view kind = "phone";
  // libphonenumber would read letters as a vanity number ("1-800-FLOWERS") and
  // '#', ';' or "ext." as an extension that E.164 then silently drops.
  for (char c : value) {
    if (is_ascii_alpha(c)) return kind_error(kind, "contains letters");
  }
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    const bool allowed = is_ascii_digit(c) || c == ' ' || c == '-' || c == '(' || c == ')' || c == '.' ||
                         c == '/' || (c == '+' && i == 0);
    if (!allowed) {
      return kind_error(kind, "may contain only digits, a leading '+', spaces, '-', '.', '/' and parentheses");
    }
  }
  bool has_digit = false;
  for (char c : value) has_digit = has_digit || is_ascii_digit(c);
  if (!has_digit) return kind_error(kind, "contains no digits");

  const auto* util = PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  switch (util->Parse(value, region, &number)) {
    case PhoneNumberUtil::NO_PARSING_ERROR:
      break;
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
      if (value.front() == '+') return kind_error(kind, "unknown country calling code");
      return kind_error(kind, "unknown country calling code, or a national number and no usable default region");
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
    case PhoneNumberUtil::TOO_SHORT_NSN:
      return kind_error(kind, "too short to be a phone number");
    case PhoneNumberUtil::TOO_LONG_NSN:
      return kind_error(kind, "too long to be a phone number");
    case PhoneNumberUtil::NOT_A_NUMBER:
    default:
      return kind_error(kind, "not a phone number");
  }
  if (number.has_extension()) return kind_error(kind, "extensions are not supported");
  if (!util->IsValidNumber(number)) return kind_error(kind, "not a valid number in its country's numbering plan");
  std::string e164;
  util->Format(number, PhoneNumberUtil::E164, &e164);
  return e164;
}

Result<std::string> normalise_telegram_id(const std::string& value) {
  const auto error = kind_error("telegram_id", "expected a positive integer that fits in 64 bits");
  // from_chars would accept a leading '-', so the digits are checked first.
  for (char c : value) {
    if (!is_ascii_digit(c)) return error;
  }
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), id);
  if (ec != std::errc() || end != value.data() + value.size() || id <= 0) return error;
  return std::to_string(id);
}

Result<std::string> normalise_username(std::string_view value) {
  constexpr std::string_view kind = "username";
  if (!value.empty() && value.front() == '@') value.remove_prefix(1);
  std::string handle = to_lower_ascii(value);
  if (handle.empty()) return kind_error(kind, "empty");
  if (handle.size() > kMaxUsernameBytes) return kind_error(kind, "longer than 64 characters");
  for (char c : handle) {
    if (!is_ascii_lower(c) && !is_ascii_digit(c) && c != '_' && c != '.' && c != '-') {
      return kind_error(kind, "may contain only letters a-z, digits, '_', '.' and '-'");
    }
  }
  return handle;
}

}  // namespace

struct IdentityNormaliser::Impl {
  struct Custom {
    std::string name;
    bool lowercase = false;
    std::unique_ptr<Poco::RegularExpression> regex;  // null when the pattern does not compile
    std::string compile_error;
  };

  std::string region;
  std::vector<Custom> customs;  // usable kinds only: valid, not built-in, first definition of a name
  std::vector<std::string> policy_problems;

  const Custom* find_custom(std::string_view kind) const {
    for (const auto& custom : customs) {
      if (custom.name == kind) return &custom;
    }
    return nullptr;
  }
};

namespace {

// A pattern has to match the whole value, and Poco's own match(subject) stops at
// the first alternative that matches a prefix ("a|ab" against "ab"), so the
// pattern is wrapped to force backtracking to the end. The raw pattern is compiled
// on its own first: an unbalanced ')' could otherwise close the wrapper early.
std::unique_ptr<Poco::RegularExpression> compile_anchored(const std::string& pattern, std::string& error) {
  constexpr int kOptions = Poco::RegularExpression::RE_UTF8;
  try {
    Poco::RegularExpression raw(pattern, kOptions, false);
  } catch (const Poco::Exception& e) {
    error = e.message().empty() ? e.displayText() : e.message();
    return nullptr;
  }
  try {
    return std::make_unique<Poco::RegularExpression>("(?:" + pattern + ")\\z",
                                                     kOptions | Poco::RegularExpression::RE_ANCHORED);
  } catch (const Poco::Exception&) {
    // Only a pattern that runs on past its own end does this: an unterminated \Q
    // or an extended-mode comment swallowing the wrapper.
    error = "it cannot be anchored to the whole value (an unterminated \\Q or a trailing (?x) comment?)";
    return nullptr;
  }
}

}  // namespace

IdentityNormaliser::IdentityNormaliser(IdentityPolicy policy)
    : policy_(std::move(policy)), impl_(std::make_unique<Impl>()) {
  impl_->region = policy_.phone_default_region;

  if (!is_supported_phone_region(policy_.phone_default_region)) {
    impl_->policy_problems.push_back("phone default region " + quote_for_message(policy_.phone_default_region) +
                                     " is not a region libphonenumber knows (expected an upper-case"
                                     " ISO 3166-1 alpha-2 code such as DE)");
  }

  std::set<std::string> seen;
  for (const auto& kind : policy_.custom_kinds) {
    const std::string label = "custom identity kind " + quote_for_message(kind.name);
    if (!is_valid_custom_kind_name(kind.name)) {
      impl_->policy_problems.push_back(label + ": the name must match [a-z][a-z0-9_]{0,31}");
      continue;
    }
    if (is_built_in(kind.name)) {
      impl_->policy_problems.push_back(label + ": the name is taken by a built-in kind");
      continue;
    }
    if (!seen.insert(kind.name).second) {
      impl_->policy_problems.push_back(label + ": defined more than once");
      continue;
    }
    Impl::Custom custom{kind.name, kind.lowercase, nullptr, {}};
    custom.regex = compile_anchored(kind.pattern, custom.compile_error);
    if (!custom.regex) {
      impl_->policy_problems.push_back(label + ": the pattern does not compile: " + custom.compile_error);
    }
    impl_->customs.push_back(std::move(custom));
  }
}

IdentityNormaliser::~IdentityNormaliser() = default;
IdentityNormaliser::IdentityNormaliser(IdentityNormaliser&&) noexcept = default;
IdentityNormaliser& IdentityNormaliser::operator=(IdentityNormaliser&&) noexcept = default;

Status IdentityNormaliser::validate_policy() const {
  if (impl_->policy_problems.empty()) return Status::Ok();
  std::string message = "identity policy: ";
  for (std::size_t i = 0; i < impl_->policy_problems.size(); ++i) {
    if (i > 0) message += "; ";
    message += impl_->policy_problems[i];
  }
  return fail(std::move(message));
}

bool IdentityNormaliser::knows_kind(std::string_view kind) const {
  return is_built_in(kind) || impl_->find_custom(kind) != nullptr;
}

std::vector<std::string> IdentityNormaliser::kinds() const {
  std::vector<std::string> names(kBuiltInKinds.begin(), kBuiltInKinds.end());
  for (const auto& custom : impl_->customs) names.push_back(custom.name);
  return names;
}

Result<Identity> IdentityNormaliser::normalise(std::string_view kind, std::string_view raw_value) const {
  const Impl::Custom* custom = impl_->find_custom(kind);
  if (!is_built_in(kind) && custom == nullptr) {
    std::string known;
    for (const auto& name : kinds()) {
      known += known.empty() ? "" : ", ";
      known += name;
    }
    return fail("unknown identity kind " + quote_for_message(kind) + " (known: " + known + ")");
  }

  // The size check comes first so that nothing below ever walks a huge input.
  if (raw_value.size() > kMaxIdentityBytes) return kind_error(kind, "longer than 1024 bytes");
  if (!is_valid_utf8(raw_value)) return kind_error(kind, "not valid UTF-8");
  std::string value = trim(raw_value);
  if (value.empty()) return kind_error(kind, "empty");
  if (has_control_chars(value) || any_code_point(value, is_control_or_invisible)) {
    return kind_error(kind, "contains control or invisible formatting characters");
  }

  Result<std::string> normal = Error{};
  if (kind == "email") {
    normal = normalise_email(std::move(value));
  } else if (kind == "phone") {
    normal = normalise_phone(value, impl_->region);
  } else if (kind == "telegram_id") {
    normal = normalise_telegram_id(value);
  } else if (kind == "username") {
    normal = normalise_username(value);
  } else {
    if (!custom->regex) return kind_error(kind, "the pattern configured for this kind does not compile");
    if (custom->lowercase) value = to_lower_ascii(value);
    Poco::RegularExpression::Match match{std::string::npos, 0};
    try {
      custom->regex->match(value, 0, match);
    } catch (const Poco::Exception&) {
      // PCRE gives up on catastrophic backtracking; that is not a match either.
      return kind_error(kind, "could not be checked against the pattern configured for this kind");
    }
    if (match.offset != 0 || match.length != value.size()) {
      return kind_error(kind, "does not match the pattern configured for this kind");
    }
    normal = std::move(value);
  }
  if (!normal.ok()) return normal.take_error();
  return Identity{std::string(kind), std::move(normal).value()};
}

Result<Identity> IdentityNormaliser::parse_assignment(std::string_view text) const {
  const auto equals = text.find('=');
  const std::string kind = equals == std::string_view::npos ? std::string() : trim(text.substr(0, equals));
  if (kind.empty()) {
    // The text is most likely the value itself, so it is not echoed.
    return fail("identity: expected KIND=VALUE, for example email=jane@example.com");
  }
  return normalise(kind, text.substr(equals + 1));
}

}  // namespace dsr

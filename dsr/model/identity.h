#pragma once
// Typed, normalised identities. Every identity value that enters dsr passes
// through IdentityNormaliser first; only its output is stored, matched or hashed.
//
// Built-in kinds and their normal forms:
//   email        trimmed, lower-cased; syntax checked (one '@', a dotted domain, <= 254 bytes)
//   phone        E.164 ("+4915112345678"), national numbers read in the configured default region
//   telegram_id  a positive 64-bit decimal integer, no sign, no leading zeros
//   username     a handle: trimmed, a leading '@' dropped, lower-cased
// Custom kinds come from the config: a name, a pattern the trimmed value must match,
// and whether to lower-case it.
//
// Error messages name the identity kind and what is wrong, never the value itself
// (it is personal data, and it may be hostile).
//
// Every kind rejects values over kMaxIdentityBytes, invalid UTF-8, and control or
// invisible formatting characters (C0/C1 controls, bidi overrides, zero-width
// characters) once the ends are trimmed of spaces, tabs, CR and LF.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dsr/common/result.h"

namespace dsr {

inline constexpr std::size_t kMaxIdentityBytes = 1024;

struct CustomIdentityKind {
  std::string name;       // [a-z][a-z0-9_]{0,31}, not a built-in name
  std::string pattern;    // PCRE in UTF-8 mode, matched against the whole trimmed value,
                          // after lower-casing when `lowercase` is set
  bool lowercase = false;
};

struct IdentityPolicy {
  std::string phone_default_region = "DE";  // ISO 3166-1 alpha-2
  std::vector<CustomIdentityKind> custom_kinds;
};

struct Identity {
  std::string kind;
  std::string value;  // normalised
  bool operator==(const Identity&) const = default;
};

// Const member functions are safe to call from several threads at once. A
// moved-from normaliser may only be assigned to or destroyed.
class IdentityNormaliser {
 public:
  // Never throws on a bad policy: patterns are compiled here, and what is wrong
  // with the policy is kept for validate_policy(). A custom kind whose name is
  // invalid, built-in or repeated is not usable; one whose pattern does not
  // compile is known but rejects every value.
  explicit IdentityNormaliser(IdentityPolicy policy = {});
  ~IdentityNormaliser();
  IdentityNormaliser(IdentityNormaliser&&) noexcept;
  IdentityNormaliser& operator=(IdentityNormaliser&&) noexcept;

  // Checks the policy itself (custom kind names, patterns that compile, region known).
  // All problems are reported at once, separated by "; ".
  Status validate_policy() const;

  bool knows_kind(std::string_view kind) const;
  // Built-in kinds first, then the usable custom kinds in policy order.
  std::vector<std::string> kinds() const;

  // An unknown kind is an error that quotes the kind name in escaped, printable form.
  Result<Identity> normalise(std::string_view kind, std::string_view raw_value) const;

  // Parses "KIND=VALUE" as given on the command line: split at the first '=',
  // KIND trimmed. Without a '=' or with an empty KIND the error echoes nothing.
  Result<Identity> parse_assignment(std::string_view text) const;

 private:
  struct Impl;
  IdentityPolicy policy_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dsr

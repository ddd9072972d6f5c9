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

#include <string>
#include <memory>
#include <string_view>
#include <vector>

#include "dsr/common/result.h"

namespace dsr {

struct CustomIdentityKind {
  std::string name;       // [a-z][a-z0-9_]{0,31}, not a built-in name
  std::string pattern;    // PCRE, matched against the whole trimmed value
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

class IdentityNormaliser {
 public:
  explicit IdentityNormaliser(IdentityPolicy policy = {});
  ~IdentityNormaliser();
  IdentityNormaliser(IdentityNormaliser&&) noexcept;
  IdentityNormaliser& operator=(IdentityNormaliser&&) noexcept;

  // Checks the policy itself (custom kind names, patterns that compile, region known).
  Status validate_policy() const;

  bool knows_kind(std::string_view kind) const;
  std::vector<std::string> kinds() const;

  Result<Identity> normalise(std::string_view kind, std::string_view raw_value) const;

  // Parses "KIND=VALUE" as given on the command line.
  Result<Identity> parse_assignment(std::string_view text) const;

 private:
  struct Impl;
  IdentityPolicy policy_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dsr

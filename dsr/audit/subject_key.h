#pragma once
// The secret key behind subject pseudonyms and the audit head's seal.
// It lives in a file outside the database (mode 0600), so a copy of the database
// alone can neither link pseudonyms back to people nor re-seal a cut audit trail.

#include <string>

#include "dsr/common/result.h"
#include "dsr/model/identity.h"

namespace dsr {

class SubjectKey {
 public:
  // Creates a new random key file with mode 0600. Fails if the file exists.
  static Status create(const std::string& path);

  // Reads the key; refuses a file that others can read or write (mode must be 0600 or 0400).
  static Result<SubjectKey> load(const std::string& path);

  static SubjectKey from_secret(std::string secret) { return SubjectKey(std::move(secret)); }

  // HMAC-SHA256 of "kind:value" (value normalised), lower-case hex.
  std::string pseudonym(const Identity& identity) const;

  // HMAC-SHA256 of an arbitrary labelled message, for seals.
  std::string seal(const std::string& message) const;

 private:
  explicit SubjectKey(std::string secret) : secret_(std::move(secret)) {}
  std::string secret_;
};

}  // namespace dsr

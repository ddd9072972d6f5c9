#pragma once
// The secrets of the web interface: session ids, API tokens, and the record of failed
// logins. Session ids and tokens are 256-bit random values handed to the client once
// and stored only as their SHA-256, so reading the store does not let anyone in.
// Every function runs its own transaction or read on the given connection.

#include <chrono>
#include <optional>
#include <string>

#include "dsr/audit/subject_key.h"
#include "dsr/common/time.h"
#include "dsr/state/database.h"
#include "dsr/state/officer_store.h"

namespace dsr::web {

class SessionStore {
 public:
  SessionStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  // A new session for the officer; returns its id (64 hex characters).
  Result<std::string> create(const std::string& officer);
  // The session's officer when it exists and was used within `idle`; marks it used now.
  // An idle session is deleted.
  Result<std::optional<std::string>> resume(const std::string& session_id, std::chrono::minutes idle);
  Status end(const std::string& session_id);

 private:
  Database& db_;
  const Clock& clock_;
};

class ApiTokenStore {
 public:
  ApiTokenStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  // Returns the token ("dsr_" and 64 hex characters); it is shown once and never stored.
  // Audited (officer.token_created) in the same transaction.
  Result<std::string> create(const std::string& officer, const SubjectKey& key, const std::string& actor);
  // The token's officer, when the token is known and not revoked, read with the officer's
  // row in one query (this runs on every API call).
  Result<std::optional<Officer>> officer_for(const std::string& token);

 private:
  Database& db_;
  const Clock& clock_;
};

// Failed logins, counted per account name (as typed) and per client address over a
// sliding window; both are stored hashed.
class LoginThrottle {
 public:
  static constexpr int kMaxPerAccount = 5;
  static constexpr int kMaxPerAddress = 20;
  static constexpr std::chrono::minutes kWindow{15};

  LoginThrottle(Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  // True when either limit is reached: the attempt is refused before the password is checked.
  Result<bool> blocked(const std::string& account, const std::string& address);
  Status record_failure(const std::string& account, const std::string& address);
  // After a successful login the account's count starts again (the address's does not).
  Status clear_account(const std::string& account);

 private:
  Result<long long> recent(const std::string& scope, const std::string& key);
  Database& db_;
  const Clock& clock_;
};

// 32 random bytes as lower-case hex.
std::string new_secret();

}  // namespace dsr::web

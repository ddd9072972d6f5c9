#include "dsr/state/migration_steps.h"

namespace dsr {

// The officers' web interface and REST API. Secrets that grant access (session ids,
// API tokens) are kept only as SHA-256 hashes, so a copy of the store cannot be used
// to log in; client addresses in the login throttle are hashed too.
std::vector<std::string> migration_3(StoreEngine) {
  return {
      "CREATE TABLE IF NOT EXISTS web_sessions ("
      " id_hash CHAR(64) NOT NULL PRIMARY KEY,"
      " officer VARCHAR(64) NOT NULL,"
      " created_at VARCHAR(20) NOT NULL,"
      " last_seen_at VARCHAR(20) NOT NULL)"
      "{TABLE_OPTIONS}",
      "CREATE INDEX IF NOT EXISTS web_sessions_by_last_seen ON web_sessions (last_seen_at)",
      "CREATE TABLE IF NOT EXISTS api_tokens ("
      " token_hash CHAR(64) NOT NULL PRIMARY KEY,"
      " officer VARCHAR(64) NOT NULL,"
      " created_at VARCHAR(20) NOT NULL,"
      " revoked BIGINT NOT NULL DEFAULT 0)"
      "{TABLE_OPTIONS}",
      // One row per failed login; scope is "account" (key: the officer name as typed)
      // or "address" (key: SHA-256 of the client address).
      "CREATE TABLE IF NOT EXISTS login_failures ("
      " id {AUTOINCREMENT_KEY},"
      " scope VARCHAR(8) NOT NULL,"
      " scope_key VARCHAR(64) NOT NULL,"
      " at VARCHAR(20) NOT NULL)"
      "{TABLE_OPTIONS}",
      "CREATE INDEX IF NOT EXISTS login_failures_by_key ON login_failures (scope, scope_key, at)",
  };
}

}  // namespace dsr

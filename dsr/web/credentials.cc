#include "dsr/web/credentials.h"

#include "dsr/audit/audit_log.h"
#include "dsr/common/crypto.h"

namespace dsr::web {

namespace {

std::string scoped_key(const std::string& scope, const std::string& value) {
  return sha256_hex(scope + ":" + value);
}

}  // namespace

std::string new_secret() { return to_hex(random_bytes(32)); }

Result<std::string> SessionStore::create(const std::string& officer) {
  const std::string id = new_secret();
  const std::string hash = sha256_hex(id);
  const std::string now = format_utc(clock_.now());
  Status done = db_.in_transaction([&] {
    db_.session() << "INSERT INTO web_sessions (id_hash, officer, created_at, last_seen_at)"
                     " VALUES (:hash, :officer, :created, :seen)",
        soci::use(hash), soci::use(officer), soci::use(now), soci::use(now);
    return Status::Ok();
  });
  if (!done) return done.take_error();
  return id;
}

Result<std::optional<std::string>> SessionStore::resume(const std::string& session_id,
                                                        std::chrono::minutes idle) {
  if (session_id.size() != 64) return std::optional<std::string>();
  const std::string hash = sha256_hex(session_id);
  const TimePoint now = clock_.now();
  const std::string now_text = format_utc(now);
  const std::string oldest = format_utc(now - idle);
  std::optional<std::string> officer;
  Status done = db_.in_transaction([&] {
    std::string name, last_seen;
    soci::indicator name_ind = soci::i_null, seen_ind = soci::i_null;
    db_.session() << "SELECT officer, last_seen_at FROM web_sessions WHERE id_hash = :hash", soci::use(hash),
        soci::into(name, name_ind), soci::into(last_seen, seen_ind);
    if (!db_.session().got_data()) return Status::Ok();
    if (last_seen < oldest) {
      db_.session() << "DELETE FROM web_sessions WHERE id_hash = :hash", soci::use(hash);
      return Status::Ok();
    }
    db_.session() << "UPDATE web_sessions SET last_seen_at = :now WHERE id_hash = :hash", soci::use(now_text),
        soci::use(hash);
    officer = name;
    return Status::Ok();
  });
  if (!done) return done.take_error();
  return officer;
}

Status SessionStore::end(const std::string& session_id) {
  const std::string hash = sha256_hex(session_id);
  return db_.in_transaction([&] {
    db_.session() << "DELETE FROM web_sessions WHERE id_hash = :hash", soci::use(hash);
    return Status::Ok();
  });
}

Result<std::string> ApiTokenStore::create(const std::string& officer, const SubjectKey& key,
                                          const std::string& actor) {
  const std::string token = "dsr_" + new_secret();
  const std::string hash = sha256_hex(token);
  const std::string now = format_utc(clock_.now());
  Status done = db_.in_transaction([&] {
    db_.session() << "INSERT INTO api_tokens (token_hash, officer, created_at, revoked)"
                     " VALUES (:hash, :officer, :created, 0)",
        soci::use(hash), soci::use(officer), soci::use(now);
    Poco::JSON::Object::Ptr detail = new Poco::JSON::Object;
    detail->set("officer", officer);
    return AuditLog(db_, key, clock_).append({"officer.token_created", actor, "", "", detail});
  });
  if (!done) return done.take_error();
  return token;
}

Result<std::optional<Officer>> ApiTokenStore::officer_for(const std::string& token) {
  if (token.size() != 68 || token.rfind("dsr_", 0) != 0) return std::optional<Officer>();
  const std::string hash = sha256_hex(token);
  std::optional<Officer> officer;
  Status done = db_.read([&] {
    std::string name, role;
    long long disabled = 0;
    soci::indicator name_ind = soci::i_null;
    db_.session()
        << "SELECT o.name, o.role, o.disabled FROM api_tokens t JOIN officers o ON o.name = t.officer"
           " WHERE t.token_hash = :hash AND t.revoked = 0",
        soci::use(hash), soci::into(name, name_ind), soci::into(role), soci::into(disabled);
    if (!db_.session().got_data() || name_ind != soci::i_ok) return Status::Ok();
    auto parsed = parse_officer_role(role);
    if (!parsed) return Status(parsed.take_error());
    officer = Officer{name, *parsed, "", {}, disabled != 0};
    return Status::Ok();
  });
  if (!done) return done.take_error();
  return officer;
}

Result<long long> LoginThrottle::recent(const std::string& scope, const std::string& key) {
  const std::string since = format_utc(clock_.now() - kWindow);
  long long count = 0;
  Status done = db_.read([&] {
    db_.session()
        << "SELECT COUNT(*) FROM login_failures WHERE scope = :scope AND scope_key = :key AND at >= :since",
        soci::use(scope), soci::use(key), soci::use(since), soci::into(count);
    return Status::Ok();
  });
  if (!done) return done.take_error();
  return count;
}

Result<bool> LoginThrottle::blocked(const std::string& account, const std::string& address) {
  auto by_account = recent("account", scoped_key("account", account));
  if (!by_account) return by_account.take_error();
  auto by_address = recent("address", scoped_key("address", address));
  if (!by_address) return by_address.take_error();
  return *by_account >= kMaxPerAccount || *by_address >= kMaxPerAddress;
}

Status LoginThrottle::record_failure(const std::string& account, const std::string& address) {
  const std::string now = format_utc(clock_.now());
  const std::string account_key = scoped_key("account", account),
                    address_key = scoped_key("address", address);
  const std::string expired = format_utc(clock_.now() - kWindow);
  return db_.in_transaction([&] {
    db_.session() << "INSERT INTO login_failures (scope, scope_key, at) VALUES ('account', :key, :at)",
        soci::use(account_key), soci::use(now);
    db_.session() << "INSERT INTO login_failures (scope, scope_key, at) VALUES ('address', :key, :at)",
        soci::use(address_key), soci::use(now);
    // Old rows say nothing any more; keeping them would only grow the table.
    db_.session() << "DELETE FROM login_failures WHERE at < :expired", soci::use(expired);
    return Status::Ok();
  });
}

Status LoginThrottle::clear_account(const std::string& account) {
  const std::string key = scoped_key("account", account);
  return db_.in_transaction([&] {
    db_.session() << "DELETE FROM login_failures WHERE scope = 'account' AND scope_key = :key",
        soci::use(key);
    return Status::Ok();
  });
}

}  // namespace dsr::web

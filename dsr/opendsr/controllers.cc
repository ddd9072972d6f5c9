#include "dsr/opendsr/controllers.h"

#include <algorithm>

#include "dsr/audit/audit_log.h"
#include "dsr/common/crypto.h"
#include "dsr/common/text.h"

namespace dsr::opendsr {

namespace {

constexpr std::size_t kApiKeyBytes = 32;

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

}  // namespace

Status check_controller_id(const std::string& id) {
  const bool shaped = !id.empty() && id.size() <= 64 && is_lower_alnum(id.front()) &&
                      std::all_of(id.begin(), id.end(), [](char c) { return is_lower_alnum(c) || c == '.' || c == '_' || c == '-'; });
  if (!shaped) {
    return fail("controller " + quote_for_message(id) +
                ": expected 1 to 64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit");
  }
  return Status::Ok();
}

Result<std::string> normalise_callback_domain(const std::string& domain) {
  const std::string host = to_lower_ascii(trim(domain));
  const bool shaped = !host.empty() && host.size() <= 253 && is_lower_alnum(host.front()) &&
                      is_lower_alnum(host.back()) && host.find("..") == std::string::npos &&
                      std::all_of(host.begin(), host.end(), [](char c) { return is_lower_alnum(c) || c == '-' || c == '.'; });
  if (!shaped) {
    return fail("callback domain " + quote_for_message(domain) + ": expected a host name like controller.example.com");
  }
  return host;
}

bool host_within_domain(const std::string& host, const std::string& domain) {
  const std::string lower = to_lower_ascii(host);
  if (lower == domain) return true;
  return lower.size() > domain.size() + 1 && lower.ends_with("." + domain);
}

Result<std::string> add_controller(Database& db, const SubjectKey& key, const Clock& clock, const std::string& id,
                                   const std::string& callback_domain, const std::string& actor) {
  if (Status s = check_controller_id(id); !s) return s.take_error();
  auto domain = normalise_callback_domain(callback_domain);
  if (!domain) return domain.take_error();
  const std::string api_key = to_hex(random_bytes(kApiKeyBytes));
  const std::string hash = sha256_hex(api_key);
  const std::string now = format_utc(clock.now());
  Status done = db.in_transaction([&]() -> Status {
    long long existing = 0;
    db.session() << "SELECT COUNT(*) FROM opendsr_controllers WHERE id = :id", soci::into(existing), soci::use(id);
    if (existing != 0) return fail("controller " + id + ": already registered");
    db.session() << "INSERT INTO opendsr_controllers (id, key_hash, callback_domain, created_at, disabled)"
                    " VALUES (:id, :hash, :domain, :at, 0)",
        soci::use(id), soci::use(hash), soci::use(*domain), soci::use(now);
    Poco::JSON::Object::Ptr detail = new Poco::JSON::Object;
    detail->set("controller", id);
    detail->set("callback_domain", *domain);
    return AuditLog(db, key, clock).append({"opendsr.controller_added", actor, "", "", detail});
  });
  if (!done) return done.take_error();
  return api_key;
}

std::optional<Controller> find_controller_by_key(Database& db, const std::string& api_key) {
  // Keys are 64 hex digits; anything else cannot match and is not worth a query.
  if (api_key.size() != kApiKeyBytes * 2 || api_key.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return std::nullopt;
  }
  const std::string hash = sha256_hex(api_key);
  Controller controller;
  std::string created;
  long long disabled = 0;
  db.session() << "SELECT id, callback_domain, created_at, disabled FROM opendsr_controllers WHERE key_hash = :hash",
      soci::into(controller.id), soci::into(controller.callback_domain), soci::into(created), soci::into(disabled),
      soci::use(hash);
  if (!db.session().got_data() || disabled != 0) return std::nullopt;
  if (auto at = parse_utc(created)) controller.created_at = *at;
  return controller;
}

Result<std::vector<Controller>> list_controllers(Database& db) {
  std::vector<Controller> out;
  Status read = db.read([&] {
    soci::rowset<soci::row> rows =
        db.session().prepare << "SELECT id, callback_domain, created_at, disabled FROM opendsr_controllers ORDER BY id";
    for (const auto& row : rows) {
      Controller c;
      c.id = column_text(row, 0);
      c.callback_domain = column_text(row, 1);
      if (auto at = parse_utc(column_text(row, 2))) c.created_at = *at;
      c.disabled = column_int(row, 3) != 0;
      out.push_back(std::move(c));
    }
    return Status::Ok();
  });
  if (!read) return read.take_error();
  return out;
}

}  // namespace dsr::opendsr

#include "dsr/downloads/links.h"

#include <Poco/File.h>

#include "dsr/audit/audit_log.h"
#include "dsr/common/crypto.h"
#include "dsr/downloads/settings.h"
#include "dsr/state/request_store.h"

namespace dsr::downloads {

namespace {

constexpr std::size_t kLinkIdBytes = 32;

Link make_link(const SubjectKey& key, const Settings& settings, const std::string& link_id, TimePoint expires_at) {
  Link link;
  link.id = link_id;
  link.token = token_for(key, link_id);
  link.url = settings.base_url + "/download/" + link.token;
  link.expires_at = expires_at;
  return link;
}

}  // namespace

std::string token_for(const SubjectKey& key, const std::string& link_id) { return key.seal("download-token:" + link_id); }

std::string token_hash(const std::string& token) { return sha256_hex(token); }

std::string export_file(const Config& config, const std::string& request_id) {
  return config.export_dir + "/" + request_id + ".zip";
}

Result<Link> create_link(Database& db, const SubjectKey& key, const Clock& clock, const Config& config,
                         const std::string& request_id, const LinkOptions& options) {
  const Settings settings = read_settings(config);
  if (settings.base_url.empty()) {
    return fail(config.path + ": /downloads/base_url: required to make download links");
  }
  const int days = options.expiry_days.value_or(settings.expiry_days);
  if (days < 1) return fail("download link: expiry must be at least one day");
  const bool single_use = options.single_use.value_or(settings.single_use);
  const TimePoint now = clock.now();
  const Link link = make_link(key, settings, to_hex(random_bytes(kLinkIdBytes)), add_days(now, days));

  Status done = db.in_transaction([&]() -> Status {
    RequestStore requests(db);
    auto request = requests.find(request_id);
    if (!request) return fail("request " + request_id + ": not found");
    if (request->status != RequestStatus::completed ||
        (request->type != RequestType::access && request->type != RequestType::portability)) {
      return fail("request " + request_id + ": no export to link to (a completed access or portability request has one)");
    }
    if (!Poco::File(export_file(config, request_id)).exists()) {
      return fail("request " + request_id + ": its export file is gone (past retention?)");
    }
    const std::string hash = token_hash(link.token);
    const std::string created = format_utc(now);
    const std::string expires = format_utc(link.expires_at);
    const long long once = single_use ? 1 : 0;
    db.session() << "INSERT INTO download_links (link_id, token_hash, request_id, created_at, expires_at, single_use,"
                    " downloads) VALUES (:id, :hash, :request, :created, :expires, :once, 0)",
        soci::use(link.id), soci::use(hash), soci::use(request_id), soci::use(created), soci::use(expires),
        soci::use(once);
    Poco::JSON::Object::Ptr detail = new Poco::JSON::Object;
    detail->set("link", link.id.substr(0, 16));
    detail->set("expires_at", expires);
    detail->set("single_use", single_use);
    return AuditLog(db, key, clock).append({"download.link_created", "downloads", request_id, request->subject, detail});
  });
  if (!done) return done.take_error();
  return link;
}

std::optional<Link> existing_link(Database& db, const SubjectKey& key, const Clock& clock, const Config& config,
                                  const std::string& link_id) {
  std::string expires;
  long long single_use = 0;
  soci::indicator used = soci::i_null;
  std::string used_at;
  db.session() << "SELECT expires_at, single_use, used_at FROM download_links WHERE link_id = :id", soci::into(expires),
      soci::into(single_use), soci::into(used_at, used), soci::use(link_id);
  if (!db.session().got_data()) return std::nullopt;
  auto expires_at = parse_utc(expires);
  if (!expires_at || *expires_at <= clock.now()) return std::nullopt;
  if (single_use != 0 && used == soci::i_ok) return std::nullopt;
  return make_link(key, read_settings(config), link_id, *expires_at);
}

}  // namespace dsr::downloads

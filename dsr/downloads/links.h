#pragma once
// Download links to a request's export ZIP (<export_dir>/<request id>.zip):
// <base_url>/download/<token>.
//
// The token is 256 bits: the HMAC, under the subject key, of a random 256-bit link
// id. The store keeps the link id and the token's SHA-256, never the token, so a copy
// of the database alone opens nothing, while dsr can give the same link again (an
// OpenDSR results_url stays stable across status calls) without a second token.

#include <optional>
#include <string>

#include "dsr/audit/subject_key.h"
#include "dsr/common/result.h"
#include "dsr/common/time.h"
#include "dsr/config/config.h"
#include "dsr/state/database.h"

namespace dsr::downloads {

struct LinkOptions {
  std::optional<int> expiry_days;  // the config's downloads.expiry_days when unset
  std::optional<bool> single_use;  // the config's downloads.single_use when unset
};

struct Link {
  std::string id;     // link id (not secret on its own)
  std::string token;  // secret; goes only into the URL
  std::string url;    // base_url + "/download/" + token
  TimePoint expires_at{};
};

// Creates a link to a completed access or portability request's export. Fails when
// downloads.base_url is not configured, the request is not completed, or its export
// file is missing. Opens its own transaction and audits "download.link_created"; call
// it outside a transaction.
Result<Link> create_link(Database& db, const SubjectKey& key, const Clock& clock, const Config& config,
                         const std::string& request_id, const LinkOptions& options = {});

// The link again, from its id, when it is still usable (not expired, not used up);
// std::nullopt otherwise. Runs inside the caller's transaction or read.
std::optional<Link> existing_link(Database& db, const SubjectKey& key, const Clock& clock, const Config& config,
                                  const std::string& link_id);

// The token of a link id (HMAC under the subject key), and the hash stored for it.
std::string token_for(const SubjectKey& key, const std::string& link_id);
std::string token_hash(const std::string& token);

// Where a request's export lies.
std::string export_file(const Config& config, const std::string& request_id);

}  // namespace dsr::downloads

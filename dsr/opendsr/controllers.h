#pragma once
// Controllers allowed to call the OpenDSR API, one API key each. A key is 256 random
// bits shown once when the controller is added; the store keeps only its SHA-256.
// Each controller names the domain its status callbacks may go to, so a stolen key
// cannot point dsr's callbacks at arbitrary hosts.

#include <optional>
#include <string>
#include <vector>

#include "dsr/audit/subject_key.h"
#include "dsr/common/result.h"
#include "dsr/common/time.h"
#include "dsr/state/database.h"

namespace dsr::opendsr {

struct Controller {
  std::string id;               // [a-z0-9][a-z0-9._-]{0,63}
  std::string callback_domain;  // lower-case host name or IP literal
  TimePoint created_at{};
  bool disabled = false;
};

Status check_controller_id(const std::string& id);
// Lower-cases and checks a host name (letters, digits, '-' and '.') or an IPv4 literal.
Result<std::string> normalise_callback_domain(const std::string& domain);

// Adds a controller, audits it, and returns its API key (the only time it exists in clear).
Result<std::string> add_controller(Database& db, const SubjectKey& key, const Clock& clock, const std::string& id,
                                   const std::string& callback_domain, const std::string& actor);

// The enabled controller whose key this is. Inside a read or transaction.
std::optional<Controller> find_controller_by_key(Database& db, const std::string& api_key);

Result<std::vector<Controller>> list_controllers(Database& db);

// Whether a callback URL's host is the controller's callback domain or a subdomain of it.
bool host_within_domain(const std::string& host, const std::string& domain);

}  // namespace dsr::opendsr

#pragma once
// The OpenDSR v1 operations, independent of HTTP: each takes the authenticated
// controller (or none, for discovery) and returns the status code and JSON body to
// send. Errors use OpenDSR's shape:
//   {"error": {"code": 400, "message": "...", "errors": [{"domain": "OpenDSR", "reason": "...", "message": "..."}]}}
// A request id that belongs to another controller is answered exactly like an
// unknown one (404), so ids cannot be probed across controllers.

#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

#include "dsr/audit/subject_key.h"
#include "dsr/common/time.h"
#include "dsr/config/config.h"
#include "dsr/model/identity.h"
#include "dsr/model/request.h"
#include "dsr/opendsr/controllers.h"
#include "dsr/state/database.h"

namespace dsr::opendsr {

struct ApiReply {
  int status = 200;
  Poco::JSON::Object::Ptr body;
};

ApiReply error_reply(int status, const std::string& reason, const std::string& message,
                     const std::vector<std::string>& details = {});

// pending | in_progress | completed | cancelled. A request dsr rejected or that failed
// is, for the controller, cancelled: it will not complete.
std::string opendsr_status(RequestStatus status);

// The OpenDSR identity types dsr accepts (raw format only: a hash cannot be searched
// for), with the dsr identity kind each becomes.
struct IdentityTypeMapping {
  std::string identity_type;
  std::string kind;
};
std::vector<IdentityTypeMapping> supported_identity_types(const IdentityNormaliser& identities);

struct ApiEnvironment {
  Database& db;
  const SubjectKey& key;
  const Clock& clock;
  const Config& config;
  const IdentityNormaliser& identities;
};

// GET /discovery: needs no store and no authentication.
ApiReply discovery(const Config& config, const IdentityNormaliser& identities);

class Api {
 public:
  explicit Api(ApiEnvironment env) : env_(env) {}

  // POST /requests with the raw body. Answers 201 with the request's receipt.
  ApiReply create(const Controller& controller, const std::string& body);
  ApiReply status(const Controller& controller, const std::string& subject_request_id);
  // Cancels while pending (202); afterwards 409.
  ApiReply cancel(const Controller& controller, const std::string& subject_request_id);

 private:
  ApiEnvironment env_;
};

// The status document for one of a controller's requests (GET /requests/{id} and
// callbacks): controller_id, subject_request_id, request_status,
// expected_completion_time, api_version, and results_url once completed with an export.
// Creates the results link the first time it is needed. Call outside a transaction.
Result<Poco::JSON::Object::Ptr> status_document(const ApiEnvironment& env, const std::string& controller_id,
                                                const std::string& subject_request_id);

}  // namespace dsr::opendsr

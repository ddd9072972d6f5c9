#pragma once
// Executes approved requests: claims the request (approved -> running), discovers the
// person's rows across every store through their proven identities, then writes the
// export (access, portability) or erases, verifies and certifies (erasure), and
// completes it, or fails it with a reason that names the connector and collection.
// Every step is audited with its row count, never a value.

#include <functional>
#include <string>

#include "connectors/core/registry.h"
#include "dsr/audit/audit_log.h"
#include "dsr/config/config.h"
#include "dsr/model/identity.h"
#include "dsr/requests/request_service.h"

namespace dsr {

struct RunEnvironment {
  const Config& config;
  Database& db;
  const SubjectKey& key;
  const Clock& clock;
  const ConnectorRegistry& registry;
  const IdentityNormaliser& identities;
  std::string worker;  // actor name in the audit trail, e.g. "worker:host:pid"
  std::string dsr_version;
};

struct RunOutcome {
  std::string id;
  RequestType type = RequestType::access;
  RequestStatus status = RequestStatus::approved;
  std::string export_path;  // for access and portability
  std::string password;     // when exports are encrypted
  std::uint64_t rows = 0;
  std::uint64_t collections = 0;
  std::string zip_sha256;
  std::string certificate_path;  // for erasure
  std::string certificate_sha256;
  std::string manifest_sha256;
  bool encrypted = false;
  std::string failure;  // why the request failed (status failed)
};

// Called before each step: how many steps are done, and what runs next ("marketing.messages").
using ProgressFn = std::function<void(std::size_t done, const std::string& what)>;

class RequestRunner {
 public:
  explicit RequestRunner(RunEnvironment environment) : env_(std::move(environment)) {}

  // An error means the request could not be started (not found, not approved, a type
  // this version cannot run): nothing changed. Once started, the outcome says whether it
  // completed or failed.
  Result<RunOutcome> run(const std::string& id, const ProgressFn& progress = nullptr);

 private:
  Status execute(const Request& request, RunOutcome& outcome, const ProgressFn& progress);
  Status execute_erasure(const Request& request, RunOutcome& outcome, const ProgressFn& progress);
  Status audit_steps(const Request& request, const std::vector<Poco::JSON::Object::Ptr>& details);
  RunEnvironment env_;
};

}  // namespace dsr

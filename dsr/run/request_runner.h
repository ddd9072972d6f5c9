#pragma once
// Executes approved requests: claims the request through the work queue (approved ->
// running, with a lease), discovers the person's rows across every store through their
// proven identities, then writes the export (access, portability) or erases, verifies
// and certifies (erasure), and completes it, or fails it with a reason that names the
// connector and collection. Every step is audited with its row count, never a value.
// A run that loses its claim (its lease expired and another worker took over) stops
// and changes nothing more; a run that takes over an abandoned request continues it.

#include <functional>
#include <string>

#include "connectors/core/registry.h"
#include "dsr/audit/audit_log.h"
#include "dsr/config/config.h"
#include "dsr/model/identity.h"
#include "dsr/requests/request_service.h"
#include "dsr/run/stores.h"
#include "dsr/run/work_queue.h"

namespace dsr {

struct RunEnvironment {
  const Config& config;
  Database& db;
  const SubjectKey& key;
  const Clock& clock;
  const ConnectorRegistry& registry;
  const IdentityNormaliser& identities;
  WorkerIdentity worker;  // its name is the actor in the audit trail
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
  long long attempt = 1;
  bool takeover = false;  // continued the work of a worker that is gone
};

// Request types this version runs.
const std::vector<RequestType>& runnable_types();

// Called before each step: how many steps are done, and what runs next ("marketing.messages").
using ProgressFn = std::function<void(std::size_t done, const std::string& what)>;

struct ErasureGroup;  // request_runner_group.cc

class RequestRunner {
 public:
  explicit RequestRunner(RunEnvironment environment);

  // An error means the request could not be started (not found, not approved, a type
  // this version cannot run, another live worker has it) or that this run lost its
  // claim midway: either way this run leaves the request's status to others. Once
  // started, the outcome says whether it completed or failed.
  Result<RunOutcome> run(const std::string& id, const ProgressFn& progress = nullptr);

  // Claims and runs the next request (see WorkQueue::claim_next); empty when none is
  // left. When the request claimed is an erasure on its first attempt, claims up to
  // erasure.group_requests of them and erases them together (one query per collection
  // and round for all, see GroupDiscovery); each still gets its own certificate, audit
  // entries and completion. Lost claims come back as errors.
  Result<std::vector<Result<RunOutcome>>> run_next_group(const std::vector<std::string>& excluded,
                                                         const ProgressFn& progress = nullptr);

  WorkQueue& queue() { return queue_; }
  const RunEnvironment& environment() const { return env_; }

 private:
  Result<RunOutcome> run_claimed(const Claim& claim, const ProgressFn& progress);
  // For a request the claim has just read (WorkQueue::claim): not read once more.
  Result<RunOutcome> run_claimed(const Claim& claim, const Request& request, const ProgressFn& progress);
  static Poco::JSON::Object::Ptr completion_detail(const Claim& claim, const Request& request,
                                                   const RunOutcome& outcome);
  // Completes the request (or fails it with executed's error) and audits the result.
  Result<RunOutcome> conclude(const Claim& claim, const Request& request, RunOutcome outcome, Status executed);
  // Fresh erasures claimed together; falls back to one at a time when anything is off.
  std::vector<Result<RunOutcome>> run_erasure_group(const std::vector<Claim>& claims, const ProgressFn& progress);
  Status erase_group(ErasureGroup& group);
  // keep_claim for every claim of a group.
  Status keep_claims(const std::vector<Claim>& claims);
  Status execute(const Claim& claim, const Request& request, RunOutcome& outcome, const ProgressFn& progress);
  Status execute_erasure(const Claim& claim, const Request& request, RunOutcome& outcome,
                         const ProgressFn& progress);
  Status execute_objection(const Claim& claim, const Request& request, RunOutcome& outcome,
                           const ProgressFn& progress);
  Status audit_steps(const Claim& claim, const Request& request, const std::vector<Poco::JSON::Object::Ptr>& details);
  // run.step entries, in the caller's transaction.
  Status append_steps(const Request& request, const std::vector<Poco::JSON::Object::Ptr>& details);
  // Renews the lease when a third of it has passed since the last renewal.
  Status keep_claim(const Claim& claim);
  // The stores, opened by the first run and kept for the runner's life (a batch pass):
  // each run checks them again against the connectors' cached catalogs, so a run
  // costs no new connection and no catalog queries. A connector forgets a table's
  // catalog when a statement on it fails, so the next run reads it afresh.
  Result<Stores*> checked_stores();
  RunEnvironment env_;
  WorkQueue queue_;
  TimePoint last_renewal_{};
  // An access or portability run's step details, appended with its completion or failure.
  std::vector<Poco::JSON::Object::Ptr> concluding_steps_;
  std::optional<Stores> stores_;
};

}  // namespace dsr

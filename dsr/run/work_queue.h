#pragma once
// Claims on requests, so that several workers (dsr batch processes, dsr serve) can
// share one state store and each request runs once.
//
// A claim moves an approved request to running and gives it a lease: a random token,
// the worker's name, host and pid, and an expiry. The worker renews the lease as it
// works; every write of a run checks that the token is still the request's, so a
// worker that has lost its claim can neither record progress nor finish the request.
// A running request whose lease has expired, or whose worker process is gone from
// this host, is taken over by the next worker that looks (a new token, attempt + 1).
//
// On MariaDB the candidate rows are read with SELECT ... FOR UPDATE SKIP LOCKED, so
// concurrent workers pick different requests; on SQLite each claim holds the store's
// write lock, which is exclusive between processes.

#include <Poco/JSON/Object.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "dsr/audit/subject_key.h"
#include "dsr/common/result.h"
#include "dsr/common/time.h"
#include "dsr/model/request.h"
#include "dsr/state/database.h"
#include "dsr/state/lease_store.h"
#include "dsr/state/request_store.h"

namespace dsr {

struct WorkerIdentity {
  std::string name;  // "worker:HOST:PID", the actor in the audit trail
  std::string host;
  long long pid = 0;
};

// This process as a worker.
WorkerIdentity this_worker();

struct Claim {
  std::string request_id;
  std::string token;
  long long attempt = 1;
  bool takeover = false;  // the request was running under a worker that is gone
};

class WorkQueue {
 public:
  WorkQueue(Database& db, const SubjectKey& key, const Clock& clock, WorkerIdentity worker,
            std::chrono::seconds lease_duration)
      : db_(db), key_(key), clock_(clock), worker_(std::move(worker)), lease_duration_(lease_duration) {}

  // The next request to run: first one abandoned by a gone worker, then the oldest-due
  // approved one of a runnable type. nullopt when there is none; excluded ids are skipped.
  Result<std::optional<Claim>> claim_next(const std::vector<RequestType>& runnable,
                                          const std::vector<std::string>& excluded = {});

  // Claims up to limit approved requests of the given types in one transaction (no
  // abandoned ones: claim_next takes those). Empty when there is none.
  Result<std::vector<Claim>> claim_approved(const std::vector<RequestType>& types,
                                            const std::vector<std::string>& excluded, std::size_t limit);

  // Claims one request: approved, or running under a gone worker. `claimed`, when
  // given, receives the request with its identities as the claim's transaction read
  // it, with the claim's status (running; updated_at stays the one read), so that the
  // run need not read it again.
  Result<Claim> claim(const std::string& id, const std::vector<RequestType>& runnable,
                      Request* claimed = nullptr);

  // Inside the caller's transaction: an error when the claim is no longer the
  // request's; otherwise the lease is extended.
  Status hold(const Claim& claim);

  // hold() in a transaction of its own.
  Status renew(const Claim& claim);

  // Changes the claimed request's status (to completed, failed or back to approved) and
  // ends the lease, in one transaction with `also`, which runs first (so audit entries it
  // appends come before the status change's); nothing happens when the claim is lost.
  Status finish(const Claim& claim, RequestStatus to, const std::string& reason, Poco::JSON::Object::Ptr detail,
                const std::function<Status()>& also = nullptr);

  // Several claimed requests to completed (or another status) in one transaction:
  // all of them, or, when any claim is lost, none.
  struct Finishing {
    Claim claim;
    RequestStatus to = RequestStatus::completed;
    Poco::JSON::Object::Ptr detail;
  };
  Status finish_all(const std::vector<Finishing>& requests);

  const WorkerIdentity& worker() const { return worker_; }

 private:
  bool gone(const Lease& lease, TimePoint now) const;
  Status with_retries(const std::function<Status()>& transaction);
  Status claim_next_once(const std::vector<std::string>& types, const std::vector<std::string>& excluded,
                         std::optional<Claim>& claimed);
  Status finish_once(const Claim& claim, RequestStatus to, const std::string& reason, Poco::JSON::Object::Ptr detail,
                     const std::function<Status()>& also);
  Status finish_locked(const Claim& claim, RequestStatus to, const std::string& reason, Poco::JSON::Object::Ptr detail);
  Status take(const std::string& id, const std::optional<Lease>& previous, Claim& out);
  // The same for a request the caller has read under the transaction's lock; its status
  // becomes the claim's.
  Status take(Request& request, const std::optional<Lease>& previous, Claim& out);

  Database& db_;
  const SubjectKey& key_;
  const Clock& clock_;
  WorkerIdentity worker_;
  std::chrono::seconds lease_duration_;
};

// The message of the error hold(), renew() and finish() return for a lost claim.
bool is_lost_claim(const std::string& error);

// An error from a transaction the engine rolled back to break a lock cycle.
bool is_deadlock(const std::string& error);

}  // namespace dsr

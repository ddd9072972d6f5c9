#include "dsr/run/work_queue.h"

#include <Poco/Environment.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "dsr/audit/audit_log.h"
#include "dsr/common/crypto.h"
#include "dsr/requests/request_service.h"
#include "dsr/state/request_store.h"

namespace dsr {

namespace {

constexpr const char* kLostClaim = "lost its claim";
// How many running requests one claim looks at for an abandoned one.
constexpr std::size_t kRunningScan = 32;

std::vector<std::string> type_names(const std::vector<RequestType>& types) {
  std::vector<std::string> names;
  for (auto t : types) names.emplace_back(to_string(t));
  return names;
}

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

WorkerIdentity this_worker() {
  WorkerIdentity w;
  w.host = Poco::Environment::nodeName();
  w.pid = static_cast<long long>(::getpid());
  w.name = "worker:" + w.host + ":" + std::to_string(w.pid);
  return w;
}

bool is_lost_claim(const std::string& error) { return error.find(kLostClaim) != std::string::npos; }

bool is_deadlock(const std::string& error) {
  return error.find("Deadlock found") != std::string::npos || error.find("Lock wait timeout") != std::string::npos;
}

bool WorkQueue::gone(const Lease& lease, TimePoint now) const {
  if (lease.lease_until < now) return true;
  // A worker on this host whose process has ended needs no lease to run out first.
  if (lease.host != worker_.host || lease.pid == worker_.pid || lease.pid <= 0) return false;
  return ::kill(static_cast<pid_t>(lease.pid), 0) != 0 && errno == ESRCH;
}

Status WorkQueue::take(const std::string& id, const std::optional<Lease>& previous, Claim& out) {
  // Only its status and subject matter here.
  auto request = RequestStore(db_).find_without_identities(id, true);
  if (!request) return fail("request " + id + ": not found");
  return take(*request, previous, out);
}

Status WorkQueue::take(Request& request, const std::optional<Lease>& previous, Claim& out) {
  RequestStore requests(db_);
  const std::string& id = request.id;
  const TimePoint now = clock_.now();
  Lease lease;
  lease.request_id = id;
  lease.token = to_hex(random_bytes(16));
  lease.worker = worker_.name;
  lease.host = worker_.host;
  lease.pid = worker_.pid;
  lease.lease_until = now + lease_duration_;
  lease.claimed_at = now;
  lease.attempt = previous ? previous->attempt + 1 : 1;
  auto detail = Poco::JSON::Object::Ptr(new Poco::JSON::Object);
  detail->set("attempt", lease.attempt);
  if (request.status == RequestStatus::approved) {
    RequestService service(db_, key_, clock_);
    if (Status s = service.transition_locked(requests, request, RequestStatus::running, worker_.name, "", detail); !s) {
      return s;
    }
    request.status = RequestStatus::running;
    request.status_reason.clear();
  } else if (request.status == RequestStatus::running) {
    // Still running, under a worker that is gone: this attempt continues its work.
    if (previous) detail->set("previous_worker", previous->worker);
    requests.add_event(id, {now, worker_.name, "takeover", "running", "running", ""});
    AuditLog audit(db_, key_, clock_);
    if (Status s = audit.append({"run.takeover", worker_.name, id, request.subject, detail}); !s) return s;
    out.takeover = true;
  } else {
    return fail("request " + id + ": cannot run in status " + std::string(to_string(request.status)));
  }
  LeaseStore(db_).put(lease);
  out.request_id = id;
  out.token = lease.token;
  out.attempt = lease.attempt;
  return Status::Ok();
}

Result<std::optional<Claim>> WorkQueue::claim_next(const std::vector<RequestType>& runnable,
                                                   const std::vector<std::string>& excluded) {
  std::optional<Claim> claimed;
  const auto types = type_names(runnable);
  Status status = with_retries([&]() -> Status {
    claimed.reset();
    return claim_next_once(types, excluded, claimed);
  });
  if (!status) return status.take_error();
  return claimed;
}

Status WorkQueue::with_retries(const std::function<Status()>& transaction) {
  // InnoDB resolves a lock cycle by rolling one transaction back; trying that one
  // again is the documented answer. Nothing of it was committed.
  Status status;
  for (int attempt = 0; attempt < 5; ++attempt) {
    status = transaction();
    if (status || !is_deadlock(status.error())) return status;
  }
  return status;
}

Status WorkQueue::claim_next_once(const std::vector<std::string>& types, const std::vector<std::string>& excluded,
                                  std::optional<Claim>& claimed) {
  return db_.in_transaction([&]() -> Status {
    LeaseStore leases(db_);
    const TimePoint now = clock_.now();
    for (const auto& running : leases.running(kRunningScan)) {
      if (contains(excluded, running.request_id)) continue;
      if (running.lease && !gone(*running.lease, now)) continue;
      // The scan read without locks: lock the request, then read its lease again
      // (waiting for a worker renewing it right now) before deciding.
      if (!leases.lock_running(running.request_id)) continue;
      const auto lease = leases.find(running.request_id);
      if (lease && !gone(*lease, now)) continue;
      Claim claim;
      if (Status s = take(running.request_id, lease, claim); !s) return s;
      claimed = claim;
      return Status::Ok();
    }
    auto id = leases.next_approved(types, excluded);
    if (!id) return Status::Ok();
    Claim claim;
    if (Status s = take(*id, std::nullopt, claim); !s) return s;
    claimed = claim;
    return Status::Ok();
  });
}

Result<std::vector<Claim>> WorkQueue::claim_approved(const std::vector<RequestType>& types,
                                                     const std::vector<std::string>& excluded, std::size_t limit) {
  std::vector<Claim> claims;
  const auto names = type_names(types);
  Status status = with_retries([&]() -> Status {
    claims.clear();
    return db_.in_transaction([&]() -> Status {
      LeaseStore leases(db_);
      for (const auto& id : leases.next_approved(names, excluded, limit)) {
        Claim claim;
        if (Status s = take(id, std::nullopt, claim); !s) return s;
        claims.push_back(std::move(claim));
      }
      return Status::Ok();
    });
  });
  if (!status) return status.take_error();
  return claims;
}

Result<Claim> WorkQueue::claim(const std::string& id, const std::vector<RequestType>& runnable,
                               Request* claimed) {
  if (Status s = check_request_id(id); !s) return s.take_error();
  Claim claim;
  std::optional<Request> request;
  Status status = db_.in_transaction([&]() -> Status {
    RequestStore requests(db_);
    request = requests.find(id, true);
    if (!request) return fail("request " + id + ": not found");
    if (std::find(runnable.begin(), runnable.end(), request->type) == runnable.end()) {
      return fail("request " + id + ": " + std::string(to_string(request->type)) +
                  " requests cannot be run by this version of dsr; it stays " +
                  std::string(to_string(request->status)));
    }
    if (request->status == RequestStatus::running) {
      auto lease = LeaseStore(db_).find(id);
      if (lease && !gone(*lease, clock_.now())) {
        return fail("request " + id + ": already running (" + lease->worker + ", lease until " +
                    format_utc(lease->lease_until) + ")");
      }
      return take(*request, lease, claim);
    }
    if (request->status != RequestStatus::approved) {
      return fail("request " + id + ": cannot run in status " + std::string(to_string(request->status)) +
                  " (only approved requests run)");
    }
    return take(*request, std::nullopt, claim);
  }, Durability::deferred);  // undone by a power failure, the request is as before the run
  if (!status) return status.take_error();
  if (claimed) *claimed = std::move(*request);
  return claim;
}

Status WorkQueue::hold(const Claim& claim) {
  const TimePoint until = clock_.now() + lease_duration_;
  if (!LeaseStore(db_).renew(claim.request_id, claim.token, until)) {
    return fail("request " + claim.request_id + ": " + worker_.name + " " + kLostClaim +
                " (another worker took it over); it stops without changing the request");
  }
  return Status::Ok();
}

Status WorkQueue::renew(const Claim& claim) {
  return with_retries([&] { return db_.in_transaction([&] { return hold(claim); }); });
}

Status WorkQueue::finish(const Claim& claim, RequestStatus to, const std::string& reason,
                         Poco::JSON::Object::Ptr detail, const std::function<Status()>& also) {
  return with_retries([&] { return finish_once(claim, to, reason, detail, also); });
}

Status WorkQueue::finish_once(const Claim& claim, RequestStatus to, const std::string& reason,
                              Poco::JSON::Object::Ptr detail, const std::function<Status()>& also) {
  return db_.in_transaction([&]() -> Status {
    if (also) {
      if (Status s = also(); !s) return s;
    }
    return finish_locked(claim, to, reason, detail);
  });
}

Status WorkQueue::finish_locked(const Claim& claim, RequestStatus to, const std::string& reason,
                                Poco::JSON::Object::Ptr detail) {
  RequestStore requests(db_);
  // Read again under the lock: an officer may have changed its status meanwhile.
  auto request = requests.find_without_identities(claim.request_id, true);
  if (!request) return fail("request " + claim.request_id + ": not found");
  if (Status s = hold(claim); !s) return s;
  RequestService service(db_, key_, clock_);
  if (Status s = service.transition_locked(requests, *request, to, worker_.name, reason, detail); !s) return s;
  LeaseStore(db_).remove(claim.request_id);
  return Status::Ok();
}

Status WorkQueue::finish_all(const std::vector<Finishing>& requests) {
  return with_retries([&] {
    return db_.in_transaction([&]() -> Status {
      for (const auto& r : requests) {
        if (Status s = finish_locked(r.claim, r.to, "", r.detail); !s) return s;
      }
      return Status::Ok();
    });
  });
}

}  // namespace dsr

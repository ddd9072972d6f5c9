#pragma once
// The request lifecycle as officers and channels drive it. Every operation runs in
// one transaction that changes the request, records a request event and appends
// the audit entry, so either all three happen or none. An operation that is not
// allowed (an illegal transition, a second extension, an unknown officer) returns
// an error and changes nothing.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "dsr/audit/audit_log.h"
#include "dsr/model/identity.h"
#include "dsr/model/request.h"
#include "dsr/state/officer_store.h"
#include "dsr/state/request_store.h"

namespace dsr {

struct SubmitOutcome;

struct SubmitInput {
  RequestType type = RequestType::access;
  std::vector<Identity> identities;  // normalised; at least one
  Regulation regulation = Regulation::gdpr;
  // Proven by the channel (Telegram's from.id, a returned email code, an officer's check).
  bool identities_proven = false;
  std::string channel = "cli";
  std::string actor = "cli";
  std::optional<TimePoint> received_at;  // defaults to now; never in the future
  std::string submitted_by;              // officer name when an officer enters the request
  // Runs inside the transaction that stores the request, after it is stored: what a
  // channel must record together with it (the mail it came from), so both or neither persist.
  std::function<Status(const SubmitOutcome&)> record_with;
};

struct SubmitOutcome {
  std::string id;
  RequestStatus status = RequestStatus::received;
  TimePoint due_at{};
  std::string duplicate_of;  // set when an open request of this type already covers the subject
};

class RequestService {
 public:
  RequestService(Database& db, const SubjectKey& key, const Clock& clock)
      : db_(db), key_(key), clock_(clock), audit_(db, key, clock) {}

  Result<SubmitOutcome> submit(const SubmitInput& input);

  // Officer actions: the officer must exist, be enabled and hold the officer or admin role.
  Status verify(const std::string& id, const std::string& officer, const std::string& note);
  // With erasure_needs_two_officers set, the first approval of an erasure is only recorded
  // (event "first_approval"); a second, different officer's approval moves it to approved.
  Status approve(const std::string& id, const std::string& officer, const std::string& note);
  Status reject(const std::string& id, const std::string& officer, const std::string& reason);
  // Once per request; the new due date is the regulation's maximum; the reason is mandatory.
  Result<TimePoint> extend(const std::string& id, const std::string& officer, const std::string& reason);

  // A type of unknown (a channel could not tell) becomes a real one; from a waiting state only.
  // Until then the request cannot be approved.
  Status retype(const std::string& id, const std::string& officer, RequestType type, const std::string& note);

  // The channel proved the identities itself (a one-time code returned by mail):
  // awaiting_verification -> pending_approval. `also` runs in the same transaction
  // (the channel's own bookkeeping of the proof).
  Status prove_identities(const std::string& id, const std::string& actor, const std::string& note,
                          const std::function<Status()>& also = {});

  // By the data subject or on their behalf; actor says who.
  Status cancel(const std::string& id, const std::string& actor, const std::string& reason);

  // A status change by the runner (approved -> running -> completed | failed), with audit detail.
  Status transition(const std::string& id, RequestStatus to, const std::string& actor, const std::string& reason,
                    Poco::JSON::Object::Ptr detail = nullptr);

  // The same change as transition(), for a caller that holds its own transaction and
  // has loaded the request with RequestStore::find(id, true) (the work queue's claims).
  Status transition_locked(RequestStore& store, const Request& request, RequestStatus to, const std::string& actor,
                           const std::string& reason, Poco::JSON::Object::Ptr detail = nullptr) {
    return change_status(store, request, to, actor, "status", reason, detail);
  }

  Result<Request> get(const std::string& id);
  Result<std::vector<Request>> list(RequestFilter filter);
  Result<std::vector<RequestEvent>> events(const std::string& id);

  // Config serve.erasure_two_officers: erasure cannot be undone, so it may need two people.
  void set_erasure_needs_two_officers(bool needed) { erasure_needs_two_officers_ = needed; }

 private:
  Status check_officer(const std::string& officer);
  // Loads the request under lock, checks the officer, then runs the action; one transaction.
  using OfficerAction = std::function<Status(RequestStore&, const Request&)>;
  Status as_officer(const std::string& id, const std::string& officer, const OfficerAction& action);
  // Applies a status change with its event and audit entry; inside a transaction.
  Status change_status(RequestStore& store, const Request& request, RequestStatus to, const std::string& actor,
                       const std::string& event_kind, const std::string& note, Poco::JSON::Object::Ptr detail);
  Status load_for_update(RequestStore& store, const std::string& id, Request& out);

  Database& db_;
  const SubjectKey& key_;
  const Clock& clock_;
  AuditLog audit_;
  bool erasure_needs_two_officers_ = false;
};

// Validates a request id as given by a user before it reaches a query or a message.
Status check_request_id(const std::string& id);

}  // namespace dsr

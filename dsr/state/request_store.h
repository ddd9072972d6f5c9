#pragma once
// Rows of the requests, request_identities and request_events tables.
// Plain data access: the rules (transitions, duplicates, audit) live in dsr/requests.
// Every function expects to run inside Database::in_transaction() or Database::read().

#include <optional>
#include <string>
#include <vector>

#include "dsr/common/time.h"
#include "dsr/model/request.h"
#include "dsr/state/database.h"

namespace dsr {

struct StoredIdentity {
  std::string kind;
  std::string value;      // normalised
  std::string pseudonym;  // HMAC of kind and value
  bool proven = false;
};

struct Request {
  std::string id;
  RequestType type = RequestType::access;
  RequestStatus status = RequestStatus::received;
  Regulation regulation = Regulation::gdpr;
  std::string channel;
  std::string subject;  // pseudonym of the first identity
  TimePoint received_at{};
  TimePoint due_at{};
  std::optional<TimePoint> extended_at;
  std::string extension_reason;
  std::string duplicate_of;
  std::string status_reason;
  std::string submitted_by;
  std::string approved_by;
  TimePoint updated_at{};
  std::vector<StoredIdentity> identities;
};

struct RequestEvent {
  TimePoint at{};
  std::string actor;
  std::string kind;
  std::string from_status;
  std::string to_status;
  std::string note;
};

struct RequestFilter {
  std::optional<RequestStatus> status;
  std::optional<RequestType> type;
  std::optional<std::string> channel;
  bool overdue_only = false;
  std::optional<TimePoint> due_before;  // due strictly before this time
  TimePoint now{};                      // what "overdue" is measured against
};

class RequestStore {
 public:
  explicit RequestStore(Database& db) : db_(db) {}

  void insert(const Request& request);
  std::optional<Request> find(const std::string& id, bool lock_for_update = false);
  // The same without its identities (left empty): for callers that change only the
  // request's status, one statement fewer.
  std::optional<Request> find_without_identities(const std::string& id, bool lock_for_update = false);
  std::vector<Request> list(const RequestFilter& filter);

  // The oldest open request (not terminal, not itself a duplicate) of this type
  // whose identities share a pseudonym with the given ones.
  std::optional<std::string> find_open_duplicate(RequestType type, const std::vector<std::string>& pseudonyms);

  void update_status(const std::string& id, RequestStatus status, const std::string& reason, TimePoint at);
  void set_approved_by(const std::string& id, const std::string& officer);
  void set_extension(const std::string& id, TimePoint due_at, TimePoint extended_at, const std::string& reason);
  void mark_identities_proven(const std::string& id);
  void set_type(const std::string& id, RequestType type, TimePoint at);

  void add_event(const std::string& request_id, const RequestEvent& event);
  std::vector<RequestEvent> events(const std::string& request_id);

 private:
  std::vector<StoredIdentity> identities_of(const std::string& id);
  Database& db_;
};

}  // namespace dsr

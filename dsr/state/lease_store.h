#pragma once
// Rows of the leases table: which worker runs a request, under which claim token,
// until when. Plain data access; the rules live in dsr/run/work_queue.h.
// Every function expects to run inside Database::in_transaction().

#include <optional>
#include <string>
#include <vector>

#include "dsr/common/time.h"
#include "dsr/state/database.h"

namespace dsr {

struct Lease {
  std::string request_id;
  std::string token;
  std::string worker;
  std::string host;
  long long pid = 0;
  TimePoint lease_until{};
  TimePoint claimed_at{};
  long long attempt = 0;
};

// A running request and its lease, if it has one (a run begun by an older dsr has none).
struct RunningRequest {
  std::string request_id;
  std::optional<Lease> lease;
};

class LeaseStore {
 public:
  explicit LeaseStore(Database& db) : db_(db) {}

  // The oldest-due approved request of one of these types that no other transaction
  // holds: on MariaDB `FOR UPDATE SKIP LOCKED`, so concurrent workers pick different
  // requests instead of queueing; on SQLite the write lock is already exclusive.
  std::optional<std::string> next_approved(const std::vector<std::string>& types,
                                           const std::vector<std::string>& excluded);
  // Up to limit of them, in the same order, locked the same way.
  std::vector<std::string> next_approved(const std::vector<std::string>& types,
                                         const std::vector<std::string>& excluded, std::size_t limit);

  // Running requests and their leases, oldest lease first; nothing is locked.
  std::vector<RunningRequest> running(std::size_t limit);

  // Locks the request's row if it is still running and no other transaction holds it.
  bool lock_running(const std::string& request_id);

  std::optional<Lease> find(const std::string& request_id);
  void put(const Lease& lease);  // insert or replace
  // Extends the lease if token is still the request's claim; false when it is not.
  bool renew(const std::string& request_id, const std::string& token, TimePoint until);
  void remove(const std::string& request_id);

 private:
  Database& db_;
};

}  // namespace dsr

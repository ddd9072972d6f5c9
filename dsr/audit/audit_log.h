#pragma once
// The append-only, hash-chained audit trail.
//
// Entry n stores prev_hash = entry_hash of entry n-1 (64 zeros for the first) and
// entry_hash = SHA-256(prev_hash "\n" canonical content), where the canonical content
// is the canonical JSON of {seq, at, action, actor, request_id, subject, detail}.
// A head row holds the last seq and hash, sealed with an HMAC under the subject key,
// so cutting entries off the end is caught as well as changing, deleting or
// reordering them. Entries hold pseudonyms and counts, never identity values or
// free text written by people (reasons appear as their SHA-256).

#include <Poco/JSON/Object.h>

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "dsr/audit/subject_key.h"
#include "dsr/common/time.h"
#include "dsr/state/database.h"

namespace dsr {

struct AuditEvent {
  std::string action;      // e.g. "request.received", "request.status", "officer.added"
  std::string actor;       // "cli", "officer:NAME", "worker:HOST:PID", ...
  std::string request_id;  // may be empty
  std::string subject;     // pseudonym; may be empty
  Poco::JSON::Object::Ptr detail;  // no personal data; may be null
};

struct AuditEntry {
  long long seq = 0;
  std::string at;
  std::string action;
  std::string actor;
  std::string request_id;
  std::string subject;
  std::string detail;  // canonical JSON text
  std::string prev_hash;
  std::string entry_hash;
};

struct AuditVerification {
  bool intact = true;
  long long entries = 0;
  std::optional<long long> first_bad_seq;  // set when !intact and an entry is to blame
  std::string problem;                     // what is wrong, when !intact
};

class AuditLog {
 public:
  AuditLog(Database& db, const SubjectKey& key, const Clock& clock) : db_(db), key_(key), clock_(clock) {}

  // Creates and seals the empty head if there is none. Idempotent; call from `dsr init`.
  Status initialise();

  // Appends one entry. Precondition: inside db.in_transaction(), so the entry commits
  // or rolls back with the change it records. Takes the head row lock, so concurrent
  // appenders from several processes queue up instead of forking the chain.
  Status append(const AuditEvent& event);
  // Several entries in order, with one read and one update of the head.
  Status append_all(const std::vector<AuditEvent>& events);

  // Takes the head row lock early, for a transaction that must read and then append
  // without another process slipping in between. Precondition: inside a transaction.
  Status lock_head();

  AuditVerification verify();

  // Calls visit for every entry in order. Stops early when visit returns false.
  Status for_each(const std::function<bool(const AuditEntry&)>& visit);

  // Writes the trail as JSON lines (one entry per line, detail as an object).
  Status export_jsonl(std::ostream& out);

  static std::string genesis_hash() { return std::string(64, '0'); }

 private:
  std::string head_seal(long long seq, const std::string& hash) const;
  Database& db_;
  const SubjectKey& key_;
  const Clock& clock_;
};

// The hash of a free-text note, for audit details (texts written by people may hold personal data).
std::string text_digest(const std::string& text);

}  // namespace dsr

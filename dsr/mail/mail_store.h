#pragma once
// Rows of the mail tables (dsr/state/migration_5_mail.cc). Plain data access; every
// function expects to run inside Database::in_transaction() or Database::read().

#include <optional>
#include <string>
#include <vector>

#include "dsr/common/time.h"
#include "dsr/state/database.h"

namespace dsr::mail {

// What became of a message taken from the mailbox.
inline constexpr const char* kOutcomeRequest = "request";            // a new request
inline constexpr const char* kOutcomeVerification = "verification";  // a reply carrying a code
inline constexpr const char* kOutcomeIgnored = "ignored";            // automated mail, never answered
inline constexpr const char* kOutcomeRejected = "rejected";          // unreadable or unusable

struct MessageRecord {
  std::string key;  // SHA-256 of the Message-ID
  TimePoint received_at{};
  std::string outcome;
  std::string request_id;  // empty when none
  std::string note;        // why, without personal data
};

struct Verification {
  std::string request_id;
  std::string code_hash;  // empty until a code was sent
  std::optional<TimePoint> expires_at;
  long long attempts = 0;
  std::string state;  // pending | confirmed | exhausted
};

struct OutboxEntry {
  long long id = 0;
  std::string request_id;
  std::string kind;
  long long attempts = 0;
};

struct MailEvent {
  long long id = 0;
  std::string request_id;
  std::string kind;       // request_events.kind
  std::string to_status;  // empty for events that do not change the status
};

class MailStore {
 public:
  explicit MailStore(Database& db) : db_(db) {}

  std::optional<MessageRecord> find_message(const std::string& key);
  void record_message(const MessageRecord& record);
  std::vector<MessageRecord> messages();

  void create_verification(const std::string& request_id);
  std::optional<Verification> find_verification(const std::string& request_id, bool lock_for_update = false);
  void set_code(const std::string& request_id, const std::string& code_hash, TimePoint expires_at);
  void record_attempt(const std::string& request_id, long long attempts, const std::string& state);
  void confirm(const std::string& request_id, TimePoint at);
  // Requests on the email channel awaiting verification with a code pending, whose
  // identities include this pseudonym.
  std::vector<std::string> pending_for_subject(const std::string& pseudonym);

  // Adds a mail to send unless one of this kind for this request exists; true when added.
  bool enqueue(const std::string& request_id, const std::string& kind, TimePoint at);
  std::vector<OutboxEntry> unsent(long long max_attempts, int limit);
  void mark_sent(long long id, TimePoint at);
  void mark_failed(long long id, const std::string& error);

  long long cursor(const std::string& name);
  void set_cursor(const std::string& name, long long last_event_id);
  // Events of requests on the email channel after the given event id, oldest first.
  std::vector<MailEvent> events_after(long long last_event_id, int limit);

 private:
  Database& db_;
};

}  // namespace dsr::mail

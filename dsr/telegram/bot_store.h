#pragma once
// Rows of the bot's tables (dsr/state/migration_6_telegram.cc). Plain data access:
// every function expects to run inside Database::in_transaction() or read().

#include <optional>
#include <string>
#include <vector>

#include "dsr/common/time.h"
#include "dsr/state/database.h"

namespace dsr::telegram {

struct ChatState {
  long long user_id = 0;
  std::string language = "en";
  std::string pending_type;   // a request type waiting for confirmation; empty: none
  std::string pending_nonce;  // in the keyboard's callback data, so old keyboards expire
  std::string link_email;     // normalised; set while a code is out
  std::string code_hash;
  std::optional<TimePoint> code_expires;
  int code_attempts = 0;
};

struct Intent {
  long long id = 0;
  long long user_id = 0;
  long long chat_id = 0;
  std::string language;
  std::string action;        // file | withdraw
  std::string request_type;  // for file
  std::string request_id;    // for withdraw; the filed request once done
};

struct OutboxItem {
  long long id = 0;
  long long chat_id = 0;
  std::string method;   // sendMessage | sendDocument | answerCallbackQuery
  std::string payload;  // JSON object of the call's parameters
  std::string file_path;
  std::string file_name;
};

struct TrackedRequest {
  std::string request_id;
  long long user_id = 0;
  long long chat_id = 0;
  std::string language;
  std::string notified_status;
  bool extension_notified = false;
  // From the requests table:
  std::string type;
  std::string status;
  std::string due_at;
};

class BotStore {
 public:
  explicit BotStore(Database& db) : db_(db) {}

  long long next_update_id();
  void set_next_update_id(long long next);

  std::optional<ChatState> chat(long long user_id);
  void save_chat(const ChatState& state, TimePoint now);

  std::vector<std::string> linked_emails(long long user_id);
  void add_link(long long user_id, const std::string& email, TimePoint now);

  void add_intent(const Intent& intent, TimePoint now);
  std::vector<Intent> open_intents();
  void finish_intent(long long id, const std::string& request_id, TimePoint now);

  void enqueue(const OutboxItem& item, TimePoint now);
  std::vector<OutboxItem> outbox(std::size_t limit);
  void remove_from_outbox(long long id);

  void track(const TrackedRequest& request, TimePoint now);
  std::optional<TrackedRequest> tracked(const std::string& request_id);
  std::vector<TrackedRequest> tracked_for_user(long long user_id);
  // Tracked requests whose status (or extension) changed since the person was last told.
  std::vector<TrackedRequest> awaiting_notification();
  // After an erasure: the dialogue state and linked addresses of the person go too. The
  // rows of their requests stay (they document what was done, and carry later notices).
  void forget_person(long long user_id);

  void set_notified(const std::string& request_id, const std::string& status, bool extension_notified,
                    TimePoint now);

 private:
  std::vector<TrackedRequest> tracked_where(const std::string& condition, long long user_id);
  Database& db_;
};

}  // namespace dsr::telegram

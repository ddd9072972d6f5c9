#pragma once
// Rows of deadline_reminders (migration 7): which reminders were given, and whether the
// officers' mail about them went out. Every function runs inside a transaction or read.

#include <string>
#include <vector>

#include "dsr/common/time.h"
#include "dsr/state/database.h"

namespace dsr::reminders {

enum class MailState { pending, sent, none };

struct GivenReminder {
  std::string request_id;
  TimePoint due_at{};
  std::string threshold;
};

class ReminderStore {
 public:
  explicit ReminderStore(Database& db) : db_(db) {}

  bool given(const std::string& request_id, TimePoint due_at, const std::string& threshold);
  void record(const GivenReminder& reminder, TimePoint at, MailState mail);
  // Reminders whose mail has not gone out yet, oldest first.
  std::vector<GivenReminder> awaiting_mail();
  void set_mail(const GivenReminder& reminder, MailState mail);

  // The right to mail the digest, for `holder` (unique to one pass) until `until`
  // (reminder_mail_lock, migration 8): false while another holder's time has not run
  // out. A holder that died loses it when its time is up. Inside a transaction.
  bool take_mail_lock(const std::string& holder, TimePoint now, TimePoint until);
  void release_mail_lock(const std::string& holder);

 private:
  Database& db_;
};

}  // namespace dsr::reminders

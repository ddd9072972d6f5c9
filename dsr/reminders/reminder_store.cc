#include "dsr/reminders/reminder_store.h"

namespace dsr::reminders {

namespace {

std::string text(MailState mail) {
  switch (mail) {
    case MailState::pending:
      return "pending";
    case MailState::sent:
      return "sent";
    case MailState::none:
      return "none";
  }
  return "none";
}

}  // namespace

bool ReminderStore::given(const std::string& request_id, TimePoint due_at, const std::string& threshold) {
  const std::string due = format_utc(due_at);
  long long count = 0;
  db_.session() << "SELECT COUNT(*) FROM deadline_reminders"
                   " WHERE request_id = :id AND due_at = :due AND threshold = :threshold",
      soci::use(request_id), soci::use(due), soci::use(threshold), soci::into(count);
  return count > 0;
}

void ReminderStore::record(const GivenReminder& r, TimePoint at, MailState mail) {
  const std::string due = format_utc(r.due_at), created = format_utc(at), state = text(mail);
  db_.session() << "INSERT INTO deadline_reminders (request_id, due_at, threshold, created_at, mail)"
                   " VALUES (:id, :due, :threshold, :created, :mail)",
      soci::use(r.request_id), soci::use(due), soci::use(r.threshold), soci::use(created), soci::use(state);
}

std::vector<GivenReminder> ReminderStore::awaiting_mail() {
  std::vector<GivenReminder> out;
  const std::string pending = text(MailState::pending);
  soci::rowset<soci::row> rows =
      (db_.session().prepare << "SELECT request_id, due_at, threshold FROM deadline_reminders"
                                " WHERE mail = :mail ORDER BY created_at, request_id",
       soci::use(pending));
  for (const auto& row : rows) out.push_back({column_text(row, 0), column_time(row, 1), column_text(row, 2)});
  return out;
}

void ReminderStore::set_mail(const GivenReminder& r, MailState mail) {
  const std::string due = format_utc(r.due_at), state = text(mail);
  db_.session() << "UPDATE deadline_reminders SET mail = :mail"
                   " WHERE request_id = :id AND due_at = :due AND threshold = :threshold",
      soci::use(state), soci::use(r.request_id), soci::use(due), soci::use(r.threshold);
}

bool ReminderStore::take_mail_lock(const std::string& holder, TimePoint now, TimePoint until) {
  std::string held_until;
  std::string query = "SELECT held_until FROM reminder_mail_lock WHERE id = 1";
  if (db_.engine() == StoreEngine::mysql) query += " FOR UPDATE";
  db_.session() << query, soci::into(held_until);
  const bool exists = db_.session().got_data();
  // Times are UTC text of one fixed width, so they compare as strings. A released lock
  // holds '', earlier than any time.
  if (exists && held_until >= format_utc(now)) return false;
  const std::string until_text = format_utc(until);
  if (exists) {
    db_.session() << "UPDATE reminder_mail_lock SET holder = :holder, held_until = :until WHERE id = 1",
        soci::use(holder), soci::use(until_text);
    return true;
  }
  try {
    db_.session() << "INSERT INTO reminder_mail_lock (id, holder, held_until) VALUES (1, :holder, :until)",
        soci::use(holder), soci::use(until_text);
  } catch (const soci::soci_error&) {
    return false;  // another process created the row first, and holds it
  }
  return true;
}

void ReminderStore::release_mail_lock(const std::string& holder) {
  db_.session() << "UPDATE reminder_mail_lock SET held_until = '' WHERE id = 1 AND holder = :holder",
      soci::use(holder);
}

}  // namespace dsr::reminders

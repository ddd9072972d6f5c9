#include "dsr/mail/mail_store.h"

namespace dsr::mail {

namespace {

// Columns: message_key, received_at, outcome, request_id, note.
MessageRecord message_from(const soci::row& row) {
  MessageRecord record;
  record.key = column_text(row, 0);
  if (auto at = parse_utc(column_text(row, 1))) record.received_at = *at;
  record.outcome = column_text(row, 2);
  record.request_id = column_text(row, 3);
  record.note = column_text(row, 4);
  return record;
}

}  // namespace

std::optional<MessageRecord> MailStore::find_message(const std::string& key) {
  soci::rowset<soci::row> rows =
      (db_.session().prepare << "SELECT message_key, received_at, outcome, request_id, note"
                                " FROM mail_messages WHERE message_key = :k",
       soci::use(key));
  for (const auto& row : rows) {
    return message_from(row);
  }
  return std::nullopt;
}

void MailStore::record_message(const MessageRecord& record) {
  const std::string at = format_utc(record.received_at);
  soci::indicator request_ind = null_if_empty(record.request_id), note_ind = null_if_empty(record.note);
  db_.session() << "INSERT INTO mail_messages (message_key, received_at, outcome, request_id, note)"
                   " VALUES (:k, :at, :o, :r, :n)",
      soci::use(record.key), soci::use(at), soci::use(record.outcome),
      soci::use(record.request_id, request_ind), soci::use(record.note, note_ind);
}

std::vector<MessageRecord> MailStore::messages() {
  std::vector<MessageRecord> out;
  soci::rowset<soci::row> rows =
      (db_.session().prepare << "SELECT message_key, received_at, outcome, request_id,"
                                " note FROM mail_messages ORDER BY received_at, message_key");
  for (const auto& row : rows) {
    out.push_back(message_from(row));
  }
  return out;
}

void MailStore::create_verification(const std::string& request_id) {
  db_.session() << "INSERT INTO mail_verifications (request_id, attempts, state) VALUES (:r, 0, 'pending')",
      soci::use(request_id);
}

std::optional<Verification> MailStore::find_verification(const std::string& request_id,
                                                         bool lock_for_update) {
  std::string sql =
      "SELECT request_id, code_hash, expires_at, attempts, state FROM mail_verifications"
      " WHERE request_id = :r";
  // SQLite has no row locks; its transactions already hold the write lock (BEGIN IMMEDIATE).
  if (lock_for_update && db_.engine() == StoreEngine::mysql) sql += " FOR UPDATE";
  soci::rowset<soci::row> rows = (db_.session().prepare << sql, soci::use(request_id));
  for (const auto& row : rows) {
    Verification v;
    v.request_id = column_text(row, 0);
    v.code_hash = column_text(row, 1);
    if (!column_is_null(row, 2)) {
      if (auto at = parse_utc(column_text(row, 2))) v.expires_at = *at;
    }
    v.attempts = column_int(row, 3);
    v.state = column_text(row, 4);
    return v;
  }
  return std::nullopt;
}

void MailStore::set_code(const std::string& request_id, const std::string& code_hash, TimePoint expires_at) {
  const std::string expires = format_utc(expires_at);
  db_.session() << "UPDATE mail_verifications SET code_hash = :h, expires_at = :e WHERE request_id = :r",
      soci::use(code_hash), soci::use(expires), soci::use(request_id);
}

void MailStore::record_attempt(const std::string& request_id, long long attempts, const std::string& state) {
  db_.session() << "UPDATE mail_verifications SET attempts = :a, state = :s WHERE request_id = :r",
      soci::use(attempts), soci::use(state), soci::use(request_id);
}

void MailStore::confirm(const std::string& request_id, TimePoint at) {
  const std::string when = format_utc(at);
  db_.session() << "UPDATE mail_verifications SET state = 'confirmed', confirmed_at = :at, code_hash = NULL"
                   " WHERE request_id = :r",
      soci::use(when), soci::use(request_id);
}

std::vector<std::string> MailStore::pending_for_subject(const std::string& pseudonym) {
  std::vector<std::string> out;
  soci::rowset<soci::row> rows =
      (db_.session().prepare << "SELECT DISTINCT v.request_id FROM mail_verifications v"
                                " JOIN requests r ON r.id = v.request_id"
                                " JOIN request_identities i ON i.request_id = v.request_id"
                                " WHERE i.pseudonym = :p AND v.state = 'pending' AND v.code_hash IS NOT NULL"
                                " AND r.status = 'awaiting_verification' AND r.channel = 'email'",
       soci::use(pseudonym));
  for (const auto& row : rows) out.push_back(column_text(row, 0));
  return out;
}

bool MailStore::enqueue(const std::string& request_id, const std::string& kind, TimePoint at) {
  long long existing = 0;
  db_.session() << "SELECT COUNT(*) FROM mail_outbox WHERE request_id = :r AND kind = :k",
      soci::use(request_id), soci::use(kind), soci::into(existing);
  if (existing > 0) return false;
  const std::string when = format_utc(at);
  db_.session() << "INSERT INTO mail_outbox (request_id, kind, created_at, attempts) VALUES (:r, :k, :at, 0)",
      soci::use(request_id), soci::use(kind), soci::use(when);
  return true;
}

std::vector<OutboxEntry> MailStore::unsent(long long max_attempts, int limit) {
  std::vector<OutboxEntry> out;
  soci::rowset<soci::row> rows =
      (db_.session().prepare << "SELECT id, request_id, kind, attempts FROM mail_outbox"
                                " WHERE sent_at IS NULL AND attempts < :m ORDER BY id LIMIT :l",
       soci::use(max_attempts), soci::use(limit));
  for (const auto& row : rows) {
    out.push_back({column_int(row, 0), column_text(row, 1), column_text(row, 2), column_int(row, 3)});
  }
  return out;
}

void MailStore::mark_sent(long long id, TimePoint at) {
  const std::string when = format_utc(at);
  db_.session()
      << "UPDATE mail_outbox SET sent_at = :at, attempts = attempts + 1, last_error = NULL WHERE id = :id",
      soci::use(when), soci::use(id);
}

void MailStore::mark_failed(long long id, const std::string& error) {
  db_.session() << "UPDATE mail_outbox SET attempts = attempts + 1, last_error = :e WHERE id = :id",
      soci::use(error), soci::use(id);
}

long long MailStore::cursor(const std::string& name) {
  long long last = 0;
  soci::indicator indicator = soci::i_ok;
  db_.session() << "SELECT MAX(last_event_id) FROM mail_cursor WHERE name = :n", soci::use(name),
      soci::into(last, indicator);
  return indicator == soci::i_ok ? last : 0;
}

void MailStore::set_cursor(const std::string& name, long long last_event_id) {
  long long existing = 0;
  db_.session() << "SELECT COUNT(*) FROM mail_cursor WHERE name = :n", soci::use(name), soci::into(existing);
  if (existing == 0) {
    db_.session() << "INSERT INTO mail_cursor (name, last_event_id) VALUES (:n, :l)", soci::use(name),
        soci::use(last_event_id);
  } else {
    db_.session() << "UPDATE mail_cursor SET last_event_id = :l WHERE name = :n", soci::use(last_event_id),
        soci::use(name);
  }
}

std::vector<MailEvent> MailStore::events_after(long long last_event_id, int limit) {
  std::vector<MailEvent> out;
  soci::rowset<soci::row> rows =
      (db_.session().prepare << "SELECT e.id, e.request_id, e.kind, e.to_status FROM request_events e"
                                " JOIN requests r ON r.id = e.request_id"
                                " WHERE e.id > :after AND r.channel = 'email' ORDER BY e.id LIMIT :l",
       soci::use(last_event_id), soci::use(limit));
  for (const auto& row : rows) {
    out.push_back({column_int(row, 0), column_text(row, 1), column_text(row, 2), column_text(row, 3)});
  }
  return out;
}

}  // namespace dsr::mail

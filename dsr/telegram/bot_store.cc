#include "dsr/telegram/bot_store.h"

namespace dsr::telegram {

long long BotStore::next_update_id() {
  long long next = 0;
  soci::indicator indicator = soci::i_null;
  db_.session() << "SELECT next_update_id FROM telegram_offset WHERE id = 1", soci::into(next, indicator);
  return db_.session().got_data() && indicator == soci::i_ok ? next : 0;
}

void BotStore::set_next_update_id(long long next) {
  long long rows = 0;
  db_.session() << "SELECT COUNT(*) FROM telegram_offset WHERE id = 1", soci::into(rows);
  if (rows == 0) {
    db_.session() << "INSERT INTO telegram_offset (id, next_update_id) VALUES (1, :next)", soci::use(next);
  } else {
    db_.session() << "UPDATE telegram_offset SET next_update_id = :next WHERE id = 1", soci::use(next);
  }
}

std::optional<ChatState> BotStore::chat(long long user_id) {
  soci::rowset<soci::row> rows =
      (db_.session().prepare << "SELECT user_id, language, pending_type, pending_nonce,"
                                " link_email, code_hash, code_expires, code_attempts"
                                " FROM telegram_chats WHERE user_id = :id",
       soci::use(user_id));
  for (const auto& row : rows) {
    ChatState state;
    state.user_id = column_int(row, 0);
    state.language = column_text(row, 1);
    state.pending_type = column_text(row, 2);
    state.pending_nonce = column_text(row, 3);
    state.link_email = column_text(row, 4);
    state.code_hash = column_text(row, 5);
    if (!column_is_null(row, 6)) {
      if (auto t = parse_utc(column_text(row, 6))) state.code_expires = *t;
    }
    state.code_attempts = static_cast<int>(column_int(row, 7));
    return state;
  }
  return std::nullopt;
}

void BotStore::save_chat(const ChatState& s, TimePoint now) {
  const std::string expires = s.code_expires ? format_utc(*s.code_expires) : "";
  const std::string at = format_utc(now);
  long long rows = 0;
  long long user_id = s.user_id;
  long long attempts = s.code_attempts;
  db_.session() << "SELECT COUNT(*) FROM telegram_chats WHERE user_id = :id", soci::use(user_id),
      soci::into(rows);
  if (rows == 0) {
    db_.session() << "INSERT INTO telegram_chats (user_id, language, code_attempts, updated_at)"
                     " VALUES (:id, :language, 0, :at)",
        soci::use(user_id), soci::use(s.language), soci::use(at);
  }
  soci::indicator type_ind = null_if_empty(s.pending_type), nonce_ind = null_if_empty(s.pending_nonce),
                  email_ind = null_if_empty(s.link_email), hash_ind = null_if_empty(s.code_hash),
                  expires_ind = null_if_empty(expires);
  db_.session()
      << "UPDATE telegram_chats SET language = :language, pending_type = :type, pending_nonce = :nonce,"
         " link_email = :email, code_hash = :hash, code_expires = :expires, code_attempts = :attempts,"
         " updated_at = :at WHERE user_id = :id",
      soci::use(s.language), soci::use(s.pending_type, type_ind), soci::use(s.pending_nonce, nonce_ind),
      soci::use(s.link_email, email_ind), soci::use(s.code_hash, hash_ind), soci::use(expires, expires_ind),
      soci::use(attempts), soci::use(at), soci::use(user_id);
}

std::vector<std::string> BotStore::linked_emails(long long user_id) {
  std::vector<std::string> emails;
  soci::rowset<soci::row> rows =
      (db_.session().prepare << "SELECT email FROM telegram_links WHERE user_id = :id ORDER BY email",
       soci::use(user_id));
  for (const auto& row : rows) emails.push_back(column_text(row, 0));
  return emails;
}

void BotStore::add_link(long long user_id, const std::string& email, TimePoint now) {
  long long rows = 0;
  db_.session() << "SELECT COUNT(*) FROM telegram_links WHERE user_id = :id AND email = :email",
      soci::use(user_id), soci::use(email), soci::into(rows);
  if (rows > 0) return;
  const std::string at = format_utc(now);
  db_.session() << "INSERT INTO telegram_links (user_id, email, linked_at) VALUES (:id, :email, :at)",
      soci::use(user_id), soci::use(email), soci::use(at);
}

void BotStore::add_intent(const Intent& intent, TimePoint now) {
  const std::string at = format_utc(now);
  long long user_id = intent.user_id, chat_id = intent.chat_id;
  soci::indicator type_ind = null_if_empty(intent.request_type),
                  request_ind = null_if_empty(intent.request_id);
  db_.session()
      << "INSERT INTO telegram_intents (user_id, chat_id, language, action, request_type, request_id,"
         " created_at) VALUES (:user, :chat, :language, :action, :type, :request, :at)",
      soci::use(user_id), soci::use(chat_id), soci::use(intent.language), soci::use(intent.action),
      soci::use(intent.request_type, type_ind), soci::use(intent.request_id, request_ind), soci::use(at);
}

std::vector<Intent> BotStore::open_intents() {
  std::vector<Intent> intents;
  soci::rowset<soci::row> rows = db_.session().prepare
                                 << "SELECT id, user_id, chat_id, language, action, request_type, request_id"
                                    " FROM telegram_intents WHERE done_at IS NULL ORDER BY id";
  for (const auto& row : rows) {
    intents.push_back({column_int(row, 0), column_int(row, 1), column_int(row, 2), column_text(row, 3),
                       column_text(row, 4), column_text(row, 5), column_text(row, 6)});
  }
  return intents;
}

void BotStore::finish_intent(long long id, const std::string& request_id, TimePoint now) {
  const std::string at = format_utc(now);
  soci::indicator request_ind = null_if_empty(request_id);
  db_.session() << "UPDATE telegram_intents SET done_at = :at, request_id = :request WHERE id = :id",
      soci::use(at), soci::use(request_id, request_ind), soci::use(id);
}

void BotStore::enqueue(const OutboxItem& item, TimePoint now) {
  const std::string at = format_utc(now);
  long long chat_id = item.chat_id;
  soci::indicator path_ind = null_if_empty(item.file_path), name_ind = null_if_empty(item.file_name);
  db_.session() << "INSERT INTO telegram_outbox (chat_id, method, payload, file_path, file_name, created_at)"
                   " VALUES (:chat, :method, :payload, :path, :name, :at)",
      soci::use(chat_id), soci::use(item.method), soci::use(item.payload),
      soci::use(item.file_path, path_ind), soci::use(item.file_name, name_ind), soci::use(at);
}

std::vector<OutboxItem> BotStore::outbox(std::size_t limit) {
  std::vector<OutboxItem> items;
  soci::rowset<soci::row> rows =
      db_.session().prepare
      << "SELECT id, chat_id, method, payload, file_path, file_name FROM telegram_outbox"
         " ORDER BY id LIMIT " +
             std::to_string(limit);
  for (const auto& row : rows) {
    items.push_back({column_int(row, 0), column_int(row, 1), column_text(row, 2), column_text(row, 3),
                     column_text(row, 4), column_text(row, 5)});
  }
  return items;
}

void BotStore::remove_from_outbox(long long id) {
  db_.session() << "DELETE FROM telegram_outbox WHERE id = :id", soci::use(id);
}

void BotStore::track(const TrackedRequest& r, TimePoint now) {
  const std::string at = format_utc(now);
  long long user_id = r.user_id, chat_id = r.chat_id, extension = r.extension_notified ? 1 : 0;
  db_.session()
      << "INSERT INTO telegram_requests (request_id, user_id, chat_id, language, notified_status,"
         " extension_notified, updated_at) VALUES (:id, :user, :chat, :language, :status, :ext, :at)",
      soci::use(r.request_id), soci::use(user_id), soci::use(chat_id), soci::use(r.language),
      soci::use(r.notified_status), soci::use(extension), soci::use(at);
}

std::vector<TrackedRequest> BotStore::tracked_where(const std::string& condition, long long user_id) {
  std::vector<TrackedRequest> out;
  const std::string sql =
      "SELECT t.request_id, t.user_id, t.chat_id, t.language, t.notified_status, t.extension_notified,"
      " r.type, r.status, r.due_at FROM telegram_requests t JOIN requests r ON r.id = t.request_id WHERE " +
      condition + " ORDER BY r.received_at, t.request_id";
  soci::rowset<soci::row> rows = (db_.session().prepare << sql, soci::use(user_id));
  for (const auto& row : rows) {
    out.push_back({column_text(row, 0), column_int(row, 1), column_int(row, 2), column_text(row, 3),
                   column_text(row, 4), column_int(row, 5) != 0, column_text(row, 6), column_text(row, 7),
                   column_text(row, 8)});
  }
  return out;
}

std::optional<TrackedRequest> BotStore::tracked(const std::string& request_id) {
  std::vector<TrackedRequest> found;
  soci::rowset<soci::row> rows =
      (db_.session().prepare << "SELECT t.request_id, t.user_id, t.chat_id, t.language, t.notified_status,"
                                " t.extension_notified, r.type, r.status, r.due_at FROM telegram_requests t"
                                " JOIN requests r ON r.id = t.request_id WHERE t.request_id = :id",
       soci::use(request_id));
  for (const auto& row : rows) {
    return TrackedRequest{column_text(row, 0), column_int(row, 1),  column_int(row, 2),
                          column_text(row, 3), column_text(row, 4), column_int(row, 5) != 0,
                          column_text(row, 6), column_text(row, 7), column_text(row, 8)};
  }
  return std::nullopt;
}

std::vector<TrackedRequest> BotStore::tracked_for_user(long long user_id) {
  return tracked_where("t.user_id = :user", user_id);
}

std::vector<TrackedRequest> BotStore::awaiting_notification() {
  // The bound value is unused (0 = 0 keeps one query shape for both lists).
  return tracked_where(
      "(t.notified_status <> r.status OR (r.extended_at IS NOT NULL AND t.extension_notified = 0)) AND 0 = "
      ":none",
      0);
}

void BotStore::forget_person(long long user_id) {
  db_.session() << "DELETE FROM telegram_links WHERE user_id = :id", soci::use(user_id);
  db_.session() << "DELETE FROM telegram_chats WHERE user_id = :id", soci::use(user_id);
}

void BotStore::set_notified(const std::string& request_id, const std::string& status, bool extension_notified,
                            TimePoint now) {
  const std::string at = format_utc(now);
  long long extension = extension_notified ? 1 : 0;
  db_.session() << "UPDATE telegram_requests SET notified_status = :status, extension_notified = :ext,"
                   " updated_at = :at WHERE request_id = :id",
      soci::use(status), soci::use(extension), soci::use(at), soci::use(request_id);
}

}  // namespace dsr::telegram

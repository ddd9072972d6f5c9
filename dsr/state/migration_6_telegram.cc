#include "dsr/state/migration_steps.h"

namespace dsr {

// The Telegram bot's state. Telegram user and chat ids need 64 bits. The offset and
// every effect of an update are written in one transaction, and whatever the bot has
// to send waits in the outbox until Telegram has taken it, so a restart neither loses
// nor repeats an update.
std::vector<std::string> migration_6(StoreEngine) {
  return {
      // One row (id 1): the next update id to ask for; every smaller id has been handled.
      "CREATE TABLE IF NOT EXISTS telegram_offset ("
      " id BIGINT NOT NULL PRIMARY KEY,"
      " next_update_id BIGINT NOT NULL)"
      "{TABLE_OPTIONS}",
      // The dialogue with one person (keyed by their proven user id): a request type
      // waiting for confirmation on an inline keyboard, and an email address waiting
      // for its one-time code (kept only as a keyed hash).
      "CREATE TABLE IF NOT EXISTS telegram_chats ("
      " user_id BIGINT NOT NULL PRIMARY KEY,"
      " language VARCHAR(16) NOT NULL,"
      " pending_type VARCHAR(16) NULL,"
      " pending_nonce VARCHAR(32) NULL,"
      " link_email VARCHAR(254) NULL,"
      " code_hash CHAR(64) NULL,"
      " code_expires VARCHAR(20) NULL,"
      " code_attempts BIGINT NOT NULL DEFAULT 0,"
      " updated_at VARCHAR(20) NOT NULL)"
      "{TABLE_OPTIONS}",
      // Email addresses proven by a code typed into the chat of this user id.
      "CREATE TABLE IF NOT EXISTS telegram_links ("
      " user_id BIGINT NOT NULL,"
      " email VARCHAR(254) NOT NULL,"
      " linked_at VARCHAR(20) NOT NULL,"
      " PRIMARY KEY (user_id, email))"
      "{TABLE_OPTIONS}",
      // Confirmed actions that go through the request service (its own transaction):
      // recorded with the update, carried out afterwards, retried after a crash.
      "CREATE TABLE IF NOT EXISTS telegram_intents ("
      " id {AUTOINCREMENT_KEY},"
      " user_id BIGINT NOT NULL,"
      " chat_id BIGINT NOT NULL,"
      " language VARCHAR(16) NOT NULL,"
      " action VARCHAR(16) NOT NULL,"
      " request_type VARCHAR(16) NULL,"
      " request_id VARCHAR(36) NULL,"
      " created_at VARCHAR(20) NOT NULL,"
      " done_at VARCHAR(20) NULL)"
      "{TABLE_OPTIONS}",
      "CREATE INDEX IF NOT EXISTS telegram_intents_open ON telegram_intents (done_at, id)",
      // Bot API calls waiting to be made, in order; a row is deleted once Telegram took it.
      "CREATE TABLE IF NOT EXISTS telegram_outbox ("
      " id {AUTOINCREMENT_KEY},"
      " chat_id BIGINT NOT NULL,"
      " method VARCHAR(32) NOT NULL,"
      " payload TEXT NOT NULL,"
      " file_path TEXT NULL,"
      " file_name VARCHAR(255) NULL,"
      " created_at VARCHAR(20) NOT NULL)"
      "{TABLE_OPTIONS}",
      // Requests filed through the bot: where to tell the person, and the last status
      // they were told about, so each notification goes out exactly once.
      "CREATE TABLE IF NOT EXISTS telegram_requests ("
      " request_id VARCHAR(36) NOT NULL PRIMARY KEY,"
      " user_id BIGINT NOT NULL,"
      " chat_id BIGINT NOT NULL,"
      " language VARCHAR(16) NOT NULL,"
      " notified_status VARCHAR(24) NOT NULL,"
      " extension_notified BIGINT NOT NULL DEFAULT 0,"
      " updated_at VARCHAR(20) NOT NULL)"
      "{TABLE_OPTIONS}",
      "CREATE INDEX IF NOT EXISTS telegram_requests_by_user ON telegram_requests (user_id)",
  };
}

}  // namespace dsr

#include "dsr/state/migration_steps.h"

namespace dsr {

std::vector<std::string> migration_5(StoreEngine) {
  return {
      // One row per mail taken from the mailbox, written in the transaction that stores
      // what became of it, so a message is deleted from the mailbox only once this row
      // exists and a message fetched twice is recognised. message_key is the SHA-256 of
      // the Message-ID (of the whole message when it has none): no addresses, no text.
      "CREATE TABLE IF NOT EXISTS mail_messages ("
      " message_key CHAR(64) NOT NULL PRIMARY KEY,"
      " received_at VARCHAR(20) NOT NULL,"
      " outcome VARCHAR(16) NOT NULL,"
      " request_id VARCHAR(36) NULL,"
      " note TEXT NULL)"
      "{TABLE_OPTIONS}",
      // The one-time code that proves the From address, as an HMAC under the key file;
      // code_hash is NULL until a code has been sent.
      "CREATE TABLE IF NOT EXISTS mail_verifications ("
      " request_id VARCHAR(36) NOT NULL PRIMARY KEY,"
      " code_hash CHAR(64) NULL,"
      " expires_at VARCHAR(20) NULL,"
      " attempts BIGINT NOT NULL DEFAULT 0,"
      " state VARCHAR(16) NOT NULL,"
      " confirmed_at VARCHAR(20) NULL,"
      " FOREIGN KEY (request_id) REFERENCES requests (id))"
      "{TABLE_OPTIONS}",
      // Mails to send, one per request and kind, so a send survives a restart and
      // nothing is sent twice. The text is rendered when sending, from the request.
      "CREATE TABLE IF NOT EXISTS mail_outbox ("
      " id {AUTOINCREMENT_KEY},"
      " request_id VARCHAR(36) NOT NULL,"
      " kind VARCHAR(16) NOT NULL,"
      " created_at VARCHAR(20) NOT NULL,"
      " sent_at VARCHAR(20) NULL,"
      " attempts BIGINT NOT NULL DEFAULT 0,"
      " last_error TEXT NULL,"
      " FOREIGN KEY (request_id) REFERENCES requests (id))"
      "{TABLE_OPTIONS}",
      "CREATE UNIQUE INDEX IF NOT EXISTS mail_outbox_once ON mail_outbox (request_id, kind)",
      "CREATE INDEX IF NOT EXISTS mail_outbox_unsent ON mail_outbox (sent_at, id)",
      // How far the notifier has read request_events.
      "CREATE TABLE IF NOT EXISTS mail_cursor ("
      " name VARCHAR(32) NOT NULL PRIMARY KEY,"
      " last_event_id BIGINT NOT NULL)"
      "{TABLE_OPTIONS}",
  };
}

}  // namespace dsr

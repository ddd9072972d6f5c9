#include "dsr/state/migration_steps.h"

namespace dsr {

std::vector<std::string> migration_4(StoreEngine) {
  return {
      // One row per controller allowed to call the OpenDSR API. The API key is 256
      // random bits, so its plain SHA-256 is a safe lookup key; the key itself is shown
      // once and never stored.
      "CREATE TABLE IF NOT EXISTS opendsr_controllers ("
      " id VARCHAR(64) NOT NULL PRIMARY KEY,"
      " key_hash CHAR(64) NOT NULL,"
      " callback_domain VARCHAR(253) NOT NULL,"
      " created_at VARCHAR(20) NOT NULL,"
      " disabled BIGINT NOT NULL DEFAULT 0)"
      "{TABLE_OPTIONS}",
      "CREATE UNIQUE INDEX IF NOT EXISTS opendsr_controllers_by_key ON opendsr_controllers (key_hash)",
      // A controller's subject_request_id is only unique within that controller, so a
      // foreign id is simply not found. results_link names the download link whose token
      // is derived again from it (see dsr/downloads/links.h), so results_url stays stable.
      "CREATE TABLE IF NOT EXISTS opendsr_requests ("
      " controller_id VARCHAR(64) NOT NULL,"
      " subject_request_id VARCHAR(36) NOT NULL,"
      " request_id VARCHAR(36) NOT NULL,"
      " submitted_time VARCHAR(20) NOT NULL,"
      " received_time VARCHAR(20) NOT NULL,"
      " results_link VARCHAR(64) NULL,"
      " PRIMARY KEY (controller_id, subject_request_id),"
      " FOREIGN KEY (controller_id) REFERENCES opendsr_controllers (id),"
      " FOREIGN KEY (request_id) REFERENCES requests (id))"
      "{TABLE_OPTIONS}",
      "CREATE UNIQUE INDEX IF NOT EXISTS opendsr_requests_by_request ON opendsr_requests (request_id)",
      // The callback outbox: one row per status_callback_url. A delivery compares the
      // request's current OpenDSR status with delivered_status, so callbacks survive a
      // restart and a failed one is retried after next_attempt_at.
      "CREATE TABLE IF NOT EXISTS opendsr_callbacks ("
      " id {AUTOINCREMENT_KEY},"
      " controller_id VARCHAR(64) NOT NULL,"
      " subject_request_id VARCHAR(36) NOT NULL,"
      " url VARCHAR(2048) NOT NULL,"
      " delivered_status VARCHAR(16) NOT NULL,"
      " attempts BIGINT NOT NULL DEFAULT 0,"
      " next_attempt_at VARCHAR(20) NOT NULL,"
      " last_error VARCHAR(255) NULL,"
      " FOREIGN KEY (controller_id, subject_request_id)"
      "  REFERENCES opendsr_requests (controller_id, subject_request_id))"
      "{TABLE_OPTIONS}",
      "CREATE INDEX IF NOT EXISTS opendsr_callbacks_by_request ON opendsr_callbacks (controller_id, subject_request_id)",
      // Download links to a request's export. The token is never stored: token_hash is
      // its SHA-256, and the token is an HMAC of link_id under the subject key (outside
      // the database), so a copy of the database yields no working link.
      "CREATE TABLE IF NOT EXISTS download_links ("
      " link_id CHAR(64) NOT NULL PRIMARY KEY,"
      " token_hash CHAR(64) NOT NULL,"
      " request_id VARCHAR(36) NOT NULL,"
      " created_at VARCHAR(20) NOT NULL,"
      " expires_at VARCHAR(20) NOT NULL,"
      " single_use BIGINT NOT NULL,"
      " used_at VARCHAR(20) NULL,"
      " downloads BIGINT NOT NULL DEFAULT 0,"
      " FOREIGN KEY (request_id) REFERENCES requests (id))"
      "{TABLE_OPTIONS}",
      "CREATE UNIQUE INDEX IF NOT EXISTS download_links_by_token ON download_links (token_hash)",
  };
}

}  // namespace dsr

#include "dsr/state/migration_steps.h"

namespace dsr {

std::vector<std::string> migration_2(StoreEngine) {
  return {
      // Version 1's claims table had no token, so a worker could not tell its own claim
      // from a successor's; nothing ever wrote to it.
      "DROP TABLE IF EXISTS claims",
      // One lease per running request. token names one claim: a worker whose token is
      // gone (taken over after its lease expired or its process died) may not finish.
      "CREATE TABLE IF NOT EXISTS leases ("
      " request_id VARCHAR(36) NOT NULL PRIMARY KEY,"
      " token CHAR(32) NOT NULL,"
      " worker VARCHAR(128) NOT NULL,"
      " host VARCHAR(255) NOT NULL,"
      " pid BIGINT NOT NULL,"
      " lease_until VARCHAR(20) NOT NULL,"
      " claimed_at VARCHAR(20) NOT NULL,"
      " attempt BIGINT NOT NULL,"
      " FOREIGN KEY (request_id) REFERENCES requests (id))"
      "{TABLE_OPTIONS}",
      // Exports on disk, so that they are deleted once their retention has passed.
      "CREATE TABLE IF NOT EXISTS exports ("
      " request_id VARCHAR(36) NOT NULL PRIMARY KEY,"
      " path VARCHAR(1024) NOT NULL,"
      " created_at VARCHAR(20) NOT NULL,"
      " expires_at VARCHAR(20) NOT NULL,"
      " deleted_at VARCHAR(20) NULL,"
      " FOREIGN KEY (request_id) REFERENCES requests (id))"
      "{TABLE_OPTIONS}",
      "CREATE INDEX IF NOT EXISTS exports_by_expiry ON exports (deleted_at, expires_at)",
      // Finished requests whose identity values have been replaced by their pseudonyms.
      "CREATE TABLE IF NOT EXISTS minimised_requests ("
      " request_id VARCHAR(36) NOT NULL PRIMARY KEY,"
      " minimised_at VARCHAR(20) NOT NULL,"
      " FOREIGN KEY (request_id) REFERENCES requests (id))"
      "{TABLE_OPTIONS}",
  };
}

}  // namespace dsr

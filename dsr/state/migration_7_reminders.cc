#include "dsr/state/migration_steps.h"

namespace dsr {

// Deadline reminders and where officers receive them. Officer addresses live in their
// own table rather than a new column of `officers`, so the migration stays a list of
// CREATE ... IF NOT EXISTS statements that both engines can repeat safely.
std::vector<std::string> migration_7(StoreEngine) {
  return {
      // An officer's address for reminders; personal data of the officer, never logged.
      "CREATE TABLE IF NOT EXISTS officer_emails ("
      " name VARCHAR(64) NOT NULL PRIMARY KEY,"
      " email VARCHAR(254) NOT NULL,"
      " updated_at VARCHAR(20) NOT NULL)"
      "{TABLE_OPTIONS}",
      // One row per reminder given: a request, the deadline it was given for (an extension
      // starts the reminders afresh), and the threshold crossed ("due_within_7_days",
      // "due_within_1_day", "overdue"). The primary key makes each reminder happen once,
      // even with several processes sharing the store. mail: "pending" until the officers'
      // mail went out, "sent", or "none" when mail is not configured.
      "CREATE TABLE IF NOT EXISTS deadline_reminders ("
      " request_id VARCHAR(36) NOT NULL,"
      " due_at VARCHAR(20) NOT NULL,"
      " threshold VARCHAR(32) NOT NULL,"
      " created_at VARCHAR(20) NOT NULL,"
      " mail VARCHAR(8) NOT NULL,"
      " PRIMARY KEY (request_id, due_at, threshold))"
      "{TABLE_OPTIONS}",
      "CREATE INDEX IF NOT EXISTS deadline_reminders_by_mail ON deadline_reminders (mail, created_at)",
  };
}

}  // namespace dsr

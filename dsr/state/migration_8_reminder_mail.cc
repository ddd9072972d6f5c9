#include "dsr/state/migration_steps.h"

namespace dsr {

// Who is mailing the reminder digest, until when. Several `dsr serve` processes share
// one store and each runs the reminder job: without this, two of them could read the
// same pending reminders and both mail the officers. One row at most (id 1).
std::vector<std::string> migration_8(StoreEngine) {
  return {
      "CREATE TABLE IF NOT EXISTS reminder_mail_lock ("
      " id BIGINT NOT NULL PRIMARY KEY,"
      " holder VARCHAR(160) NOT NULL,"
      " held_until VARCHAR(20) NOT NULL)"
      "{TABLE_OPTIONS}",
  };
}

}  // namespace dsr

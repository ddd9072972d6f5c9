#pragma once
// What dsr batch does besides running requests: deleting exports whose retention has
// passed, and minimising dsr's own records of finished requests (identity values
// replaced by their pseudonyms), each audited. Both are idempotent and safe to run
// from several workers at once.

#include <cstdint>
#include <string>

#include "dsr/audit/subject_key.h"
#include "dsr/common/result.h"
#include "dsr/common/time.h"
#include "dsr/state/database.h"

namespace dsr {

struct HousekeepingResult {
  std::uint64_t exports_deleted = 0;
  std::uint64_t requests_minimised = 0;
};

// Deletes every export past its expiry (a file already gone counts as deleted).
Result<std::uint64_t> expire_exports(Database& db, const SubjectKey& key, const Clock& clock,
                                     const std::string& actor);

// Minimises requests finished more than `after_days` days ago.
Result<std::uint64_t> minimise_finished_requests(Database& db, const SubjectKey& key, const Clock& clock,
                                                 int after_days, const std::string& actor);

}  // namespace dsr

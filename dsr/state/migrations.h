#pragma once
// Versioned schema of dsr's own store. Each migration is a list of idempotent
// statements (IF NOT EXISTS), so a migration interrupted half-way on MariaDB,
// where DDL is not transactional, can simply be applied again.

#include "dsr/common/result.h"
#include "dsr/state/database.h"

namespace dsr {

// The schema version this binary writes and expects.
int current_schema_version();

// 0 for a store that dsr has never initialised.
Result<int> stored_schema_version(Database& db);

// Applies every migration newer than the stored version. Refuses a store whose
// version is newer than this binary's (never a silent downgrade).
Status migrate(Database& db);

// For every command but `dsr init`: the store must exist at exactly this binary's version.
Status check_schema_version(Database& db);

}  // namespace dsr

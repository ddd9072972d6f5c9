#pragma once
// What every command that touches the store needs: the config, the open store at
// the expected schema version, the subject key, a clock, and the identity rules.

#include <memory>
#include <string>

#include "dsr/audit/subject_key.h"
#include "dsr/common/time.h"
#include "dsr/config/config.h"
#include "dsr/model/identity.h"
#include "dsr/state/database.h"

namespace dsr::cli {

// Exit codes shared by every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

struct Context {
  Config config;
  std::unique_ptr<Database> db;
  std::unique_ptr<SubjectKey> key;
  SystemClock clock;
  IdentityNormaliser identities;
};

StoreConnection store_connection(const Config& config);

// Loads the config, opens the store and checks its schema version, loads the key.
Result<std::unique_ptr<Context>> open_context(const std::string& config_path);

}  // namespace dsr::cli

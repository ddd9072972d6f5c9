#pragma once
// What the officers' web pages and the REST API share: configuration, the store's
// connections, the key (pseudonyms, CSRF tokens), the clock, metrics and log.
// Owned by the server assembly (dsr/app/serve_site.h); only read by handlers, except
// through the thread-safe pool, metrics and log.

#include "connectors/core/registry.h"
#include "dsr/audit/subject_key.h"
#include "dsr/common/time.h"
#include "dsr/config/config.h"
#include "dsr/model/identity.h"
#include "dsr/serve/database_pool.h"
#include "dsr/serve/json_log.h"
#include "dsr/serve/metrics.h"
#include "dsr/serve/options.h"

namespace dsr::web {

struct WebContext {
  const Config& config;
  const serve::ServeOptions& options;
  serve::DatabasePool& pool;
  const SubjectKey& key;
  const Clock& clock;
  const IdentityNormaliser& identities;
  const ConnectorRegistry& registry;
  serve::Metrics& metrics;
  serve::JsonLog& log;
};

}  // namespace dsr::web

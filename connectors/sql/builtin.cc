#include "connectors/core/registry.h"
#include "connectors/sql/settings.h"

namespace dsr {

void register_builtin_connectors(ConnectorRegistry& registry) {
  registry.add("sqlite", sql::make_sqlite_connector);
  registry.add("mysql", sql::make_mysql_connector);
}

}  // namespace dsr

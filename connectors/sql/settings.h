#pragma once
// The "sqlite" and "mysql" connector kinds built from a config's connector object.
//   sqlite: {"path": "shop.sqlite"}  relative to the config file's folder
//   mysql:  {"connection": "db=shop host=127.0.0.1 port=3306 user=dsr password=..."}
// Errors name the connector: connector 'marketing_db': missing "path".

#include <memory>

#include "connectors/core/connector.h"

namespace dsr::sql {

Result<std::unique_ptr<Connector>> make_sqlite_connector(const ConnectorSettings& settings);
Result<std::unique_ptr<Connector>> make_mysql_connector(const ConnectorSettings& settings);

}  // namespace dsr::sql

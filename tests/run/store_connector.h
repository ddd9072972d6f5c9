#pragma once
// A connector of the store's own engine on the test store, so the run suites read and
// erase the same tables on SQLite and on MariaDB.

#include <boost/test/unit_test.hpp>

#include <Poco/JSON/Object.h>

#include <memory>
#include <string>

#include "connectors/core/registry.h"
#include "tests/support/test_store.h"

namespace dsr::test {

inline std::unique_ptr<Connector> connector_on(const TestStore& store, ConnectorRegistry& registry,
                                               const std::string& name) {
  Poco::JSON::Object::Ptr settings = new Poco::JSON::Object;
  const bool sqlite = store.engine() == StoreEngine::sqlite;
  if (sqlite) {
    settings->set("path", store.connection().sqlite_path);
  } else {
    settings->set("connection", store.connection().mysql_connection);
  }
  auto created = registry.create({name, sqlite ? "sqlite" : "mysql", settings, store.folder()});
  BOOST_REQUIRE_MESSAGE(created.ok(), (created.ok() ? "" : created.error()));
  return std::move(created.value());
}

}  // namespace dsr::test

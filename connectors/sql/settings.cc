#include "connectors/sql/settings.h"

#include <Poco/Path.h>

#include <regex>

#include "connectors/sql/mysql_connector.h"
#include "connectors/sql/sqlite_connector.h"

namespace dsr::sql {

namespace {

Result<std::string> required_string(const ConnectorSettings& settings, const std::string& key) {
  const std::string where = "connector '" + settings.name + "': ";
  if (!settings.settings || !settings.settings->has(key)) return fail(where + "missing \"" + key + "\"");
  const Poco::Dynamic::Var value = settings.settings->get(key);
  if (!value.isString()) return fail(where + "\"" + key + "\" must be a string");
  std::string text = value.toString();
  if (text.empty()) return fail(where + "\"" + key + "\" is empty");
  return text;
}

// Whether a SOCI connection string sets one of these options.
bool has_option(const std::string& connection, const std::string& names) {
  return std::regex_search(connection, std::regex("(^|\\s)(" + names + ")\\s*="));
}

}  // namespace

Result<std::unique_ptr<Connector>> make_sqlite_connector(const ConnectorSettings& settings) {
  Result<std::string> path = required_string(settings, "path");
  if (!path) return path.take_error();
  Poco::Path file(*path);
  if (file.isRelative() && !settings.base_directory.empty()) {
    Poco::Path base(settings.base_directory);
    base.makeDirectory();
    file = base.resolve(file);
  }
  return std::unique_ptr<Connector>(std::make_unique<SqliteConnector>(settings.name, file.toString()));
}

Result<std::unique_ptr<Connector>> make_mysql_connector(const ConnectorSettings& settings) {
  Result<std::string> connection = required_string(settings, "connection");
  if (!connection) return connection.take_error();
  // Without a database, information_schema lookups have nothing to look in.
  if (!has_option(*connection, "db|dbname|service")) {
    return fail("connector '" + settings.name + "': \"connection\" names no database (db=...)");
  }
  std::string full = *connection;
  if (!has_option(full, "charset")) full += " charset=utf8mb4";
  // A store that does not answer should fail a run, not hang it for minutes.
  if (!has_option(full, "connect_timeout")) full += " connect_timeout=10";
  return std::unique_ptr<Connector>(std::make_unique<MysqlConnector>(settings.name, full));
}

}  // namespace dsr::sql

#include "connectors/sql/mysql_connector.h"

#include <soci/mysql/soci-mysql.h>

#include "connectors/sql/mysql_cursor.h"
#include "connectors/sql/row_values.h"

namespace dsr::sql {

MysqlConnector::MysqlConnector(std::string name, std::string connection, SqlLimits limits)
    : SqlConnector(std::move(name), SqlEngine::mysql, limits), connection_(std::move(connection)) {}

void MysqlConnector::open(soci::session& session) {
  session.open(soci::mysql, connection_);
  // TIMESTAMP columns then read the same whatever the server's zone.
  session << "SET time_zone = '+00:00'";
}

std::optional<TableInfo> MysqlConnector::read_table(soci::session& session, const std::string& table) {
  std::string name = table;
  soci::rowset<soci::row> rows =
      (session.prepare << "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE FROM information_schema.COLUMNS"
                          " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = :t ORDER BY ORDINAL_POSITION",
       soci::use(name, "t"));
  TableInfo info;
  for (const soci::row& row : rows) {
    info.columns.push_back(
        {read_soci_text(row, 0), mysql_column_kind(read_soci_text(row, 1), read_soci_text(row, 2))});
  }
  if (info.columns.empty()) return std::nullopt;
  return info;
}

bool MysqlConnector::first_in_index(soci::session& session, const std::string& table,
                                    const std::string& column) {
  std::string table_name = table;
  std::string column_name = column;
  long long indexes = 0;
  session << "SELECT COUNT(*) FROM information_schema.STATISTICS"
             " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = :t AND COLUMN_NAME = :c AND SEQ_IN_INDEX = 1",
      soci::use(table_name, "t"), soci::use(column_name, "c"), soci::into(indexes);
  return indexes > 0;
}

std::uint64_t MysqlConnector::count_rows(soci::session& session, const std::string& sql,
                                         const std::vector<BindValue>& values) {
  std::vector<BindValue> bound = values;  // soci::use binds non-const references
  long long total = 0;
  soci::details::prepare_temp_type prepared = (session.prepare << sql);
  for (std::size_t i = 0; i < bound.size(); ++i) {
    std::visit([&](auto& value) { prepared, soci::use(value, value_name(i)); }, bound[i]);
  }
  prepared, soci::into(total);
  soci::statement statement(prepared);
  statement.execute(true);
  return static_cast<std::uint64_t>(total);
}

std::unique_ptr<RowCursor> MysqlConnector::open_cursor(soci::session& session, const FetchPlan& plan,
                                                       std::vector<BindValue> values, std::size_t page_rows) {
  return std::make_unique<MysqlCursor>(session, plan, std::move(values), page_rows);
}

bool MysqlConnector::connection_lost(const std::exception& error) const {
  const auto* soci_error = dynamic_cast<const soci::soci_error*>(&error);
  return soci_error && soci_error->get_error_category() == soci::soci_error::connection_error;
}

}  // namespace dsr::sql

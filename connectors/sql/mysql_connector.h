#pragma once
// Kind "mysql": a MySQL or MariaDB database given by a SOCI connection string.

#include <string>

#include "connectors/sql/sql_connector.h"

namespace dsr::sql {

class MysqlConnector : public SqlConnector {
 public:
  // connection: a SOCI MySQL connection string that names the database (db=...).
  MysqlConnector(std::string name, std::string connection, SqlLimits limits = {});

 protected:
  void open(soci::session& session) override;
  std::optional<TableInfo> read_table(soci::session& session, const std::string& table) override;
  bool first_in_index(soci::session& session, const std::string& table, const std::string& column) override;
  std::uint64_t count_rows(soci::session& session, const std::string& sql,
                           const std::vector<BindValue>& values) override;
  std::unique_ptr<RowCursor> open_cursor(soci::session& session, const FetchPlan& plan,
                                         std::vector<BindValue> values, std::size_t page_rows) override;
  void begin_write(soci::session& session) override;
  void commit_write(soci::session& session) override;
  void rollback_write(soci::session& session) override;
  std::vector<KeyedRow> read_for_write(soci::session& session, const FetchPlan& plan,
                                       const std::vector<BindValue>& values, const Row* after, std::size_t limit,
                                       bool lock) override;
  std::unique_ptr<WriteStatement> prepare_write(soci::session& session, const std::string& sql) override;
  bool pages() const override { return true; }
  bool writes_in_autocommit() const override { return true; }
  bool connection_lost(const std::exception& error) const override;

 private:
  std::string connection_;
};

}  // namespace dsr::sql

#pragma once
// Kind "sqlite": an existing SQLite file, opened read-write and never created.

#include <string>

#include "connectors/sql/sql_connector.h"

namespace dsr::sql {

class SqliteConnector : public SqlConnector {
 public:
  // path: absolute, or relative to the working directory.
  SqliteConnector(std::string name, std::string path, SqlLimits limits = {});

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
  bool pages() const override { return false; }

 private:
  std::string path_;
};

}  // namespace dsr::sql

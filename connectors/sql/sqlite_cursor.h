#pragma once
// One chunk's rows from SQLite. SQLite hands out one row per step, so a single
// statement streams however many rows match, without paging.

#include <vector>

#include "connectors/sql/cursor.h"
#include "connectors/sql/sqlite_statement.h"

namespace dsr::sql {

class SqliteCursor : public RowCursor {
 public:
  SqliteCursor(sqlite_api::sqlite3* db, const std::string& sql, const std::vector<BindValue>& values,
               RowLayout layout);
  bool next() override;

 private:
  SqliteStatement statement_;
  RowLayout layout_;
};

}  // namespace dsr::sql

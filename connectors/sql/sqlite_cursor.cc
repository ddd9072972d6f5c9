#include "connectors/sql/sqlite_cursor.h"

#include "connectors/sql/query.h"

namespace dsr::sql {

SqliteCursor::SqliteCursor(sqlite_api::sqlite3* db, const std::string& sql,
                           const std::vector<BindValue>& values, RowLayout layout)
    : statement_(db, sql), layout_(std::move(layout)) {
  for (std::size_t i = 0; i < values.size(); ++i) statement_.bind(value_name(i), values[i]);
}

bool SqliteCursor::next() {
  if (!statement_.step()) return false;
  row_.resize(layout_.field_count);
  for (std::size_t i = 0; i < layout_.field_count; ++i) row_[i] = statement_.column(static_cast<int>(i));
  key_.resize(layout_.key_columns.size());
  for (std::size_t i = 0; i < layout_.key_columns.size(); ++i) {
    key_[i] = statement_.column(static_cast<int>(layout_.key_columns[i]));
  }
  return true;
}

}  // namespace dsr::sql

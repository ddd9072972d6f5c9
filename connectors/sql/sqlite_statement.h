#pragma once
// A prepared SQLite statement driven through the C API on SOCI's connection.
// SOCI 4.0 reads an SQLite column by its declared type: it turns 'abc' in a BIGINT
// column into 0 and throws on a DATETIME column that holds other text. SQLite gives
// every value its own type, and the C API reports exactly that.

#include <soci/soci.h>

#include <cstdint>
#include <string>

#include "connectors/sql/bind_values.h"
#include "dsr/common/value.h"

namespace sqlite_api {
struct sqlite3;
struct sqlite3_stmt;
}  // namespace sqlite_api

namespace dsr::sql {

// The connection under a session opened with soci::sqlite3.
sqlite_api::sqlite3* native_sqlite(soci::session& session);

// Failures throw std::runtime_error with SQLite's message ("no such table: x").
class SqliteStatement {
 public:
  SqliteStatement(sqlite_api::sqlite3* db, const std::string& sql);
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  // name without the leading ':'.
  void bind(const std::string& name, const BindValue& value);
  void bind_text(const std::string& name, const std::string& text);
  // Any Value: bool as 0/1, NULL as NULL (for keys read back and assigned values).
  void bind_value(const std::string& name, const Value& value);
  // Makes the statement runnable again; bindings stay until rebound.
  void reset();
  // Rows changed by the last INSERT, UPDATE or DELETE on this connection.
  std::uint64_t changes() const;
  // True when a row is available.
  bool step();
  int column_count() const;
  // Integers as int64, REAL as double, TEXT as string, BLOB as lower-case hex, NULL.
  Value column(int index) const;

 private:
  [[noreturn]] void raise() const;
  int parameter(const std::string& name) const;

  sqlite_api::sqlite3* db_;
  sqlite_api::sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace dsr::sql

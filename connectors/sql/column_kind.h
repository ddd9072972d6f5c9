#pragma once
// What a store says about a column's type, reduced to what decides how dsr reads,
// orders and binds it.

#include <string_view>

namespace dsr::sql {

enum class ColumnKind {
  unknown,           // not looked up (the store could not be reached)
  dynamic,           // SQLite: every value carries its own type
  integer,           // MySQL TINYINT..BIGINT
  unsigned_integer,  // MySQL ... UNSIGNED
  floating,          // MySQL FLOAT, DOUBLE, DECIMAL
  text,              // MySQL CHAR, VARCHAR, TEXT, ENUM, SET, JSON
  binary,            // MySQL BINARY, VARBINARY, BLOB: returned as lower-case hex
  datetime,          // MySQL DATE, DATETIME, TIMESTAMP
  time,              // MySQL TIME
  year,              // MySQL YEAR
  bit,               // MySQL BIT
  geometry,          // MySQL spatial types: returned as WKT
  other,             // anything else (MariaDB UUID, INET6, ...): read as text
};

// From information_schema.columns: DATA_TYPE and COLUMN_TYPE (which says "unsigned").
ColumnKind mysql_column_kind(std::string_view data_type, std::string_view column_type);

}  // namespace dsr::sql

#pragma once
// What a store says about a table: its columns and their kinds. Read once per
// collection and connector, for check() and to pick per-column SQL (dialect.h).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/sql/column_kind.h"

namespace dsr::sql {

struct ColumnInfo {
  std::string name;  // as the store spells it
  ColumnKind kind = ColumnKind::unknown;
  std::string collation;  // MySQL's COLLATION_NAME for text columns; empty otherwise
};

struct TableInfo {
  std::vector<ColumnInfo> columns;

  // Column names are case-insensitive on both engines (ASCII only, as identifiers are).
  const ColumnInfo* column(std::string_view name) const;
};

}  // namespace dsr::sql

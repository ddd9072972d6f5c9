#include "connectors/sql/column_kind.h"

#include <string>

#include "dsr/common/text.h"

namespace dsr::sql {

ColumnKind mysql_column_kind(std::string_view data_type, std::string_view column_type) {
  const std::string type = to_lower_ascii(data_type);
  const auto is = [&type](std::initializer_list<std::string_view> names) {
    for (std::string_view name : names) {
      if (type == name) return true;
    }
    return false;
  };
  if (is({"tinyint", "smallint", "mediumint", "int", "integer", "bigint"})) {
    return to_lower_ascii(column_type).find("unsigned") != std::string::npos ? ColumnKind::unsigned_integer
                                                                             : ColumnKind::integer;
  }
  if (is({"float", "double", "real", "decimal", "numeric"})) return ColumnKind::floating;
  if (is({"char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set", "json"})) {
    return ColumnKind::text;
  }
  if (is({"binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob"})) return ColumnKind::binary;
  if (is({"date", "datetime", "timestamp"})) return ColumnKind::datetime;
  if (type == "time") return ColumnKind::time;
  if (type == "year") return ColumnKind::year;
  if (type == "bit") return ColumnKind::bit;
  if (is({"geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon",
          "geometrycollection"})) {
    return ColumnKind::geometry;
  }
  return ColumnKind::other;
}

}  // namespace dsr::sql

#include "connectors/sql/catalog.h"

#include "dsr/common/text.h"

namespace dsr::sql {

const ColumnInfo* TableInfo::column(std::string_view name) const {
  const std::string wanted = to_lower_ascii(name);
  for (const ColumnInfo& info : columns) {
    if (to_lower_ascii(info.name) == wanted) return &info;
  }
  return nullptr;
}

}  // namespace dsr::sql

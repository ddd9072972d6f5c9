#include "connectors/sql/row_values.h"

#include <cstdint>
#include <cstdio>
#include <limits>
#include <stdexcept>

#include "dsr/common/crypto.h"

namespace dsr::sql {

std::string format_datetime(const std::tm& time) {
  if (time.tm_year + 1900 < 1 || time.tm_mon < 0 || time.tm_mday < 1) return "0000-00-00 00:00:00";
  char buffer[80];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d %02d:%02d:%02d", time.tm_year + 1900, time.tm_mon + 1,
                time.tm_mday, time.tm_hour, time.tm_min, time.tm_sec);
  return buffer;
}

Value read_soci_value(const soci::row& row, std::size_t index, ColumnKind kind) {
  if (row.get_indicator(index) == soci::i_null) return std::monostate{};
  switch (row.get_properties(index).get_data_type()) {
    case soci::dt_string:
    case soci::dt_xml: {
      std::string text = row.get<std::string>(index);
      // SOCI 4.0 reports BINARY, VARBINARY and BLOB columns as strings.
      if (kind == ColumnKind::binary) return to_hex(text);
      return text;
    }
    case soci::dt_blob:
      // Not produced by SOCI 4.0's MySQL backend; reading it needs a soci::blob.
      throw std::runtime_error("column " + row.get_properties(index).get_name() +
                               ": unsupported binary type");
    case soci::dt_date:
      return format_datetime(row.get<std::tm>(index));
    case soci::dt_double:
      return row.get<double>(index);
    case soci::dt_integer:
      return static_cast<std::int64_t>(row.get<int>(index));
    case soci::dt_long_long:
      return static_cast<std::int64_t>(row.get<long long>(index));
    case soci::dt_unsigned_long_long: {
      const unsigned long long number = row.get<unsigned long long>(index);
      // Above int64 an exact decimal text beats a rounded double.
      if (number > static_cast<unsigned long long>(std::numeric_limits<std::int64_t>::max())) {
        return std::to_string(number);
      }
      return static_cast<std::int64_t>(number);
    }
  }
  return row.get<std::string>(index);
}

std::string read_soci_text(const soci::row& row, std::size_t index) {
  const Value value = read_soci_value(row, index, ColumnKind::text);
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  if (const auto* number = std::get_if<std::int64_t>(&value)) return std::to_string(*number);
  if (const auto* real = std::get_if<double>(&value)) return std::to_string(*real);
  return "";
}

}  // namespace dsr::sql

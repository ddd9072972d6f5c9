#pragma once
// Column values read into dsr's Value, keeping their type: integers as int64,
// floating point as double, text as string, NULL as monostate. Dates and times
// become "YYYY-MM-DD HH:MM:SS" text; binary data (BLOB, VARBINARY) becomes
// lower-case hex text, as JSON has no bytes and a raw byte string is no UTF-8.

#include <soci/soci.h>

#include <ctime>
#include <string>

#include "connectors/sql/column_kind.h"
#include "dsr/common/value.h"

namespace dsr::sql {

// A column of a MySQL row read through SOCI; kind says which text is really bytes.
Value read_soci_value(const soci::row& row, std::size_t index, ColumnKind kind);

// "YYYY-MM-DD HH:MM:SS"; MySQL's zero date comes out as "0000-00-00 00:00:00".
std::string format_datetime(const std::tm& time);

// A column as text whatever type SOCI reports (for catalog queries).
std::string read_soci_text(const soci::row& row, std::size_t index);

}  // namespace dsr::sql

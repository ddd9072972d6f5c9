#pragma once
// Every row of a fixture store as the engine's own SQL literals (SQLite quote(),
// MariaDB QUOTE()), so that two snapshots compare byte for byte and tell 42 from '42'.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dsr/state/database.h"

namespace dsr::erasure_golden {

struct TableRows {
  std::vector<std::string> columns;
  std::map<std::string, std::vector<std::string>> rows;  // first column's value as text -> literal per column
};

using StoreSnapshot = std::map<std::string, TableRows>;  // table -> rows

// Adds every table of db to snapshot; throws when a table is already there (table
// names must be unique across a scenario's stores) or its first column is not unique.
void add_tables(Database& db, StoreSnapshot& snapshot);

// How the engine writes value as a literal; nullopt is NULL.
std::string sql_literal(Database& db, const std::optional<std::string>& value);

// Differences between two snapshots, one line each; empty when equal.
std::vector<std::string> differences(const StoreSnapshot& expected, const StoreSnapshot& actual);

}  // namespace dsr::erasure_golden

#pragma once
// Statement text for a fetch or a count. Every value is a named placeholder
// (:v0, :v1, ... for match values, :k0, ... for the key a page resumes after);
// identifiers arrive quoted (dialect.h).

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "connectors/sql/dialect.h"

namespace dsr::sql {

// The name bound to the i-th match value of a chunk ("v0") and to the i-th key column ("k0").
std::string value_name(std::size_t index);
std::string key_name(std::size_t index);

struct SelectStatement {
  std::string table;
  std::vector<std::string> columns;  // select list: the step's fields, then key columns not among them
  MatchExpression match;
  std::size_t value_count = 0;
  std::vector<std::string> key_order;  // ORDER BY, and the left side of the resume condition
  std::vector<ParamForm> key_forms;
  bool after_key = false;  // adds "AND (<key>) > (:k0, ...)"
  std::optional<std::size_t> limit;
};

std::string select_sql(const SelectStatement& statement);

// SELECT COUNT(*) with the same WHERE as select_sql() without a key condition.
std::string count_sql(const std::string& table, const MatchExpression& match, std::size_t value_count);

}  // namespace dsr::sql

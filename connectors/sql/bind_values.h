#pragma once
// Match values as they are bound: per StoredAs, as a 64-bit integer or as text.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "connectors/core/connector.h"

namespace dsr::sql {

// long long rather than std::int64_t: SOCI's exchange types are spelled that way.
using BindValue = std::variant<long long, std::string>;

// The values of a match converted for binding, in their first order, without
// duplicates (so that no row can match twice across chunks). A value that cannot be
// stored that way (text that is not a decimal integer for StoredAs::integer, NULL,
// a number for a text column that is not an integer) is left out: it matches nothing.
std::vector<BindValue> bind_values(const MatchSpec& match);

// The chunks a match is sent in, at most chunk_size values each.
std::vector<std::vector<BindValue>> chunked(std::vector<BindValue> values, std::size_t chunk_size);

// A decimal integer with an optional '-' or '+' and nothing else, within int64.
std::optional<long long> parse_integer(std::string_view text);

}  // namespace dsr::sql

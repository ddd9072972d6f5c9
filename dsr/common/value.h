#pragma once
// A value read from or written to a store, with its type kept so that exports
// can write JSON numbers as numbers and NULL as null.

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace dsr {

using Value = std::variant<std::monostate, bool, std::int64_t, double, std::string>;
using Row = std::vector<Value>;

inline bool is_null(const Value& v) { return std::holds_alternative<std::monostate>(v); }

}  // namespace dsr

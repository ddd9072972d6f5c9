#include "connectors/sql/bind_values.h"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <set>

namespace dsr::sql {

namespace {

std::optional<BindValue> as_bound(const Value& value, StoredAs stored_as) {
  if (stored_as == StoredAs::integer) {
    if (const auto* number = std::get_if<std::int64_t>(&value))
      return BindValue(static_cast<long long>(*number));
    if (const auto* text = std::get_if<std::string>(&value)) {
      if (auto number = parse_integer(*text)) return BindValue(*number);
    }
    return std::nullopt;
  }
  if (const auto* text = std::get_if<std::string>(&value)) return BindValue(*text);
  if (const auto* number = std::get_if<std::int64_t>(&value)) return BindValue(std::to_string(*number));
  return std::nullopt;
}

}  // namespace

std::optional<long long> parse_integer(std::string_view text) {
  // from_chars takes a leading '-' but not '+'.
  if (!text.empty() && text.front() == '+') {
    text.remove_prefix(1);
    if (text.empty() || text.front() == '-') return std::nullopt;
  }
  long long number = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, number);
  if (error != std::errc() || stop != end) return std::nullopt;
  return number;
}

std::vector<BindValue> bind_values(const MatchSpec& match) {
  std::vector<BindValue> bound;
  std::set<BindValue> seen;
  for (const Value& value : match.values) {
    std::optional<BindValue> converted = as_bound(value, match.stored_as);
    if (converted && seen.insert(*converted).second) bound.push_back(std::move(*converted));
  }
  return bound;
}

std::vector<std::vector<BindValue>> chunked(std::vector<BindValue> values, std::size_t chunk_size) {
  std::vector<std::vector<BindValue>> chunks;
  if (chunk_size == 0) chunk_size = 1;
  for (std::size_t start = 0; start < values.size(); start += chunk_size) {
    const std::size_t stop = std::min(values.size(), start + chunk_size);
    chunks.emplace_back(std::make_move_iterator(values.begin() + static_cast<std::ptrdiff_t>(start)),
                        std::make_move_iterator(values.begin() + static_cast<std::ptrdiff_t>(stop)));
  }
  return chunks;
}

}  // namespace dsr::sql

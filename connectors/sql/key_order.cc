#include "connectors/sql/key_order.h"

#include <algorithm>

namespace dsr::sql {

namespace {

int rank(const Value& v) {
  if (std::holds_alternative<std::monostate>(v)) return 0;
  if (std::holds_alternative<std::string>(v)) return 2;
  return 1;  // bool, integer, double
}

template <typename T>
int three_way(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

// long double holds every int64 exactly on the platforms dsr builds for (x86-64,
// aarch64), so an integer and a double compare by value.
long double as_number(const Value& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<long double>(*i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  return std::get<bool>(v) ? 1.0L : 0.0L;
}

}  // namespace

int compare_values(const Value& a, const Value& b) {
  const int ra = rank(a);
  const int rb = rank(b);
  if (ra != rb) return three_way(ra, rb);
  if (ra == 0) return 0;
  if (ra == 2) return three_way(std::get<std::string>(a), std::get<std::string>(b));  // unsigned bytes
  const auto* ia = std::get_if<std::int64_t>(&a);
  const auto* ib = std::get_if<std::int64_t>(&b);
  if (ia && ib) return three_way(*ia, *ib);
  return three_way(as_number(a), as_number(b));
}

int compare_keys(const Row& a, const Row& b) {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (int c = compare_values(a[i], b[i]); c != 0) return c;
  }
  return three_way(a.size(), b.size());
}

bool has_null(const Row& key) {
  return std::any_of(key.begin(), key.end(), [](const Value& v) { return is_null(v); });
}

}  // namespace dsr::sql

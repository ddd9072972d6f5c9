#pragma once
// The order of primary-key values on the client, for merging the sorted streams of
// several chunks. dialect.h makes each engine's ORDER BY agree with it: NULL first,
// then numbers by value, then text (and hex-encoded binaries) by bytes.

#include "dsr/common/value.h"

namespace dsr::sql {

// <0, 0, >0.
int compare_values(const Value& a, const Value& b);
int compare_keys(const Row& a, const Row& b);

bool has_null(const Row& key);

}  // namespace dsr::sql

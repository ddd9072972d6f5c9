#pragma once
// RFC 3339 date-times as controllers send them ("2026-11-29T08:00:00Z",
// "2026-11-29T09:00:00.123+01:00"), which dsr's own parse_utc (whole seconds, "Z" only)
// does not take. Fractions are dropped; a leap second counts as :59.

#include <optional>
#include <string>

#include "dsr/common/time.h"

namespace dsr::opendsr {

// std::nullopt for anything that is not an RFC 3339 date-time or names an impossible date.
std::optional<TimePoint> parse_rfc3339(const std::string& text);

}  // namespace dsr::opendsr

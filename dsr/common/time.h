#pragma once
// All timestamps in dsr are UTC, stored and printed as RFC 3339 with a "Z"
// suffix and whole seconds ("2026-11-29T06:31:04Z"), so text order is time order.

#include <chrono>
#include <string>
#include <string_view>

#include "dsr/common/result.h"

namespace dsr {

using TimePoint = std::chrono::sys_seconds;

std::string format_utc(TimePoint t);

// Accepts "YYYY-MM-DDTHH:MM:SSZ" and "YYYY-MM-DD" (midnight UTC).
Result<TimePoint> parse_utc(std::string_view text);

// Adds calendar months, clamping the day to the target month's last day
// (31 January + 1 month = 28 or 29 February), as deadlines in months are read.
TimePoint add_months(TimePoint t, int months);
TimePoint add_days(TimePoint t, int days);

// The source of "now"; tests substitute a fixed one.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

class SystemClock : public Clock {
 public:
  TimePoint now() const override;
};

class FixedClock : public Clock {
 public:
  explicit FixedClock(TimePoint t) : t_(t) {}
  TimePoint now() const override { return t_; }
  void set(TimePoint t) { t_ = t; }

 private:
  TimePoint t_;
};

}  // namespace dsr

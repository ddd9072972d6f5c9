#include "dsr/common/time.h"

#include <charconv>
#include <cstdio>

namespace dsr {

using namespace std::chrono;

std::string format_utc(TimePoint t) {
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{t - day};
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02ld:%02ld:%02lldZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                static_cast<long long>(hms.seconds().count()));
  return buffer;
}

namespace {

bool read_number(std::string_view text, std::size_t pos, std::size_t width, int& out) {
  if (pos + width > text.size()) return false;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  std::from_chars(text.data() + pos, text.data() + pos + width, out);
  return true;
}

}  // namespace

Result<TimePoint> parse_utc(std::string_view text) {
  const std::string expected = "expected a UTC time like 2026-01-31T12:00:00Z or a date like 2026-01-31";
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!read_number(text, 0, 4, y) || text.size() < 10 || text[4] != '-' || !read_number(text, 5, 2, mo) ||
      text[7] != '-' || !read_number(text, 8, 2, d)) {
    return fail(expected);
  }
  if (text.size() != 10) {
    if (text.size() != 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != 'Z' ||
        !read_number(text, 11, 2, h) || !read_number(text, 14, 2, mi) || !read_number(text, 17, 2, s)) {
      return fail(expected);
    }
  }
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 59) return fail(expected + " (no such date or time)");
  return TimePoint{sys_days{ymd}} + hours{h} + minutes{mi} + seconds{s};
}

TimePoint add_months(TimePoint t, int count) {
  const auto day_point = floor<days>(t);
  const auto time_of_day = t - day_point;
  year_month_day ymd{day_point};
  year_month_day moved = ymd + months{count};
  if (!moved.ok()) moved = moved.year() / moved.month() / last;
  return TimePoint{sys_days{moved}} + time_of_day;
}

TimePoint add_days(TimePoint t, int count) { return t + days{count}; }

TimePoint SystemClock::now() const { return floor<seconds>(system_clock::now()); }

}  // namespace dsr

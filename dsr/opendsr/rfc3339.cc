#include "dsr/opendsr/rfc3339.h"

#include <algorithm>
#include <regex>

namespace dsr::opendsr {

std::optional<TimePoint> parse_rfc3339(const std::string& text) {
  static const std::regex shape(R"(^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|([+-])(\d{2}):(\d{2}))$)");
  std::smatch m;
  if (!std::regex_match(text, m, shape)) return std::nullopt;
  const auto number = [&m](int i) { return std::stoi(m[i].str()); };
  const std::chrono::year_month_day day{std::chrono::year{number(1)}, std::chrono::month{static_cast<unsigned>(number(2))},
                                        std::chrono::day{static_cast<unsigned>(number(3))}};
  if (!day.ok() || number(4) > 23 || number(5) > 59 || number(6) > 60) return std::nullopt;
  TimePoint t = std::chrono::sys_days{day} + std::chrono::hours{number(4)} + std::chrono::minutes{number(5)} +
                std::chrono::seconds{std::min(number(6), 59)};
  if (m[9].matched) {
    if (number(10) > 23 || number(11) > 59) return std::nullopt;
    const auto offset = std::chrono::hours{number(10)} + std::chrono::minutes{number(11)};
    t = m[9].str() == "+" ? t - offset : t + offset;
  }
  return t;
}

}  // namespace dsr::opendsr

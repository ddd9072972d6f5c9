#include "tests/telegram/call_matchers.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>

namespace dsr::test {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

bool is_prompt(const Call& call) {
  return call.method == "sendMessage" && call.answered == 200 && !call.buttons.empty();
}

CallMatch text_with(const std::string& part) {
  return [part](const Call& c) { return c.method == "sendMessage" && contains(c.text, part); };
}

std::size_t count_sent(const std::vector<Call>& calls, const CallMatch& match) {
  return static_cast<std::size_t>(std::count_if(calls.begin(), calls.end(), [&](const Call& c) {
    return c.answered == 200 && c.method != "getUpdates" && match(c);
  }));
}

std::function<bool(const std::vector<Call>&)> sent(CallMatch match, std::size_t times) {
  return [match = std::move(match), times](const std::vector<Call>& calls) {
    return count_sent(calls, match) >= times;
  };
}

std::string confirm_button(const std::vector<Call>& calls) {
  for (auto it = calls.rbegin(); it != calls.rend(); ++it) {
    if (is_prompt(*it) && it->buttons.front().rfind("c:", 0) == 0) return it->buttons.front();
  }
  BOOST_FAIL("no confirmation keyboard was sent");
  return "";
}

}  // namespace dsr::test

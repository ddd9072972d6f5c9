#pragma once
// Questions the Telegram tests ask of what the bot sent to the local Bot API server.

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "tests/telegram/bot_world.h"

namespace dsr::test {

using CallMatch = std::function<bool(const Call&)>;

bool contains(const std::string& text, const std::string& part);

// A message the server accepted that carries an inline keyboard.
bool is_prompt(const Call& call);

// A sendMessage whose text contains `part`.
CallMatch text_with(const std::string& part);

// Accepted calls the bot made (polls aside) that match.
std::size_t count_sent(const std::vector<Call>& calls, const CallMatch& match);

// A condition for waiting: at least `times` such calls.
std::function<bool(const std::vector<Call>&)> sent(CallMatch match, std::size_t times = 1);

// The "file it" button of the latest confirmation keyboard; fails the test when none was sent.
std::string confirm_button(const std::vector<Call>& calls);

}  // namespace dsr::test

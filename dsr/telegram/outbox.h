#pragma once
// Building the Bot API calls that wait in the outbox, and sending them.

#include <Poco/JSON/Array.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "dsr/telegram/bot_api.h"
#include "dsr/telegram/bot_store.h"

namespace dsr::telegram {

using LogFn = std::function<void(const std::string&)>;

// One row of an inline keyboard: (button text, callback data of at most 64 bytes).
using KeyboardRow = std::vector<std::pair<std::string, std::string>>;

// sendMessage; the text is cut to Telegram's 4096 characters on a UTF-8 boundary.
OutboxItem text_message(long long chat_id, const std::string& text,
                        const std::vector<KeyboardRow>& keyboard = {});
OutboxItem callback_answer(long long chat_id, const std::string& callback_query_id, const std::string& text);
// sendDocument with protect_content, so the file cannot be forwarded or saved from the chat.
OutboxItem protected_document(long long chat_id, const std::string& path, const std::string& file_name,
                              const std::string& caption);

// Sends what waits in the outbox, oldest first; each item is removed once Telegram took
// it, or refused it for good (a 4xx such as a blocked bot: logged, dropped). A transient
// failure stops the pass and keeps the item for the next. Returns how many were sent.
Result<std::size_t> flush_outbox(Database& db, BotApi& api, const LogFn& log);

}  // namespace dsr::telegram

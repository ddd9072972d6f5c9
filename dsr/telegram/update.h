#pragma once
// One Telegram update, read defensively: every field the bot uses is checked for
// presence, type and size, and an update that fails is ignored by the caller with a
// reason that holds no personal data (never a text, a name or an id of a person).

#include <Poco/JSON/Object.h>

#include <optional>
#include <string>

#include "dsr/common/result.h"

namespace dsr::telegram {

// Texts longer than this are refused; Telegram's own limit is 4096 characters.
inline constexpr std::size_t kMaxTextBytes = 4096 * 4;

struct Sender {
  long long id = 0;  // the proven identity, when it comes from a private chat
  bool is_bot = false;
  std::string language_code;  // IETF tag, may be empty
};

struct IncomingMessage {
  long long message_id = 0;
  Sender from;
  long long chat_id = 0;
  std::string chat_type;   // private | group | supergroup | channel
  std::string text;        // empty for messages without text
  bool forwarded = false;  // forward_origin, forward_from, forward_sender_name, forward_date ...
};

struct CallbackQuery {
  std::string id;
  Sender from;
  long long chat_id = 0;  // of the message carrying the keyboard; 0 when unknown
  std::string chat_type;
  std::string data;
};

struct Update {
  long long update_id = 0;
  std::optional<IncomingMessage> message;
  std::optional<CallbackQuery> callback;
  // Neither: an update kind the bot does not handle (edited messages, ...).
};

// The update_id alone, for skipping an update whose body is otherwise unusable.
std::optional<long long> update_id_of(const Poco::JSON::Object::Ptr& object);

// Reads an update. An error names what is missing or wrong ("message.from.id: missing").
Result<Update> read_update(const Poco::JSON::Object::Ptr& object);

}  // namespace dsr::telegram

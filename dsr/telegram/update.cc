#include "dsr/telegram/update.h"

#include "dsr/common/text.h"

namespace dsr::telegram {

namespace {

using Poco::JSON::Object;

// Reads fields of one JSON object, naming the place of the first problem.
class Fields {
 public:
  Fields(Object::Ptr object, std::string place) : object_(std::move(object)), place_(std::move(place)) {}

  Result<long long> integer(const std::string& name) const {
    if (!object_->has(name)) return fail(place_ + name + ": missing");
    const auto& value = object_->get(name);
    if (!value.isInteger()) return fail(place_ + name + ": not an integer");
    return value.convert<long long>();
  }

  Result<std::string> text(const std::string& name, bool required, std::size_t limit) const {
    if (!object_->has(name) || object_->get(name).isEmpty()) {
      if (required) return fail(place_ + name + ": missing");
      return std::string();
    }
    const auto& value = object_->get(name);
    if (!value.isString()) return fail(place_ + name + ": not a string");
    std::string s = value.convert<std::string>();
    if (s.size() > limit) return fail(place_ + name + ": longer than " + std::to_string(limit) + " bytes");
    if (!is_valid_utf8(s)) return fail(place_ + name + ": not valid UTF-8");
    return s;
  }

  Result<Object::Ptr> object(const std::string& name) const {
    if (!object_->has(name)) return fail(place_ + name + ": missing");
    auto child = object_->getObject(name);
    if (!child) return fail(place_ + name + ": not an object");
    return child;
  }

  bool has(const std::string& name) const { return object_->has(name); }

 private:
  Object::Ptr object_;
  std::string place_;
};

Result<Sender> read_sender(const Object::Ptr& object, const std::string& place) {
  Fields f(object, place);
  Sender sender;
  auto id = f.integer("id");
  if (!id) return id.take_error();
  if (*id <= 0) return fail(place + "id: not a positive user id");
  sender.id = *id;
  sender.is_bot =
      object->has("is_bot") && object->get("is_bot").isBoolean() && object->getValue<bool>("is_bot");
  auto language = f.text("language_code", false, 35);
  if (!language) return language.take_error();
  sender.language_code = *language;
  return sender;
}

Result<IncomingMessage> read_message(const Object::Ptr& object) {
  Fields f(object, "message.");
  IncomingMessage message;
  auto message_id = f.integer("message_id");
  if (!message_id) return message_id.take_error();
  message.message_id = *message_id;
  auto from = f.object("from");
  if (!from) return from.take_error();
  auto sender = read_sender(*from, "message.from.");
  if (!sender) return sender.take_error();
  message.from = *sender;
  auto chat = f.object("chat");
  if (!chat) return chat.take_error();
  Fields c(*chat, "message.chat.");
  auto chat_id = c.integer("id");
  if (!chat_id) return chat_id.take_error();
  message.chat_id = *chat_id;
  auto chat_type = c.text("type", true, 32);
  if (!chat_type) return chat_type.take_error();
  message.chat_type = *chat_type;
  auto text = f.text("text", false, kMaxTextBytes);
  if (!text) return text.take_error();
  message.text = *text;
  for (const char* key : {"forward_origin", "forward_from", "forward_from_chat", "forward_sender_name",
                          "forward_date", "forward_from_message_id", "is_automatic_forward"}) {
    if (f.has(key)) message.forwarded = true;
  }
  return message;
}

Result<CallbackQuery> read_callback(const Object::Ptr& object) {
  Fields f(object, "callback_query.");
  CallbackQuery callback;
  auto id = f.text("id", true, 64);
  if (!id) return id.take_error();
  callback.id = *id;
  auto from = f.object("from");
  if (!from) return from.take_error();
  auto sender = read_sender(*from, "callback_query.from.");
  if (!sender) return sender.take_error();
  callback.from = *sender;
  auto data = f.text("data", false, 64);
  if (!data) return data.take_error();
  callback.data = *data;
  if (f.has("message")) {
    auto message = f.object("message");
    if (!message) return message.take_error();
    auto chat = Fields(*message, "callback_query.message.").object("chat");
    if (!chat) return chat.take_error();
    Fields c(*chat, "callback_query.message.chat.");
    auto chat_id = c.integer("id");
    if (!chat_id) return chat_id.take_error();
    auto chat_type = c.text("type", true, 32);
    if (!chat_type) return chat_type.take_error();
    callback.chat_id = *chat_id;
    callback.chat_type = *chat_type;
  }
  return callback;
}

}  // namespace

std::optional<long long> update_id_of(const Poco::JSON::Object::Ptr& object) {
  if (!object || !object->has("update_id") || !object->get("update_id").isInteger()) return std::nullopt;
  return object->get("update_id").convert<long long>();
}

Result<Update> read_update(const Poco::JSON::Object::Ptr& object) {
  if (!object) return fail("update: not an object");
  auto id = update_id_of(object);
  if (!id) return fail("update_id: missing or not an integer");
  Update update;
  update.update_id = *id;
  try {
    if (object->has("message")) {
      auto message = object->getObject("message");
      if (!message) return fail("message: not an object");
      auto read = read_message(message);
      if (!read) return read.take_error();
      update.message = std::move(*read);
    } else if (object->has("callback_query")) {
      auto callback = object->getObject("callback_query");
      if (!callback) return fail("callback_query: not an object");
      auto read = read_callback(callback);
      if (!read) return read.take_error();
      update.callback = std::move(*read);
    }
  } catch (const Poco::Exception& e) {
    // A value of an unexpected type deep inside (Poco's conversion refused it).
    return fail(std::string("update: unexpected field type (") + e.className() + ")");
  }
  return update;
}

}  // namespace dsr::telegram

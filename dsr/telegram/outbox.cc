#include "dsr/telegram/outbox.h"

#include <Poco/File.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace dsr::telegram {

namespace {

constexpr std::size_t kMaxMessageChars = 4096;
constexpr std::size_t kMaxCaptionChars = 1024;

// At most `limit` code points, cut before a continuation byte.
std::string cut_utf8(const std::string& text, std::size_t limit) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && ++chars > limit) return text.substr(0, i);
  }
  return text;
}

std::string stringify(const Poco::JSON::Object& object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

}  // namespace

OutboxItem text_message(long long chat_id, const std::string& text,
                        const std::vector<KeyboardRow>& keyboard) {
  Poco::JSON::Object params;
  params.set("chat_id", chat_id);
  params.set("text", cut_utf8(text, kMaxMessageChars));
  if (!keyboard.empty()) {
    Poco::JSON::Array::Ptr rows = new Poco::JSON::Array;
    for (const auto& row : keyboard) {
      Poco::JSON::Array::Ptr buttons = new Poco::JSON::Array;
      for (const auto& [label, data] : row) {
        Poco::JSON::Object::Ptr button = new Poco::JSON::Object;
        button->set("text", label);
        button->set("callback_data", data);
        buttons->add(button);
      }
      rows->add(buttons);
    }
    Poco::JSON::Object::Ptr markup = new Poco::JSON::Object;
    markup->set("inline_keyboard", rows);
    params.set("reply_markup", markup);
  }
  return {0, chat_id, "sendMessage", stringify(params), "", ""};
}

OutboxItem callback_answer(long long chat_id, const std::string& callback_query_id, const std::string& text) {
  Poco::JSON::Object params;
  params.set("callback_query_id", callback_query_id);
  if (!text.empty()) params.set("text", cut_utf8(text, 200));
  return {0, chat_id, "answerCallbackQuery", stringify(params), "", ""};
}

OutboxItem protected_document(long long chat_id, const std::string& path, const std::string& file_name,
                              const std::string& caption) {
  Poco::JSON::Object params;
  params.set("chat_id", chat_id);
  params.set("caption", cut_utf8(caption, kMaxCaptionChars));
  params.set("protect_content", true);
  return {0, chat_id, "sendDocument", stringify(params), path, file_name};
}

Result<std::size_t> flush_outbox(Database& db, BotApi& api, const LogFn& log) {
  std::size_t sent = 0;
  for (;;) {
    std::vector<OutboxItem> items;
    if (Status s = db.read([&]() -> Status {
          items = BotStore(db).outbox(50);
          return Status::Ok();
        });
        !s) {
      return s.take_error();
    }
    if (items.empty()) return sent;
    for (const auto& item : items) {
      Poco::JSON::Object::Ptr params;
      try {
        Poco::JSON::Parser parser;
        params = parser.parse(item.payload).extract<Poco::JSON::Object::Ptr>();
      } catch (const std::exception&) {
        params = nullptr;
      }
      Result<ApiReply> reply = fail("");
      if (!params) {
        reply = ApiReply{true, false, 400, "outbox payload is not JSON", {}, ""};
      } else if (item.method == "sendDocument") {
        if (!Poco::File(item.file_path).exists()) {
          reply = ApiReply{true, false, 410, "the file is gone", {}, ""};
        } else {
          std::map<std::string, std::string> fields;
          for (const auto& [name, value] : *params) {
            fields[name] =
                value.isBoolean() ? (value.convert<bool>() ? "true" : "false") : value.convert<std::string>();
          }
          reply =
              api.upload("sendDocument", fields, "document", {item.file_path, item.file_name}, item.chat_id);
        }
      } else {
        // Callback answers are not chat messages: no per-chat spacing for them.
        reply = api.call(item.method, *params, item.method == "sendMessage" ? item.chat_id : 0);
      }
      if (!reply) return fail(reply.error() + " (" + std::to_string(sent) + " sent, the rest wait)");
      if (reply->ok) {
        ++sent;
      } else {
        log("telegram: outbox item " + std::to_string(item.id) + " (" + item.method +
            ") dropped: Telegram answered " + std::to_string(reply->error_code) + " " + reply->description);
      }
      if (Status s = db.in_transaction([&]() -> Status {
            BotStore(db).remove_from_outbox(item.id);
            return Status::Ok();
          });
          !s) {
        return s.take_error();
      }
    }
  }
}

}  // namespace dsr::telegram

#pragma once
// What the bot says and records for one update, inside the transaction that also
// advances the update offset. It never calls Telegram or the request service itself:
// replies go to the outbox, confirmed requests become intents (intent_runner.h), and
// code mails are handed back to be sent once the transaction has committed.
//
// Identity: the only proven identity is the numeric from.id of a message in a private
// chat (or of a button pressed there). Forwarded messages, ids, names and addresses
// typed into the chat never widen a request; an email address counts only once its
// one-time code came back into the same private chat.

#include <string>
#include <vector>

#include "dsr/audit/subject_key.h"
#include "dsr/config/config.h"
#include "dsr/model/identity.h"
#include "dsr/model/request.h"
#include "dsr/telegram/bot_store.h"
#include "dsr/telegram/catalog.h"
#include "dsr/telegram/settings.h"
#include "dsr/telegram/update.h"

namespace dsr::telegram {

// A code mail to send after commit; the code exists only here and as a keyed hash.
struct CodeMail {
  long long chat_id = 0;
  std::string language;
  std::string to;
  std::string subject;
  std::string body;
};

struct DialogueContext {
  const Catalog& catalog;
  const SubjectKey& key;
  const Clock& clock;
  const IdentityNormaliser& identities;
  const BotSettings& settings;
  const ControllerInfo& controller;
  bool mail_available = false;
};

class Dialogue {
 public:
  Dialogue(Database& db, const DialogueContext& context) : store_(db), c_(context) {}

  // Precondition: inside a transaction. An error is a store failure (roll back).
  Status handle(const Update& update, std::vector<CodeMail>& mails);

 private:
  void on_message(const IncomingMessage& message, std::vector<CodeMail>& mails);
  void on_callback(const CallbackQuery& callback);
  void on_command(const IncomingMessage& message, ChatState& state, const std::string& command,
                  const std::string& arguments, std::vector<CodeMail>& mails);
  void ask_confirmation(long long chat_id, ChatState& state, RequestType type);
  void show_status(long long chat_id, const ChatState& state);
  void cancel(long long chat_id, ChatState& state);
  void start_link(long long chat_id, ChatState& state, const std::string& address,
                  std::vector<CodeMail>& mails);
  void check_code(long long chat_id, ChatState& state, const std::string& code);

  void say(long long chat_id, const std::string& language, const std::string& key,
           const TextParams& params = {});
  ChatState load_state(const Sender& sender);
  std::string text(const ChatState& state, const std::string& key, const TextParams& params = {}) const;

  BotStore store_;
  const DialogueContext& c_;
};

// The localised name of a request type or status ("erasure", "Löschung").
std::string type_name(const Catalog& catalog, const std::string& language, const std::string& type);
std::string status_name(const Catalog& catalog, const std::string& language, const std::string& status);
// The date part of a stored UTC timestamp.
std::string date_of(const std::string& timestamp);

}  // namespace dsr::telegram

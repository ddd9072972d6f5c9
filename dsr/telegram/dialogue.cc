#include "dsr/telegram/dialogue.h"

#include <algorithm>

#include "dsr/common/crypto.h"
#include "dsr/common/text.h"
#include "dsr/telegram/outbox.h"

namespace dsr::telegram {

namespace {

constexpr std::size_t kCodeDigits = 6;

std::optional<RequestType> request_command(const std::string& command) {
  if (command == "/access") return RequestType::access;
  if (command == "/export") return RequestType::portability;
  if (command == "/delete") return RequestType::erasure;
  if (command == "/optout") return RequestType::objection;
  return std::nullopt;
}

std::string one_time_code() {
  // Rejection sampling keeps every code equally likely.
  for (;;) {
    const std::string bytes = random_bytes(4);
    std::uint32_t value = 0;
    for (unsigned char b : bytes) value = (value << 8) | b;
    if (value >= 4294000000u) continue;
    std::string code = std::to_string(value % 1000000);
    return std::string(kCodeDigits - code.size(), '0') + code;
  }
}

std::string code_hash(const SubjectKey& key, long long user_id, const std::string& email,
                      const std::string& code) {
  return key.seal("telegram-link-code\n" + std::to_string(user_id) + "\n" + email + "\n" + code);
}

bool looks_like_code(const std::string& text) {
  return text.size() == kCodeDigits &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_waiting_status(const std::string& status) {
  auto parsed = parse_request_status(status);
  return parsed && is_waiting(*parsed);
}

}  // namespace

std::string type_name(const Catalog& catalog, const std::string& language, const std::string& type) {
  return catalog.text(language, "type_" + type);
}

std::string status_name(const Catalog& catalog, const std::string& language, const std::string& status) {
  return catalog.text(language, "status_" + status);
}

std::string date_of(const std::string& timestamp) { return timestamp.substr(0, 10); }

std::string Dialogue::text(const ChatState& state, const std::string& key, const TextParams& params) const {
  return c_.catalog.text(state.language, key, params);
}

void Dialogue::say(long long chat_id, const std::string& language, const std::string& key,
                   const TextParams& params) {
  store_.enqueue(text_message(chat_id, c_.catalog.text(language, key, params)), c_.clock.now());
}

ChatState Dialogue::load_state(const Sender& sender) {
  ChatState state = store_.chat(sender.id).value_or(ChatState{});
  state.user_id = sender.id;
  // The language follows the person's current Telegram setting.
  if (!sender.language_code.empty() || state.language.empty()) {
    state.language = c_.catalog.language_for(sender.language_code);
  }
  return state;
}

Status Dialogue::handle(const Update& update, std::vector<CodeMail>& mails) {
  if (update.message) on_message(*update.message, mails);
  if (update.callback) on_callback(*update.callback);
  return Status::Ok();
}

void Dialogue::on_message(const IncomingMessage& message, std::vector<CodeMail>& mails) {
  if (message.from.is_bot) return;
  const std::string language = c_.catalog.language_for(message.from.language_code);
  const bool command = !message.text.empty() && message.text[0] == '/';
  if (message.chat_type != "private") {
    // In groups everyone reads along: no requests, no personal answers, only a pointer.
    if (command) say(message.chat_id, language, "group_private");
    return;
  }
  // In a private chat Telegram sets chat.id to the user's id; anything else is not a
  // chat with that person.
  if (message.chat_id != message.from.id) return;
  ChatState state = load_state(message.from);
  if (message.forwarded) {
    say(message.chat_id, state.language, "forwarded_ignored");
    return;
  }
  const std::string body = trim(message.text);
  if (!body.empty() && body[0] == '/') {
    const auto space = body.find_first_of(" \t\n");
    std::string name = to_lower_ascii(body.substr(0, space));
    // "/delete@SomeBot" in a client that appends the bot's name.
    if (auto at = name.find('@'); at != std::string::npos) name.resize(at);
    const std::string arguments = space == std::string::npos ? "" : trim(body.substr(space));
    on_command(message, state, name, arguments, mails);
  } else if (!state.link_email.empty() && looks_like_code(body)) {
    check_code(message.chat_id, state, body);
  } else {
    say(message.chat_id, state.language, "unknown");
  }
  store_.save_chat(state, c_.clock.now());
}

void Dialogue::on_command(const IncomingMessage& message, ChatState& state, const std::string& command,
                          const std::string& arguments, std::vector<CodeMail>& mails) {
  const long long chat = message.chat_id;
  const std::string commands = text(state, "commands");
  if (command == "/start") {
    say(chat, state.language, "start",
        {{"controller", c_.controller.name}, {"contact", c_.controller.contact}, {"commands", commands}});
  } else if (command == "/help") {
    say(chat, state.language, "help", {{"commands", commands}});
  } else if (auto type = request_command(command)) {
    // Whatever was typed after the command (an id, a name, an address) proves nothing.
    if (!arguments.empty()) say(chat, state.language, "foreign_identity_ignored");
    ask_confirmation(chat, state, *type);
  } else if (command == "/status") {
    show_status(chat, state);
  } else if (command == "/cancel") {
    cancel(chat, state);
  } else if (command == "/link_email") {
    start_link(chat, state, arguments, mails);
  } else {
    say(chat, state.language, "unknown");
  }
}

void Dialogue::ask_confirmation(long long chat_id, ChatState& state, RequestType type) {
  const std::string type_text(to_string(type));
  state.pending_type = type_text;
  state.pending_nonce = to_hex(random_bytes(6));
  const auto emails = store_.linked_emails(state.user_id);
  const std::string covers = emails.empty()
                                 ? text(state, "covers_telegram")
                                 : text(state, "covers_emails", {{"count", std::to_string(emails.size())}});
  const std::vector<KeyboardRow> keyboard = {{{text(state, "button_confirm"), "c:" + state.pending_nonce},
                                              {text(state, "button_cancel"), "x:" + state.pending_nonce}}};
  store_.enqueue(text_message(chat_id, text(state, "confirm_" + type_text, {{"covers", covers}}), keyboard),
                 c_.clock.now());
}

void Dialogue::show_status(long long chat_id, const ChatState& state) {
  const auto requests = store_.tracked_for_user(state.user_id);
  if (requests.empty()) {
    say(chat_id, state.language, "status_none");
    return;
  }
  std::string lines = text(state, "status_head");
  for (const auto& r : requests) {
    lines += "\n" + text(state, "status_line",
                         {{"ref", r.request_id},
                          {"type", type_name(c_.catalog, state.language, r.type)},
                          {"status", status_name(c_.catalog, state.language, r.status)},
                          {"due", date_of(r.due_at)}});
  }
  store_.enqueue(text_message(chat_id, lines), c_.clock.now());
}

void Dialogue::cancel(long long chat_id, ChatState& state) {
  if (!state.pending_type.empty() || !state.link_email.empty()) {
    state.pending_type.clear();
    state.pending_nonce.clear();
    state.link_email.clear();
    state.code_hash.clear();
    state.code_expires.reset();
    state.code_attempts = 0;
    say(chat_id, state.language, "dialogue_cancelled");
    return;
  }
  std::vector<KeyboardRow> keyboard;
  for (const auto& r : store_.tracked_for_user(state.user_id)) {
    if (!is_waiting_status(r.status)) continue;
    keyboard.push_back({{text(state, "button_withdraw",
                              {{"type", type_name(c_.catalog, state.language, r.type)},
                               {"short", r.request_id.substr(0, 8)}}),
                         "w:" + r.request_id}});
  }
  if (keyboard.empty()) {
    say(chat_id, state.language, "nothing_to_cancel");
    return;
  }
  store_.enqueue(text_message(chat_id, text(state, "choose_withdraw"), keyboard), c_.clock.now());
}

void Dialogue::start_link(long long chat_id, ChatState& state, const std::string& address,
                          std::vector<CodeMail>& mails) {
  if (!c_.mail_available) return say(chat_id, state.language, "link_unavailable");
  if (address.empty()) return say(chat_id, state.language, "link_usage");
  auto email = c_.identities.normalise("email", address);
  if (!email) return say(chat_id, state.language, "link_invalid");
  const std::string code = one_time_code();
  state.link_email = email->value;
  state.code_hash = code_hash(c_.key, state.user_id, email->value, code);
  state.code_expires = c_.clock.now() + std::chrono::minutes(c_.settings.code_ttl_minutes);
  state.code_attempts = 0;
  const std::string minutes = std::to_string(c_.settings.code_ttl_minutes);
  mails.push_back({chat_id, state.language, email->value,
                   text(state, "mail_subject", {{"controller", c_.controller.name}}),
                   text(state, "mail_body", {{"code", code}, {"minutes", minutes}})});
}

void Dialogue::check_code(long long chat_id, ChatState& state, const std::string& code) {
  const auto clear = [&state] {
    state.link_email.clear();
    state.code_hash.clear();
    state.code_expires.reset();
    state.code_attempts = 0;
  };
  if (!state.code_expires || c_.clock.now() > *state.code_expires) {
    clear();
    return say(chat_id, state.language, "code_expired");
  }
  if (constant_time_equal(code_hash(c_.key, state.user_id, state.link_email, code), state.code_hash)) {
    store_.add_link(state.user_id, state.link_email, c_.clock.now());
    clear();
    return say(chat_id, state.language, "code_linked");
  }
  ++state.code_attempts;
  if (state.code_attempts >= c_.settings.code_max_attempts) {
    clear();
    return say(chat_id, state.language, "code_locked");
  }
  say(chat_id, state.language, "code_wrong",
      {{"left", std::to_string(c_.settings.code_max_attempts - state.code_attempts)}});
}

void Dialogue::on_callback(const CallbackQuery& callback) {
  const long long chat = callback.chat_id != 0 ? callback.chat_id : callback.from.id;
  const std::string language = c_.catalog.language_for(callback.from.language_code);
  const auto answer = [&](const std::string& key) {
    store_.enqueue(callback_answer(chat, callback.id, c_.catalog.text(language, key)), c_.clock.now());
  };
  if (callback.chat_type != "private" || callback.chat_id != callback.from.id || callback.from.is_bot) {
    return answer("callback_private");
  }
  ChatState state = load_state(callback.from);
  const std::string& data = callback.data;
  const std::string tail = data.size() > 2 ? data.substr(2) : "";
  const bool pending_matches =
      !state.pending_type.empty() && !tail.empty() && constant_time_equal(tail, state.pending_nonce);
  if (data.rfind("c:", 0) == 0 && pending_matches) {
    Intent intent;
    intent.user_id = state.user_id;
    intent.chat_id = chat;
    intent.language = state.language;
    intent.action = "file";
    intent.request_type = state.pending_type;
    store_.add_intent(intent, c_.clock.now());
    state.pending_type.clear();
    state.pending_nonce.clear();
    answer("callback_received");
  } else if (data.rfind("x:", 0) == 0 && pending_matches) {
    state.pending_type.clear();
    state.pending_nonce.clear();
    answer("callback_cancelled");
    say(chat, state.language, "dialogue_cancelled");
  } else if (data.rfind("w:", 0) == 0) {
    // Only a waiting request this person filed through this bot.
    auto tracked = store_.tracked(tail);
    if (!tracked || tracked->user_id != state.user_id || !is_waiting_status(tracked->status)) {
      return answer("callback_expired");
    }
    Intent intent;
    intent.user_id = state.user_id;
    intent.chat_id = chat;
    intent.language = state.language;
    intent.action = "withdraw";
    intent.request_id = tracked->request_id;
    store_.add_intent(intent, c_.clock.now());
    answer("callback_received");
  } else {
    return answer("callback_expired");
  }
  store_.save_chat(state, c_.clock.now());
}

}  // namespace dsr::telegram

#include "dsr/telegram/bot.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <algorithm>
#include <iostream>
#include <regex>

#include "dsr/common/crypto.h"
#include "dsr/common/text.h"
#include "dsr/telegram/bot_store.h"
#include "dsr/telegram/intents.h"

namespace dsr::telegram {

namespace {

constexpr int kMaxRounds = 20;
constexpr const char* kSecretHeader = "x-telegram-bot-api-secret-token";
constexpr std::size_t kMaxWebhookBody = 1 << 20;

// The id of the first update in a body that does not parse, so that one can be skipped.
std::optional<long long> first_update_id(const std::string& raw) {
  static const std::regex pattern(R"re("update_id"\s*:\s*([0-9]{1,18}))re");
  std::smatch match;
  if (!std::regex_search(raw, match, pattern)) return std::nullopt;
  return std::stoll(match[1].str());
}

Poco::JSON::Object::Ptr parse_object(const std::string& text) {
  try {
    Poco::JSON::Parser parser;
    return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
    return nullptr;
  }
}

void add(PollReport& into, const PollReport& more) {
  into.updates += more.updates;
  into.ignored += more.ignored;
  into.duplicates += more.duplicates;
  into.intents += more.intents;
  into.notified += more.notified;
  into.sent += more.sent;
}

}  // namespace

BotApiOptions api_options(const BotSettings& settings) {
  BotApiOptions options;
  options.base_url = settings.base_url;
  options.token = settings.token;
  options.messages_per_second_per_chat = settings.messages_per_second_per_chat;
  return options;
}

Bot::Bot(BotEnvironment environment, BotApi& api)
    : env_(std::move(environment)),
      api_(api),
      catalog_(env_.catalog ? env_.catalog : &Catalog::builtin()),
      requests_(env_.db, env_.key, env_.clock) {
  if (!env_.log) env_.log = [](const std::string& line) { std::cerr << line << "\n"; };
}

Status Bot::process(long long update_id, const Result<Update>& update, PollReport& report) {
  std::vector<CodeMail> mails;
  bool duplicate = false;
  const DialogueContext context{*catalog_,
                                env_.key,
                                env_.clock,
                                env_.identities,
                                env_.settings,
                                env_.config.controller,
                                env_.mailer != nullptr};
  Status done = env_.db.in_transaction([&]() -> Status {
    BotStore store(env_.db);
    if (update_id < store.next_update_id()) {
      duplicate = true;
      return Status::Ok();
    }
    if (update) {
      if (Status s = Dialogue(env_.db, context).handle(*update, mails); !s) return s;
    }
    store.set_next_update_id(update_id + 1);
    return Status::Ok();
  });
  if (!done) return done;
  if (duplicate) {
    ++report.duplicates;
    return Status::Ok();
  }
  ++report.updates;
  if (!update) {
    ++report.ignored;
    // The reason names a field, never its value: no text, no name, no id of a person.
    env_.log("telegram: update " + std::to_string(update_id) + " ignored: " + update.error());
  }
  return send_code_mails(mails);
}

Status Bot::send_code_mails(std::vector<CodeMail>& mails) {
  for (auto& mail : mails) {
    Status sent = env_.mailer->send(mail.to, mail.subject, mail.body);
    mail.body.clear();  // the code lives no longer than needed
    if (!sent) env_.log("telegram: code mail not sent: " + sent.error());
    Status queued = env_.db.in_transaction([&]() -> Status {
      BotStore(env_.db).enqueue(
          text_message(mail.chat_id,
                       catalog_->text(mail.language, sent ? "link_sent" : "link_mail_failed",
                                      {{"minutes", std::to_string(env_.settings.code_ttl_minutes)}})),
          env_.clock.now());
      return Status::Ok();
    });
    if (!queued) return queued;
  }
  return Status::Ok();
}

Status Bot::process_raw_batch(const ApiReply& reply, PollReport& report) {
  if (!reply.ok) {
    return fail("telegram getUpdates: " + std::to_string(reply.error_code) + " " + reply.description);
  }
  if (!reply.result.isArray()) return fail("telegram getUpdates: result is not an array");
  std::vector<std::pair<long long, Poco::JSON::Object::Ptr>> updates;
  const auto array = reply.result.extract<Poco::JSON::Array::Ptr>();
  for (std::size_t i = 0; array && i < array->size(); ++i) {
    auto object = array->getObject(static_cast<unsigned>(i));
    auto id = update_id_of(object);
    if (!id) {
      ++report.ignored;
      env_.log("telegram: an update without a usable update_id ignored");
      continue;
    }
    updates.emplace_back(*id, object);
  }
  std::sort(updates.begin(), updates.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [id, object] : updates) {
    if (Status s = process(id, read_update(object), report); !s) return s;
  }
  return Status::Ok();
}

Result<PollReport> Bot::poll_once(std::chrono::seconds timeout) {
  PollReport report;
  for (int round = 0; round < kMaxRounds; ++round) {
    long long offset = 0;
    if (Status s = env_.db.read([&]() -> Status {
          offset = BotStore(env_.db).next_update_id();
          return Status::Ok();
        });
        !s) {
      return s.take_error();
    }
    auto batch = api_.get_updates(offset, 100, round == 0 ? timeout : std::chrono::seconds(0));
    if (!batch) return batch.take_error();
    if (batch->parsed) {
      if (Status s = process_raw_batch(*batch, report); !s) return s.take_error();
      break;
    }
    // One update broke the whole answer (invalid UTF-8, say): take them one at a time.
    auto single = api_.get_updates(offset, 1, std::chrono::seconds(0));
    if (!single) return single.take_error();
    if (single->parsed) {
      if (Status s = process_raw_batch(*single, report); !s) return s.take_error();
      continue;
    }
    auto id = first_update_id(single->raw);
    if (!id) return fail("telegram getUpdates: the answer is not JSON and names no update_id");
    if (Status s = process(*id, fail("not valid JSON (or not valid UTF-8)"), report); !s)
      return s.take_error();
  }
  auto delivered = deliver();
  if (!delivered) return delivered.take_error();
  add(report, *delivered);
  return report;
}

Result<PollReport> Bot::deliver() {
  PollReport report;
  Regulation regulation = Regulation::gdpr;
  if (auto parsed = parse_regulation(env_.config.regulation)) regulation = *parsed;
  auto intents =
      run_intents({env_.db, requests_, env_.clock, *catalog_, env_.identities, regulation, env_.log});
  if (!intents) return intents.take_error();
  report.intents = *intents;
  auto notified = queue_notifications(
      {env_.db, requests_, env_.clock, *catalog_, env_.config, env_.settings, env_.link_maker, env_.log});
  if (!notified) return notified.take_error();
  report.notified = *notified;
  auto sent = flush_outbox(env_.db, api_, env_.log);
  if (!sent) return sent.take_error();
  report.sent = *sent;
  return report;
}

WebhookReply Bot::handle_webhook(const std::map<std::string, std::string>& headers, const std::string& body) {
  std::string given;
  bool present = false;
  for (const auto& [name, value] : headers) {
    if (to_lower_ascii(name) == kSecretHeader) {
      given = value;
      present = true;
    }
  }
  // Hashes have equal length, so the comparison reveals neither content nor length.
  if (env_.settings.webhook_secret.empty() || !present ||
      !constant_time_equal(sha256_hex(given), sha256_hex(env_.settings.webhook_secret))) {
    env_.log("telegram: webhook call refused: missing or wrong secret token");
    return {401, "unauthorized"};
  }
  PollReport report;
  Status handled;
  if (body.size() > kMaxWebhookBody) {
    env_.log("telegram: webhook update ignored: body larger than " + std::to_string(kMaxWebhookBody) +
             " bytes");
    return {200, "ignored"};
  }
  if (auto object = parse_object(body)) {
    if (auto id = update_id_of(object)) {
      handled = process(*id, read_update(object), report);
    } else {
      env_.log("telegram: webhook update ignored: no usable update_id");
      return {200, "ignored"};
    }
  } else if (auto id = first_update_id(body)) {
    handled = process(*id, fail("not valid JSON (or not valid UTF-8)"), report);
  } else {
    env_.log("telegram: webhook update ignored: not JSON");
    return {200, "ignored"};
  }
  if (!handled) {
    env_.log("telegram: webhook update not handled, Telegram will retry: " + handled.error());
    return {500, "retry"};
  }
  if (auto delivered = deliver(); !delivered) env_.log("telegram: delivery deferred: " + delivered.error());
  return {200, "ok"};
}

Status Bot::register_webhook() {
  if (env_.settings.webhook_url.empty() || env_.settings.webhook_secret.empty()) {
    return fail("telegram: webhook mode needs webhook_url and webhook_secret");
  }
  auto reply = api_.set_webhook(env_.settings.webhook_url, env_.settings.webhook_secret);
  if (!reply) return reply.take_error();
  if (!reply->ok)
    return fail("telegram setWebhook: " + std::to_string(reply->error_code) + " " + reply->description);
  return Status::Ok();
}

Result<PollReport> poll_once(Bot& bot, std::chrono::seconds timeout) { return bot.poll_once(timeout); }

WebhookReply handle_webhook(const std::map<std::string, std::string>& headers, const std::string& body,
                            Bot& bot) {
  return bot.handle_webhook(headers, body);
}

void WebhookRequestHandler::handleRequest(Poco::Net::HTTPServerRequest& request,
                                          Poco::Net::HTTPServerResponse& response) {
  WebhookReply reply{405, "POST only"};
  try {
    if (request.getMethod() == Poco::Net::HTTPRequest::HTTP_POST) {
      std::map<std::string, std::string> headers;
      for (const auto& [name, value] : request) headers[name] = value;
      // At most one byte past the limit, so an oversized body is recognised without reading it all.
      std::string body(kMaxWebhookBody + 1, '\0');
      request.stream().read(body.data(), static_cast<std::streamsize>(body.size()));
      body.resize(static_cast<std::size_t>(request.stream().gcount()));
      std::lock_guard<std::mutex> lock(mutex_);
      reply = bot_.handle_webhook(headers, body);
    }
  } catch (const std::exception&) {
    reply = {500, "error"};
  }
  response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
  response.setContentType("text/plain");
  response.send() << reply.body;
}

}  // namespace dsr::telegram

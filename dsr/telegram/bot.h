#pragma once
// The Telegram bot: takes updates (long polling or webhook calls), handles each in
// one transaction together with its offset, then carries out confirmed intents, queues
// notifications about filed requests, and sends the outbox.
//
// Guarantees across restarts: an update is handled at most once (its id is below the
// stored offset afterwards) and is never lost (the offset moves only with its effects);
// an outbox item is removed only after Telegram took it, so a crash between the two can
// repeat that one call and nothing else.
//
// Thread safety: one Bot serves one thread at a time; share it behind a mutex (see
// WebhookRequestHandler). Several processes may share one state store.

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <Poco/Net/HTTPRequestHandler.h>

#include "dsr/audit/subject_key.h"
#include "dsr/config/config.h"
#include "dsr/requests/request_service.h"
#include "dsr/telegram/bot_api.h"
#include "dsr/telegram/catalog.h"
#include "dsr/telegram/code_mailer.h"
#include "dsr/telegram/dialogue.h"
#include "dsr/telegram/notifier.h"
#include "dsr/telegram/settings.h"

namespace dsr::telegram {

struct BotEnvironment {
  Database& db;
  const SubjectKey& key;
  const Clock& clock;
  const IdentityNormaliser& identities;
  const Config& config;
  BotSettings settings;
  const Catalog* catalog = nullptr;  // nullptr: the built-in catalog
  CodeMailer* mailer = nullptr;      // nullptr: /link_email is not offered
  LinkMaker link_maker;              // empty: large exports are announced with a contact
  LogFn log;                         // one line per event, never personal data; empty: stderr
};

struct PollReport {
  std::size_t updates = 0;     // handled, ignored ones included
  std::size_t ignored = 0;     // malformed, logged
  std::size_t duplicates = 0;  // already handled before
  std::size_t intents = 0;
  std::size_t notified = 0;
  std::size_t sent = 0;
};

struct WebhookReply {
  int status = 200;  // 200 handled or ignored; 401 secret wrong; 500 store trouble (Telegram retries)
  std::string body;
};

class Bot {
 public:
  Bot(BotEnvironment environment, BotApi& api);

  // One getUpdates long poll (up to `timeout`), its updates handled, then deliver().
  Result<PollReport> poll_once(std::chrono::seconds timeout);

  // One webhook call. Refuses (401) unless the X-Telegram-Bot-Api-Secret-Token header
  // equals the configured secret (compared in constant time). Header names are matched
  // case-insensitively.
  WebhookReply handle_webhook(const std::map<std::string, std::string>& headers, const std::string& body);

  // Intents, notifications, outbox: what a scheduler runs in webhook mode too.
  Result<PollReport> deliver();

  // setWebhook with the configured URL and secret (webhook mode).
  Status register_webhook();

  const Catalog& catalog() const { return *catalog_; }

 private:
  // Handles one update in one transaction with its offset; `problem` non-empty marks a
  // malformed update that is skipped with a log line.
  Status process(long long update_id, const Result<Update>& update, PollReport& report);
  Status send_code_mails(std::vector<CodeMail>& mails);
  Status process_raw_batch(const ApiReply& reply, PollReport& report);

  BotEnvironment env_;
  BotApi& api_;
  const Catalog* catalog_;
  RequestService requests_;
};

// The functions `dsr serve` and the CLI call.
Result<PollReport> poll_once(Bot& bot, std::chrono::seconds timeout);
WebhookReply handle_webhook(const std::map<std::string, std::string>& headers, const std::string& body,
                            Bot& bot);

// BotApiOptions from the settings.
BotApiOptions api_options(const BotSettings& settings);

// Serves webhook calls (POST with the update as JSON body) through handle_webhook.
class WebhookRequestHandler : public Poco::Net::HTTPRequestHandler {
 public:
  WebhookRequestHandler(Bot& bot, std::mutex& mutex) : bot_(bot), mutex_(mutex) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

 private:
  Bot& bot_;
  std::mutex& mutex_;
};

}  // namespace dsr::telegram

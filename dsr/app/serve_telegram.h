#pragma once
// The Telegram bot inside `dsr serve`, when the config has a telegram section (without
// one, nothing here exists: no route, no thread, no log line).
//
// Polling mode: a thread of its own long-polls getUpdates with a short timeout (so a
// stop waits seconds, not the configured poll timeout) and delivers after each poll.
// Webhook mode: the router serves the path of telegram.webhook_url, and the thread only
// delivers (confirmed intents, notifications, the outbox). Either way the offset stays
// in the store, as `dsr bot poll` keeps it.
//
// The Bot is not thread-safe: it has its own store connection, and the webhook handler
// and the thread take turns under one mutex. Completed exports too large for the chat
// go out as download links (downloads::create_link).

#include <memory>
#include <string>

#include "dsr/audit/subject_key.h"
#include "dsr/common/result.h"
#include "dsr/config/config.h"
#include "dsr/model/identity.h"
#include "dsr/serve/json_log.h"
#include "dsr/serve/router.h"
#include "dsr/state/database.h"

namespace dsr::cli {

struct ServeBotEnvironment {
  const Config& config;
  const SubjectKey& key;
  const Clock& clock;
  const IdentityNormaliser& identities;
  StoreConnection connection;
  serve::JsonLog& log;
};

class ServeBot {
 public:
  // nullptr when the config has no telegram section; an error for a section that is wrong.
  // The environment's references must outlive the ServeBot.
  static Result<std::unique_ptr<ServeBot>> open(const ServeBotEnvironment& environment);
  ~ServeBot();

  // The webhook route, in webhook mode only. The router must not outlive this.
  void add_routes(serve::Router& router);
  void start();
  // Lets the current poll (a few seconds at most) finish, then joins. Idempotent.
  void stop();
  // One round (poll or deliver) on the caller's thread; its summary, empty when idle.
  std::string run_once();

  struct Parts;

 private:
  explicit ServeBot(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace dsr::cli

#pragma once
// Everything a bot test needs: dsr's state store, the sample marketing store with its
// mapping (Telegram id 100000001 is its known subject), an officer, the request runner,
// the local Bot API server, and a Bot wired to them.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "connectors/core/registry.h"
#include "dsr/requests/officer_service.h"
#include "dsr/run/request_runner.h"
#include "dsr/telegram/bot.h"
#include "tests/support/test_store.h"
#include "tests/telegram/bot_api_server.h"

namespace dsr::test {

inline constexpr long long kSubject = 100000001;   // the sample store's known subject
inline constexpr long long kStranger = 100000002;  // another subscriber of the sample store

// One recorded Bot API call, flattened.
struct Call {
  std::string method;
  long long chat_id = 0;
  std::string text;                  // text, or caption of a document, or callback answer text
  std::vector<std::string> buttons;  // callback_data of every inline button
  std::vector<std::string> labels;   // their texts
  std::string callback_query_id;
  bool protect_content = false;
  std::string file_saved;  // where the server kept an uploaded document
  std::string file_sha256;
  std::string file_name;
  double at = 0;
  int answered = 0;  // the HTTP status the server answered
};

struct WorldOptions {
  std::string telegram_extra;  // more members of the telegram config section, e.g. "\"max_upload_mb\": 1"
  telegram::CodeMailer* mailer = nullptr;
  std::uint64_t max_upload_bytes = 0;  // non-zero: overrides the configured limit
};

class BotWorld {
 public:
  explicit BotWorld(WorldOptions options = {});
  ~BotWorld();

  // What a restarted process has: a new store connection, a new client, a new Bot.
  void restart();

  // Polls (without long-poll waits) until the recorded calls satisfy `done`, failing the
  // test after a deadline. Errors of single polls are allowed (the server may be failing on purpose).
  std::vector<Call> poll_until(const std::function<bool(const std::vector<Call>&)>& done);
  std::vector<Call> calls();

  // Update JSON (one-element array text) as Telegram would send it.
  static std::string message(long long update_id, long long user_id, const std::string& text,
                             const std::string& language = "en", const std::string& chat_type = "private",
                             long long chat_id = 0, const std::string& extra_message_fields = "");
  static std::string callback(long long update_id, long long user_id, const std::string& data,
                              const std::string& callback_id, const std::string& chat_type = "private");

  // The requests filed through the bot.
  std::vector<Request> telegram_requests();
  // An officer approves, then the runner runs it; the request must complete.
  RunOutcome approve_and_run(const std::string& request_id);

  // The bot's messages as the person saw them, one block per call, from call `from` on.
  static std::string transcript(const std::vector<Call>& calls, std::size_t from = 0);

  TestStore store;
  std::string folder;
  std::unique_ptr<BotApiServer> server;
  Config config;
  SubjectKey key = SubjectKey::from_secret(std::string(64, 't'));
  FixedClock clock;
  IdentityNormaliser identities;
  ConnectorRegistry registry;
  std::unique_ptr<Database> db;
  std::unique_ptr<RequestService> requests;
  std::unique_ptr<telegram::BotApi> api;
  std::unique_ptr<telegram::Bot> bot;
  std::vector<std::string> log;
  WorldOptions options;
  telegram::LinkMaker link_maker;
};

}  // namespace dsr::test

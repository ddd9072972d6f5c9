#pragma once
// A client of the Telegram Bot API (https://core.telegram.org/bots/api) over Poco
// HTTP(S), at a configurable base URL (self-hosted Bot API servers exist; tests use a
// local one).
//
// Every call is retried: a 429 waits the retry_after Telegram names, a 5xx or a network
// failure waits an exponential backoff, up to max_attempts. Messages and documents to
// one chat are spaced to at most messages_per_second_per_chat, and all of them to about
// 30 a second, as Telegram asks.
//
// Errors never contain the URL (it holds the token) nor anything a person wrote.
//
// Thread safety: one BotApi is used by one thread at a time.

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <chrono>
#include <functional>
#include <map>
#include <string>

#include "dsr/common/result.h"

namespace dsr::telegram {

struct BotApiOptions {
  std::string base_url = "https://api.telegram.org";  // without "/bot<token>"
  std::string token;
  double messages_per_second_per_chat = 1.0;
  double messages_per_second = 30.0;
  int max_attempts = 5;                           // per call, the first one included
  std::chrono::milliseconds backoff{500};         // after the first 5xx; doubles each time
  std::chrono::seconds longest_retry_after{120};  // a longer 429 wait fails the call instead
  std::chrono::seconds request_timeout{20};       // added to a long poll's own timeout
  // How the client waits; tests may count instead of sleeping.
  std::function<void(std::chrono::milliseconds)> sleep;
};

// What Telegram answered: ok with a result, or its error code and description (a 4xx
// such as "chat not found", which retrying does not fix). `parsed` is false when the
// body was not JSON; `raw` keeps the body then.
struct ApiReply {
  bool parsed = true;
  bool ok = false;
  int error_code = 0;
  std::string description;
  Poco::Dynamic::Var result;
  std::string raw;
};

// A file for sendDocument.
struct Upload {
  std::string path;       // read when sent
  std::string file_name;  // shown to the person
  std::string content_type = "application/zip";
};

class BotApi {
 public:
  explicit BotApi(BotApiOptions options);

  // An error means the call could not be made or kept failing transiently (network,
  // 5xx, 429) after every attempt; Telegram's own refusals come back as a reply.
  // `chat_id` (when non-zero) applies the per-chat spacing.
  Result<ApiReply> call(const std::string& method, const Poco::JSON::Object& params, long long chat_id = 0,
                        std::chrono::seconds long_poll = std::chrono::seconds(0));
  // multipart/form-data with one file part named `file_field`.
  Result<ApiReply> upload(const std::string& method, const std::map<std::string, std::string>& fields,
                          const std::string& file_field, const Upload& file, long long chat_id);

  Result<ApiReply> get_me();
  // The body of a getUpdates answer is returned unparsed when it is not JSON, so the
  // caller can skip the update that broke it.
  Result<ApiReply> get_updates(long long offset, int limit, std::chrono::seconds timeout);
  Result<ApiReply> set_webhook(const std::string& url, const std::string& secret_token);
  Result<ApiReply> delete_webhook();

 private:
  using Attempt = std::function<Result<std::pair<int, std::string>>()>;  // HTTP status, body
  Result<ApiReply> with_retries(const std::string& method, long long chat_id, const Attempt& attempt);
  void pace(long long chat_id);
  void sent_to(long long chat_id);
  std::string method_path(const std::string& method) const;

  BotApiOptions options_;
  std::map<long long, std::chrono::steady_clock::time_point> last_to_chat_;
  std::chrono::steady_clock::time_point last_message_{};
};

// Parses a Bot API answer body (`{"ok": ..., "result" | "error_code", "description"}`).
ApiReply parse_reply(const std::string& body);

}  // namespace dsr::telegram

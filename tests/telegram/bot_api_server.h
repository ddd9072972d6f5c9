#pragma once
// Starts tests/telegram/bot_api_server.py (a local Bot API) on a free loopback port
// for one test, drives its control endpoints, and stops it by its process handle.

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Process.h>

#include <memory>
#include <string>

namespace dsr::test {

class BotApiServer {
 public:
  BotApiServer(const std::string& token, const std::string& folder);
  ~BotApiServer();
  BotApiServer(const BotApiServer&) = delete;
  BotApiServer& operator=(const BotApiServer&) = delete;

  // http://127.0.0.1:PORT
  const std::string& base_url() const { return base_url_; }

  // Queues updates (a JSON array as text) for getUpdates.
  void push_updates(const std::string& json_array);
  // One update as raw bytes (possibly not JSON or not UTF-8).
  void push_raw_update(long long update_id, const std::string& bytes);
  // The next `times` calls of method answer HTTP `status` (429 with retry_after).
  void fail_next(const std::string& method, int status, int times, int retry_after = 0);
  // Every call the bot made so far.
  Poco::JSON::Array::Ptr calls();
  Poco::JSON::Object::Ptr webhook();

 private:
  std::string request(const std::string& method, const std::string& path, const std::string& body);
  std::unique_ptr<Poco::ProcessHandle> process_;
  std::string base_url_;
  std::string host_;
  unsigned short port_ = 0;
};

}  // namespace dsr::test

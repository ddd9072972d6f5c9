#include "tests/telegram/bot_api_server.h"

#include <Poco/File.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <chrono>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace dsr::test {

BotApiServer::BotApiServer(const std::string& token, const std::string& folder) {
  const std::string port_file = folder + "/bot-api.port";
  Poco::File(folder).createDirectories();
  process_ = std::make_unique<Poco::ProcessHandle>(Poco::Process::launch(
      "/usr/bin/python3", {DSR_BOT_API_SERVER, "--token", token, "--port-file", port_file, "--dir", folder}));
  // The server writes its port once it listens (renamed into place, so never half-written).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!Poco::File(port_file).exists()) {
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("bot API test server did not start");
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::ifstream in(port_file);
  in >> port_;
  host_ = "127.0.0.1";
  base_url_ = "http://" + host_ + ":" + std::to_string(port_);
}

BotApiServer::~BotApiServer() {
  try {
    Poco::Process::kill(*process_);
    process_->wait();
  } catch (const std::exception&) {
    // Already gone: nothing to stop.
  }
}

std::string BotApiServer::request(const std::string& method, const std::string& path,
                                  const std::string& body) {
  Poco::Net::HTTPClientSession session(host_, port_);
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  request.setContentLength(static_cast<std::streamsize>(body.size()));
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  std::string answer;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), answer);
  if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK) {
    throw std::runtime_error("bot API test server: " + path + " answered " +
                             std::to_string(response.getStatus()));
  }
  return answer;
}

void BotApiServer::push_updates(const std::string& json_array) {
  request("POST", "/control/updates", json_array);
}

void BotApiServer::push_raw_update(long long update_id, const std::string& bytes) {
  request("POST", "/control/raw_update?update_id=" + std::to_string(update_id), bytes);
}

void BotApiServer::fail_next(const std::string& method, int status, int times, int retry_after) {
  request("POST", "/control/fail",
          "{\"method\": \"" + method + "\", \"status\": " + std::to_string(status) + ", \"times\": " +
              std::to_string(times) + ", \"retry_after\": " + std::to_string(retry_after) + "}");
}

Poco::JSON::Array::Ptr BotApiServer::calls() {
  Poco::JSON::Parser parser;
  return parser.parse(request("GET", "/control/calls", ""))
      .extract<Poco::JSON::Object::Ptr>()
      ->getArray("calls");
}

Poco::JSON::Object::Ptr BotApiServer::webhook() {
  Poco::JSON::Parser parser;
  return parser.parse(request("GET", "/control/calls", ""))
      .extract<Poco::JSON::Object::Ptr>()
      ->getObject("webhook");
}

}  // namespace dsr::test

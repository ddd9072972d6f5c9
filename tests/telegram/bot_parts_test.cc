#define BOOST_TEST_MODULE telegram bot parts
#include <boost/test/unit_test.hpp>

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include "dsr/telegram/catalog.h"
#include "dsr/telegram/update.h"
#include "tests/telegram/bot_world.h"

using namespace dsr;
using namespace dsr::telegram;

namespace {

Poco::JSON::Object::Ptr json(const std::string& text) {
  Poco::JSON::Parser parser;
  return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

struct BadUpdate {
  const char* json;
  const char* problem;
};

}  // namespace

BOOST_AUTO_TEST_CASE(the_builtin_catalog_is_complete_and_translations_fall_back) {
  const Catalog& catalog = Catalog::builtin();
  BOOST_TEST(catalog.language_for("de-CH") == "de");
  BOOST_TEST(catalog.language_for("DE") == "de");
  BOOST_TEST(catalog.language_for("fr") == "en");
  BOOST_TEST(catalog.language_for("") == "en");
  // German leaves "button_withdraw" out: English stands in.
  BOOST_TEST(catalog.text("de", "button_withdraw", {{"type", "x"}, {"short", "y"}}) == "Withdraw x y");
  // A value holding "{...}" is not expanded again.
  BOOST_TEST(catalog.text("en", "help", {{"commands", "{commands}"}}) == "{commands}");
}

BOOST_AUTO_TEST_CASE(catalog_files_are_checked) {
  const struct {
    const char* text;
    const char* error;
  } cases[] = {
      {"[]", "c.json: not a JSON object"},
      {R"({"de": {"start": "Hallo"}})", "c.json: /en: missing"},
      {R"({"en": {"start": "Hello"}})", "c.json: /en/help: missing"},
      {R"({"en": {"start": 5}})", "c.json: /en/start: expected a string"},
      {R"({"EN": {}})", "c.json: /EN: expected a lower-case language code"},
  };
  for (const auto& c : cases) {
    auto parsed = Catalog::parse(c.text, "c.json");
    BOOST_TEST_CONTEXT(c.text) {
      BOOST_REQUIRE(!parsed.ok());
      BOOST_TEST(parsed.error().rfind(c.error, 0) == 0u, parsed.error());
    }
  }
}

BOOST_AUTO_TEST_CASE(updates_are_read_defensively) {
  const std::string from = R"("from":{"id":100000001,"is_bot":false,"first_name":"J"})";
  const std::string chat = R"("chat":{"id":100000001,"type":"private"})";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"message":{}})", "update_id: missing or not an integer"},
      {R"({"update_id":"1"})", "update_id: missing or not an integer"},
      {R"({"update_id":1,"message":{"message_id":1,)" + chat + "}}", "message.from: missing"},
      {R"({"update_id":1,"message":{"message_id":1,"from":{"id":-5},)" + chat + "}}",
       "message.from.id: not a positive user id"},
      {R"({"update_id":1,"message":{"message_id":1,)" + from + "}}", "message.chat: missing"},
      {R"({"update_id":1,"message":{"message_id":1,)" + from + "," + chat + R"(,"text":7}})",
       "message.text: not a string"},
      {R"({"update_id":1,"callback_query":{"from":{"id":1}}})", "callback_query.id: missing"},
      {R"({"update_id":1,"callback_query":{"id":"q","from":{"id":1},"data":")" + std::string(65, 'd') +
           "\"}}",
       "callback_query.data: longer than 64 bytes"},
  };
  for (const auto& [text, problem] : cases) {
    auto update = read_update(json(text));
    BOOST_TEST_CONTEXT(text) {
      BOOST_REQUIRE(!update.ok());
      BOOST_TEST(update.error() == problem);
    }
  }
  auto good = read_update(json(R"({"update_id":9007199254740993,"message":{"message_id":1,)" + from + "," +
                               chat + R"(,"text":"/start","forward_origin":{"type":"hidden_user"}}})"));
  BOOST_REQUIRE(good.ok());
  BOOST_TEST(good->update_id == 9007199254740993LL);  // beyond a double's exact integers
  BOOST_TEST(good->message->from.id == 100000001);
  BOOST_TEST(good->message->forwarded);
}

BOOST_AUTO_TEST_CASE(the_webhook_handler_serves_over_http) {
  test::WorldOptions options;
  options.telegram_extra = R"("webhook_secret": "hook-secret_1")";
  test::BotWorld w(options);
  std::mutex mutex;
  struct Factory : Poco::Net::HTTPRequestHandlerFactory {
    Bot& bot;
    std::mutex& mutex;
    Factory(Bot& b, std::mutex& m) : bot(b), mutex(m) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
      return new WebhookRequestHandler(bot, mutex);
    }
  };
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  const unsigned short port = socket.address().port();
  Poco::Net::HTTPServer server(new Factory(*w.bot, mutex), socket, new Poco::Net::HTTPServerParams);
  server.start();
  const auto post = [port](const std::string& secret, const std::string& body) {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, "/telegram",
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    if (!secret.empty()) request.set("X-Telegram-Bot-Api-Secret-Token", secret);
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::string answer;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), answer);
    return static_cast<int>(response.getStatus());
  };
  const std::string update = test::BotWorld::message(1, test::kSubject, "/help");
  const std::string body = update.substr(1, update.size() - 2);
  BOOST_TEST(post("", body) == 401);
  BOOST_TEST(post("hook-secret_2", body) == 401);
  BOOST_TEST(post("hook-secret_1", body) == 200);
  BOOST_TEST(post("hook-secret_1", body) == 200);  // Telegram repeating itself: handled once
  server.stop();
  const auto calls = w.calls();
  BOOST_TEST(std::count_if(calls.begin(), calls.end(), [](const test::Call& c) {
               return c.method == "sendMessage" && c.text.find("Commands:") != std::string::npos;
             }) == 1);
}

BOOST_AUTO_TEST_CASE(an_unreachable_server_is_an_error_that_hides_the_token) {
  unsigned short closed_port = 0;
  {
    Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
    closed_port = probe.address().port();
  }
  for (const std::string scheme : {"http", "https"}) {
    BotApiOptions options;
    options.base_url = scheme + "://127.0.0.1:" + std::to_string(closed_port);
    options.token = "987:very-secret-token";
    options.max_attempts = 3;
    int waits = 0;
    options.sleep = [&waits](std::chrono::milliseconds) { ++waits; };
    BotApi api(options);
    auto me = api.get_me();
    BOOST_TEST_CONTEXT(scheme) {
      BOOST_REQUIRE(!me.ok());
      BOOST_TEST(me.error().find("gave up after 3 attempts") != std::string::npos, me.error());
      BOOST_TEST(me.error().find("very-secret-token") == std::string::npos);
      BOOST_TEST(waits == 2);  // a backoff between attempts, none after the last
    }
  }
}

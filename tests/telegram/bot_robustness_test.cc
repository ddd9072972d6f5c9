#define BOOST_TEST_MODULE telegram bot robustness
#include <boost/test/unit_test.hpp>

#include <algorithm>

#include "tests/telegram/bot_world.h"
#include "tests/telegram/call_matchers.h"

using namespace dsr;
using namespace dsr::test;

namespace {

constexpr const char* kSecret = "s3cret-Token_for-the-webhook";

// The offsets the bot asked getUpdates for, in order.
std::vector<long long> offsets(BotWorld& w) {
  std::vector<long long> out;
  const auto array = w.server->calls();
  for (std::size_t i = 0; i < array->size(); ++i) {
    auto call = array->getObject(static_cast<unsigned>(i));
    if (call->getValue<std::string>("method") == "getUpdates") {
      out.push_back(call->getObject("params")->getValue<long long>("offset"));
    }
  }
  return out;
}

WorldOptions with_webhook_secret() {
  WorldOptions options;
  options.telegram_extra = std::string("\"webhook_secret\": \"") + kSecret +
                           "\", \"webhook_url\": \"https://dsr.example/telegram/webhook\"";
  return options;
}

}  // namespace

BOOST_AUTO_TEST_CASE(duplicate_updates_are_handled_once) {
  BotWorld w(with_webhook_secret());
  // The same update twice in one batch.
  w.server->push_updates(BotWorld::message(1, kSubject, "/delete"));
  w.server->push_updates(BotWorld::message(1, kSubject, "/delete"));
  auto calls = w.poll_until(sent(is_prompt));
  const std::string confirm = confirm_button(calls);
  // The button pressed twice (two callback queries), and the first press delivered again.
  w.server->push_updates(BotWorld::callback(2, kSubject, confirm, "cb-first"));
  w.server->push_updates(BotWorld::callback(3, kSubject, confirm, "cb-second"));
  calls = w.poll_until(sent([](const Call& c) { return c.callback_query_id == "cb-second"; }));
  const std::string replayed = BotWorld::callback(2, kSubject, confirm, "cb-first");
  const auto reply = w.bot->handle_webhook({{"X-Telegram-Bot-Api-Secret-Token", kSecret}},
                                           replayed.substr(1, replayed.size() - 2));
  BOOST_TEST(reply.status == 200);
  w.server->push_updates(BotWorld::message(1, kSubject, "/delete"));  // an old update served again
  w.server->push_updates(BotWorld::message(4, kSubject, "/help"));
  calls = w.poll_until(sent(text_with("Commands:")));

  BOOST_TEST(count_sent(calls, is_prompt) == 1u);
  BOOST_TEST(w.telegram_requests().size() == 1u);
  BOOST_TEST(count_sent(calls, text_with("Reference:")) == 1u);
  BOOST_TEST(count_sent(calls, [](const Call& c) {
               return c.callback_query_id == "cb-first" && contains(c.text, "Received");
             }) == 1u);
  BOOST_TEST(count_sent(calls, [](const Call& c) {
               return c.callback_query_id == "cb-second" && contains(c.text, "no longer valid");
             }) == 1u);
}

BOOST_AUTO_TEST_CASE(rate_limits_and_server_errors_are_waited_out) {
  BotWorld w;
  w.server->fail_next("getUpdates", 500, 2);
  w.server->fail_next("sendMessage", 429, 1, 1);
  w.server->push_updates(BotWorld::message(1, kSubject, "/help"));
  auto calls = w.poll_until(sent(text_with("Commands:")));
  std::vector<Call> updates, messages;
  for (const auto& c : calls) {
    if (c.method == "getUpdates") updates.push_back(c);
    if (c.method == "sendMessage") messages.push_back(c);
  }
  BOOST_REQUIRE_GE(updates.size(), 3u);
  BOOST_TEST(updates[0].answered == 500);
  BOOST_TEST(updates[1].answered == 500);
  BOOST_TEST(updates[2].answered == 200);
  BOOST_TEST(updates[1].at > updates[0].at);  // retried after a backoff, not given up
  BOOST_REQUIRE_EQUAL(messages.size(), 2u);
  BOOST_TEST(messages[0].answered == 429);
  BOOST_TEST(messages[1].answered == 200);
  BOOST_TEST(messages[1].at - messages[0].at >= 0.95);  // retry_after: 1 second

  // Errors that outlast every retry leave the reply in the outbox; it goes out once, later.
  w.server->fail_next("sendMessage", 502, 5);
  w.server->push_updates(BotWorld::message(2, kSubject, "/status"));
  auto first = w.bot->poll_once(std::chrono::seconds(0));
  BOOST_TEST(!first.ok());
  calls = w.poll_until(sent(text_with("You have no requests yet.")));
  BOOST_TEST(count_sent(calls, text_with("You have no requests yet.")) == 1u);
  BOOST_TEST(std::count_if(calls.begin(), calls.end(), [](const Call& c) { return c.answered == 502; }) == 5);
}

BOOST_AUTO_TEST_CASE(messages_to_one_chat_are_spaced) {
  BotWorld w;  // 20 messages a second per chat in the test config
  w.server->push_updates(BotWorld::message(1, kSubject, "/access 100000002"));  // a note, then the prompt
  w.server->push_updates(BotWorld::message(2, kSubject, "/help"));
  auto calls = w.poll_until(sent([](const Call& c) { return c.method == "sendMessage"; }, 3));
  std::vector<double> times;
  for (const auto& c : calls) {
    if (c.method == "sendMessage" && c.chat_id == kSubject) times.push_back(c.at);
  }
  BOOST_REQUIRE_EQUAL(times.size(), 3u);
  for (std::size_t i = 1; i < times.size(); ++i) BOOST_TEST(times[i] - times[i - 1] >= 0.045);
}

BOOST_AUTO_TEST_CASE(a_restart_between_updates_loses_nothing_and_repeats_nothing) {
  BotWorld w;
  w.server->push_updates(BotWorld::message(1, kSubject, "/access"));
  auto calls = w.poll_until(sent(is_prompt));
  const std::string confirm = confirm_button(calls);

  w.restart();
  w.server->push_updates(BotWorld::callback(2, kSubject, confirm, "cb-after-restart"));
  calls = w.poll_until(sent(text_with("Reference:")));
  BOOST_TEST(count_sent(calls, is_prompt) == 1u);
  auto asked = offsets(w);
  BOOST_TEST(asked.front() == 0);
  BOOST_TEST(std::count(asked.begin(), asked.end(), 0) >= 1);
  // After the restart the bot resumed from the stored offset: update 1 was never asked for again.
  const auto first_after_restart = std::find(asked.begin(), asked.end(), 2);
  BOOST_REQUIRE(first_after_restart != asked.end());
  BOOST_TEST(std::count(first_after_restart, asked.end(), 0) == 0);
  BOOST_TEST(std::count(first_after_restart, asked.end(), 1) == 0);

  // A crash after an update was handled but before its reply reached Telegram.
  w.server->fail_next("sendMessage", 500, 5);
  w.server->push_updates(BotWorld::message(3, kSubject, "/status"));
  BOOST_TEST(!w.bot->poll_once(std::chrono::seconds(0)).ok());
  w.restart();
  calls = w.poll_until(sent(text_with("Your requests:")));
  BOOST_TEST(count_sent(calls, text_with("Your requests:")) == 1u);

  // A notification survives restarts and is sent once.
  const auto filed = w.telegram_requests();
  BOOST_REQUIRE_EQUAL(filed.size(), 1u);
  w.approve_and_run(filed[0].id);
  calls = w.poll_until(sent([](const Call& c) { return c.method == "sendDocument"; }));
  w.restart();
  for (int i = 0; i < 3; ++i) BOOST_TEST(w.bot->poll_once(std::chrono::seconds(0)).ok());
  calls = w.calls();
  BOOST_TEST(count_sent(calls, [](const Call& c) { return c.method == "sendDocument"; }) == 1u);
  BOOST_TEST(count_sent(calls, text_with("Reference:")) == 1u);
}

BOOST_AUTO_TEST_CASE(malformed_updates_are_ignored_with_a_log_line) {
  BotWorld w;
  const std::string from =
      R"("from":{"id":100000001,"is_bot":false,"first_name":"Jane","language_code":"en"})";
  const std::string chat = R"("chat":{"id":100000001,"type":"private"})";
  const std::string marker = "PERSONAL-TEXT-MARKER";
  std::string long_text = marker + std::string(100 * 1024, 'x');
  w.server->push_raw_update(
      10, R"({"update_id":10,"message":{"message_id":1,)" + chat + R"(,"date":1,"text":"/help"}})");
  w.server->push_raw_update(
      11, R"({"update_id":11,"message":{"message_id":2,)" + from + R"(,"date":1,"text":"/help"}})");
  w.server->push_raw_update(12, R"({"update_id":12,"message":{"message_id":3,)" + from + "," + chat +
                                    R"(,"date":1,"text":")" + long_text + R"("}})");
  w.server->push_raw_update(13, R"({"update_id":13,"message":{"message_id":4,)" + from + "," + chat +
                                    ",\"date\":1,\"text\":\"/help " + marker + "\xff\xfe\"}}");
  w.server->push_raw_update(14, R"({"update_id":14,"message":{"message_id":5,)" + from + "," + chat +
                                    R"(,"date":1,"text":"/help \ud800"}})");
  w.server->push_raw_update(15, R"({"update_id":15,"message":"not an object"})");
  w.server->push_raw_update(16,
                            R"({"update_id":16,"message":{"message_id":7,)" + from +
                                R"(,"chat":{"id":"100000001","type":"private"},"date":1,"text":"/help"}})");
  w.server->push_updates(BotWorld::message(17, kSubject, "/help"));
  auto calls = w.poll_until(sent(text_with("Commands:")));
  BOOST_TEST(count_sent(calls, [](const Call& c) { return c.method == "sendMessage"; }) == 1u);

  for (long long id = 10; id <= 16; ++id) {
    const std::string prefix = "telegram: update " + std::to_string(id) + " ignored: ";
    BOOST_TEST(std::count_if(w.log.begin(), w.log.end(),
                             [&](const std::string& line) { return line.rfind(prefix, 0) == 0; }) == 1,
               "one log line for update " << id);
  }
  for (const auto& line : w.log) {
    BOOST_TEST_CONTEXT(line) {
      BOOST_TEST(!contains(line, "100000001"));
      BOOST_TEST(!contains(line, marker));
      BOOST_TEST(!contains(line, "Jane"));
      BOOST_TEST(line.size() < 200u);
    }
  }
  BOOST_TEST_MESSAGE("log:\n"
                     << [&] {
                          std::string all;
                          for (const auto& line : w.log) all += line + "\n";
                          return all;
                        }());
}

BOOST_AUTO_TEST_CASE(webhook_calls_need_the_secret_token) {
  BotWorld w(with_webhook_secret());
  BOOST_REQUIRE(w.bot->register_webhook().ok());
  const auto webhook = w.server->webhook();
  BOOST_REQUIRE(webhook);
  BOOST_TEST(webhook->getValue<std::string>("secret_token") == kSecret);
  BOOST_TEST(webhook->getValue<std::string>("url") == "https://dsr.example/telegram/webhook");
  BOOST_TEST(webhook->getValue<int>("max_connections") == 1);
  // Polling is refused while a webhook is set (409), and says so.
  auto polled = w.bot->poll_once(std::chrono::seconds(0));
  BOOST_REQUIRE(!polled.ok());
  BOOST_TEST(contains(polled.error(), "409"));

  const std::string update = BotWorld::message(1, kSubject, "/help");
  const std::string body = update.substr(1, update.size() - 2);
  BOOST_TEST(w.bot->handle_webhook({}, body).status == 401);
  BOOST_TEST(w.bot->handle_webhook({{"X-Telegram-Bot-Api-Secret-Token", "wrong"}}, body).status == 401);
  BOOST_TEST(
      w.bot->handle_webhook({{"X-Telegram-Bot-Api-Secret-Token", std::string(kSecret) + "x"}}, body).status ==
      401);
  BOOST_TEST(w.calls().size() == 2u);  // setWebhook, the refused getUpdates: nothing else
  const auto accepted =
      telegram::handle_webhook({{"x-telegram-bot-api-secret-token", kSecret}}, body, *w.bot);
  BOOST_TEST(accepted.status == 200);
  BOOST_TEST(count_sent(w.calls(), text_with("Commands:")) == 1u);
  BOOST_TEST(std::count_if(w.log.begin(), w.log.end(), [](const std::string& line) {
               return contains(line, "webhook call refused");
             }) == 3);
}

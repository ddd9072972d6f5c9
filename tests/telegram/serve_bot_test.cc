#define BOOST_TEST_MODULE dsr serve : the Telegram bot
#include <boost/test/unit_test.hpp>

#include <Poco/File.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/support/run_dsr.h"
#include "tests/support/serve_process.h"
#include "tests/telegram/bot_world.h"
#include "tests/telegram/call_matchers.h"
#include "tests/web/web_client.h"

using namespace dsr;
using namespace dsr::test;

namespace {

constexpr const char* kSecret = "a-webhook-secret-of-some-length";

// An installation of its own for `dsr serve`, next to the world's Bot API server and
// sample marketing store (the world's own Bot is never polled here).
struct Installation {
  BotWorld world;
  std::string config = world.folder + "/serve.json";
  std::string log_path = world.folder + "/serve.log";
  std::unique_ptr<ServeProcess> serve;

  explicit Installation(const std::string& telegram_mode) {
    Poco::JSON::Object::Ptr document = world.config.document;
    Poco::JSON::Object::Ptr state = new Poco::JSON::Object;
    state->set("engine", "sqlite");
    state->set("sqlite", "serve-state.sqlite");
    document->set("state", state);
    Poco::JSON::Object::Ptr serve_section = new Poco::JSON::Object;
    serve_section->set("batch_interval_minutes", 1);
    document->set("serve", serve_section);
    Poco::JSON::Object::Ptr downloads = new Poco::JSON::Object;
    downloads->set("base_url", "https://dsr.test");
    document->set("downloads", downloads);
    if (telegram_mode == "none") {
      document->remove("telegram");
    } else if (telegram_mode == "webhook") {
      auto telegram = document->getObject("telegram");
      telegram->set("mode", "webhook");
      telegram->set("webhook_url", "https://bot.dsr.test/telegram/updates");
      telegram->set("webhook_secret", kSecret);
    }
    std::ostringstream text;
    document->stringify(text);
    std::ofstream(config) << text.str();
    auto init = dsr({"init"});
    BOOST_REQUIRE_MESSAGE(init.code == 0, init.err);
    auto officer = dsr({"officer", "add", "olga", "--role", "officer"}, "a long enough password\n");
    BOOST_REQUIRE_MESSAGE(officer.code == 0, officer.err);
  }

  DsrRun dsr(std::vector<std::string> args, const std::string& input = "") {
    args.insert(args.begin(), {"--config", config});
    return run_dsr(args, input);
  }

  void start() { serve = std::make_unique<ServeProcess>(config, log_path); }
  void stop() {
    if (serve) BOOST_TEST(serve->stop() == 0);
    serve.reset();
  }
  std::string log() const {
    std::ifstream in(log_path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
  }

  // What `dsr serve` sent to the Bot API server, once `done` holds (polled, with a deadline).
  std::vector<Call> await_calls(const std::function<bool(const std::vector<Call>&)>& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    for (;;) {
      auto calls = world.calls();
      if (done(calls)) return calls;
      if (std::chrono::steady_clock::now() > deadline) {
        BOOST_FAIL("dsr serve's bot did not get there in time; it sent:\n"
                   << BotWorld::transcript(calls) << "\nserve log:\n"
                   << log());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  Poco::JSON::Array::Ptr telegram_requests() {
    auto listed = dsr({"--json", "list", "--channel", "telegram"});
    BOOST_REQUIRE_MESSAGE(listed.code == 0, listed.err);
    return Poco::JSON::Parser().parse(listed.out).extract<Poco::JSON::Array::Ptr>();
  }
};

std::function<bool(const std::vector<Call>&)> any(std::function<bool(const Call&)> match) {
  return [match](const std::vector<Call>& calls) { return std::any_of(calls.begin(), calls.end(), match); };
}

}  // namespace

BOOST_AUTO_TEST_CASE(polling_through_serve_from_access_to_the_export_in_the_chat) {
  Installation i("polling");
  i.start();
  i.world.server->push_updates(BotWorld::message(1, kSubject, "/access"));
  auto calls = i.await_calls(any(is_prompt));
  std::string confirm;
  for (const auto& c : calls) {
    if (is_prompt(c) && c.buttons.front().rfind("c:", 0) == 0) confirm = c.buttons.front();
  }
  BOOST_REQUIRE(!confirm.empty());
  i.world.server->push_updates(BotWorld::callback(2, kSubject, confirm, "cb-confirm"));
  i.await_calls(
      any([](const Call& c) { return c.method == "sendMessage" && contains(c.text, "Reference:"); }));

  auto filed = i.telegram_requests();
  BOOST_REQUIRE_EQUAL(filed->size(), 1u);
  const std::string id = filed->getObject(0)->getValue<std::string>("id");
  BOOST_TEST(filed->getObject(0)->getValue<std::string>("type") == "access");
  BOOST_TEST(filed->getObject(0)->getValue<std::string>("status") == "pending_approval");

  auto approved = i.dsr({"approve", id, "--officer", "olga"});
  BOOST_REQUIRE_MESSAGE(approved.code == 0, approved.err);
  // The scheduler's first round comes at start: a restart brings the batch pass now
  // rather than in a minute, and shows that the bot's offset survived it.
  i.stop();
  i.start();
  calls = i.await_calls(any([](const Call& c) { return c.method == "sendDocument" && c.answered == 200; }));
  const auto document = std::find_if(calls.begin(), calls.end(), [](const Call& c) {
    return c.method == "sendDocument" && c.answered == 200;
  });
  BOOST_TEST(document->chat_id == kSubject);
  BOOST_TEST(document->protect_content);
  BOOST_TEST(Poco::File(document->file_saved).getSize() > 0u);
  BOOST_TEST(i.dsr({"show", id}).out.find("completed") != std::string::npos);
  BOOST_TEST_MESSAGE("transcript:\n" << BotWorld::transcript(calls));
  // Each update was handled once, across the restart.
  BOOST_TEST(std::count_if(calls.begin(), calls.end(), [](const Call& c) {
               return c.method == "answerCallbackQuery" && c.callback_query_id == "cb-confirm";
             }) == 1);
  i.stop();

  const std::string log = i.log();
  BOOST_TEST(contains(log, "\"job\":\"telegram\""), log);
  BOOST_TEST(!contains(log, std::to_string(kSubject)));
  BOOST_TEST(!contains(log, "TEST-token"));
}

BOOST_AUTO_TEST_CASE(webhook_calls_need_the_secret_header) {
  Installation i("webhook");
  i.start();
  WebClient client(i.serve->port());
  const std::string update = BotWorld::message(7, kSubject, "/help");
  // One update, not an array: a webhook call carries a single update.
  const std::string body = update.substr(1, update.size() - 2);

  auto missing = client.send("POST", "/telegram/updates", body, "application/json");
  BOOST_TEST(missing.status == 401);
  auto wrong = client.send("POST", "/telegram/updates", body, "application/json",
                           {{"X-Telegram-Bot-Api-Secret-Token", "not-the-secret"}});
  BOOST_TEST(wrong.status == 401);
  BOOST_TEST(i.world.calls().size() == 0u);  // refused calls reach nobody

  auto right = client.send("POST", "/telegram/updates", body, "application/json",
                           {{"X-Telegram-Bot-Api-Secret-Token", kSecret}});
  BOOST_TEST(right.status == 200);
  const auto calls =
      i.await_calls(any([](const Call& c) { return c.method == "sendMessage" && c.answered == 200; }));
  for (const auto& c : calls) {
    BOOST_TEST(c.method != "getUpdates");  // webhook mode never polls
    if (c.method == "sendMessage") BOOST_TEST(c.chat_id == kSubject);
  }
  // The same update again (Telegram retries): handled once.
  auto again = client.send("POST", "/telegram/updates", body, "application/json",
                           {{"X-Telegram-Bot-Api-Secret-Token", kSecret}});
  BOOST_TEST(again.status == 200);
  BOOST_TEST(client.get("/telegram/updates").status == 405);
  i.stop();
  const auto after = i.world.calls();
  BOOST_TEST(
      std::count_if(after.begin(), after.end(), [](const Call& c) { return c.method == "sendMessage"; }) ==
      std::count_if(calls.begin(), calls.end(), [](const Call& c) { return c.method == "sendMessage"; }));

  const std::string log = i.log();
  BOOST_TEST(contains(log, "(telegram_webhook)"), log);
  BOOST_TEST(!contains(log, kSecret));
  BOOST_TEST(!contains(log, "/telegram/updates"));
}

BOOST_AUTO_TEST_CASE(without_a_telegram_section_serve_has_no_bot) {
  Installation i("none");
  i.start();
  WebClient client(i.serve->port());
  auto call = client.send("POST", "/telegram/updates", "{}", "application/json",
                          {{"X-Telegram-Bot-Api-Secret-Token", kSecret}});
  BOOST_TEST(call.status == 404);
  BOOST_REQUIRE(i.serve->await_log("\"job\":\"batch\""));
  i.stop();
  BOOST_TEST(!contains(i.log(), "telegram"), i.log());
  BOOST_TEST(i.world.calls().empty());
}

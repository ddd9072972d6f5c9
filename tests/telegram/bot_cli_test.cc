#define BOOST_TEST_MODULE dsr bot poll
#include <boost/test/unit_test.hpp>

#include <Poco/File.h>
#include <Poco/TemporaryFile.h>

#include <fstream>

#include "tests/support/run_dsr.h"
#include "tests/telegram/bot_api_server.h"

using namespace dsr::test;

namespace {

struct Installation {
  std::string folder = Poco::TemporaryFile::tempName();
  std::string config = folder + "/dsr.json";
  std::unique_ptr<BotApiServer> server;

  explicit Installation(const std::string& token = "42:cli-test") {
    Poco::File(folder).createDirectories();
    server = std::make_unique<BotApiServer>("42:cli-test", folder + "/bot-api");
    std::ofstream(config) << R"({"telegram": {"token": ")" << token << R"(", "base_url": ")"
                          << server->base_url() << R"(", "messages_per_second_per_chat": 20}})";
    const auto init = run_dsr({"--config", config, "init"});
    BOOST_REQUIRE_MESSAGE(init.code == 0, init.err);
  }
  ~Installation() {
    server.reset();
    Poco::File(folder).remove(true);
  }

  std::size_t messages() {
    const auto calls = server->calls();
    std::size_t n = 0;
    for (std::size_t i = 0; i < calls->size(); ++i) {
      if (calls->getObject(static_cast<unsigned>(i))->getValue<std::string>("method") == "sendMessage") ++n;
    }
    return n;
  }
};

std::string help_update(int id) {
  return "[{\"update_id\":" + std::to_string(id) +
         R"(,"message":{"message_id":1,"from":{"id":100000001,"is_bot":false,"first_name":"J"},)"
         R"("chat":{"id":100000001,"type":"private"},"date":1,"text":"/help"}}])";
}

}  // namespace

BOOST_AUTO_TEST_CASE(poll_once_handles_each_update_once) {
  Installation i;
  i.server->push_updates(help_update(7));
  auto first = run_dsr({"--config", i.config, "bot", "poll", "--once"});
  BOOST_TEST(first.code == 0, first.err);
  BOOST_TEST(
      trimmed(first.out) ==
      "bot: 1 updates (0 ignored, 0 already handled), 0 confirmations carried out, 0 requests with news, "
      "1 calls sent");
  BOOST_TEST(i.messages() == 1u);

  // Offered again: the new process asks from the stored offset, which confirms it away.
  i.server->push_updates(help_update(7));
  auto second = run_dsr({"--json", "--config", i.config, "bot", "poll", "--once"});
  BOOST_TEST(second.code == 0, second.err);
  BOOST_TEST(second.out.find("\"updates\": 0,") != std::string::npos, second.out);
  BOOST_TEST(i.messages() == 1u);
  const auto calls = i.server->calls();
  const auto last = calls->getObject(static_cast<unsigned>(calls->size() - 1));
  BOOST_TEST(last->getValue<std::string>("method") == "getUpdates");
  BOOST_TEST(last->getObject("params")->getValue<long long>("offset") == 8);
}

BOOST_AUTO_TEST_CASE(a_wrong_token_is_reported_before_anything_happens) {
  Installation i("42:wrong-token");
  auto run = run_dsr({"--config", i.config, "bot", "poll", "--once"});
  BOOST_TEST(run.code == 1);
  BOOST_TEST(run.err.find("telegram getMe: 401") != std::string::npos, run.err);
  BOOST_TEST(run.err.find("wrong-token") == std::string::npos);  // the token is never printed
}

BOOST_AUTO_TEST_CASE(usage_errors) {
  Installation i;
  BOOST_TEST(run_dsr({"--config", i.config, "bot", "poll", "--twice"}).code == 2);
  BOOST_TEST(run_dsr({"--config", i.config, "bot"}).code == 2);
}

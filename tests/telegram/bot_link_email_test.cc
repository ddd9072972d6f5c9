#define BOOST_TEST_MODULE telegram link_email
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <regex>

#include <Poco/File.h>
#include <Poco/TemporaryFile.h>

#include "dsr/telegram/code_mailer.h"
#include "tests/telegram/bot_world.h"
#include "tests/telegram/call_matchers.h"
#include "tests/telegram/smtp_sink.h"

using namespace dsr;
using namespace dsr::test;

namespace {

struct LinkWorld {
  std::string folder = Poco::TemporaryFile::tempName();
  SmtpSink smtp{folder};
  telegram::SmtpCodeMailer mailer{{"127.0.0.1", smtp.port(), "dsr@example.com"}};
  BotWorld w{WorldOptions{"", &mailer, 0}};
  long long next_update = 1;
  std::vector<std::string> seen_mails;

  ~LinkWorld() { Poco::File(folder).remove(true); }

  void say(const std::string& text) {
    w.server->push_updates(BotWorld::message(next_update++, kSubject, text));
  }

  // Asks for a code and returns it as it arrived by mail.
  std::string request_code(const std::string& address, std::size_t times_sent_before) {
    say("/link_email " + address);
    w.poll_until(sent(text_with("I have sent a one-time code"), times_sent_before + 1));
    const auto mails = smtp.wait_for(seen_mails.size() + 1);
    std::string fresh;
    for (const auto& mail : mails) {
      if (std::find(seen_mails.begin(), seen_mails.end(), mail) == seen_mails.end()) fresh = mail;
    }
    seen_mails = mails;
    BOOST_TEST(contains(fresh, "To: jane.doe@example.com"));
    static const std::regex code(R"(one-time code is ([0-9]{6}))");
    std::smatch match;
    BOOST_REQUIRE(std::regex_search(fresh, match, code));
    return match[1].str();
  }
};

std::string other_code(const std::string& code) { return code == "000000" ? "111111" : "000000"; }

}  // namespace

BOOST_AUTO_TEST_CASE(a_code_by_mail_links_the_address_to_the_telegram_id) {
  LinkWorld l;
  l.say("/link_email not-an-address");
  l.w.poll_until(sent(text_with("does not look like an email address")));

  const std::string code = l.request_code("Jane.Doe@Example.com", 0);
  l.say(other_code(code));
  l.w.poll_until(sent(text_with("That code is not right. 4 attempt(s) left.")));
  l.say(code);
  l.w.poll_until(sent(text_with("The email address is linked")));

  l.say("/access");
  auto calls = l.w.poll_until(sent(text_with("It covers your Telegram account and 1 email address(es) you linked.")));
  const auto prompt =
      std::find_if(calls.begin(), calls.end(), [](const Call& c) { return !c.buttons.empty(); });
  l.w.server->push_updates(
      BotWorld::callback(l.next_update++, kSubject, prompt->buttons.front(), "cb-access"));
  l.w.poll_until(sent(text_with("Reference:")));
  const auto filed = l.w.telegram_requests();
  BOOST_REQUIRE_EQUAL(filed.size(), 1u);
  std::vector<std::string> identities;
  for (const auto& identity : filed[0].identities) {
    BOOST_TEST(identity.proven);
    identities.push_back(identity.kind + "=" + identity.value);
  }
  std::sort(identities.begin(), identities.end());
  BOOST_TEST(identities == (std::vector<std::string>{"email=jane.doe@example.com", "telegram_id=100000001"}),
             boost::test_tools::per_element());
  for (const auto& line : l.w.log) BOOST_TEST(!contains(line, "example.com"), line);
}

BOOST_AUTO_TEST_CASE(codes_expire_and_wrong_guesses_are_limited) {
  LinkWorld l;
  std::string code = l.request_code("jane.doe@example.com", 0);
  l.w.clock.set(l.w.clock.now() + std::chrono::minutes(16));  // the default lifetime is 15 minutes
  l.say(code);
  l.w.poll_until(sent(text_with("That code has expired")));

  code = l.request_code("jane.doe@example.com", 1);
  for (int i = 0; i < 5; ++i) l.say(other_code(code));
  l.w.poll_until(sent(text_with("Too many wrong codes")));
  l.say(code);  // the right code, too late: it is void
  auto calls = l.w.poll_until(sent(text_with("I did not understand that")));
  BOOST_TEST(count_sent(calls, text_with("The email address is linked")) == 0u);
  BOOST_TEST(count_sent(calls, text_with("That code is not right")) == 4u);

  l.say("/access");
  calls = l.w.poll_until(sent(text_with("Shall I file the request?")));
  BOOST_TEST(count_sent(calls, text_with("It covers your Telegram account.")) == 1u);  // no email linked
}

BOOST_AUTO_TEST_CASE(without_mail_settings_linking_is_not_offered) {
  BotWorld w;
  w.server->push_updates(BotWorld::message(1, kSubject, "/link_email jane.doe@example.com"));
  w.poll_until(sent(text_with("Linking email addresses is not available here.")));
}

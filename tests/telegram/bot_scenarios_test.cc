#define BOOST_TEST_MODULE telegram bot scenarios
#include <boost/test/unit_test.hpp>

#include <Poco/File.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>

#include "dsr/common/crypto.h"
#include "tests/golden/zip_reader.h"
#include "tests/telegram/bot_world.h"
#include "tests/telegram/call_matchers.h"

using namespace dsr;
using namespace dsr::test;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Files a request of the given command for the known subject, through the keyboard.
std::string file_through_chat(BotWorld& w, const std::string& command, long long first_update) {
  w.server->push_updates(BotWorld::message(first_update, kSubject, command));
  auto calls =
      w.poll_until([](const std::vector<Call>& c) { return std::any_of(c.begin(), c.end(), is_prompt); });
  w.server->push_updates(BotWorld::callback(first_update + 1, kSubject, confirm_button(calls), "cb-file"));
  w.poll_until(sent(text_with("Reference:")));
  const auto filed = w.telegram_requests();
  BOOST_REQUIRE_EQUAL(filed.size(), 1u);
  return filed.front().id;
}

}  // namespace

BOOST_AUTO_TEST_CASE(erasure_from_chat_to_certificate) {
  BotWorld w;
  std::string conversation;
  w.server->push_updates(BotWorld::message(1, kSubject, "/start"));
  w.server->push_updates(BotWorld::message(2, kSubject, "/delete"));
  auto calls =
      w.poll_until([](const std::vector<Call>& c) { return std::any_of(c.begin(), c.end(), is_prompt); });
  conversation += "you > /start\nyou > /delete\n" + BotWorld::transcript(calls);
  std::size_t seen = calls.size();
  BOOST_TEST(count_sent(calls, text_with("Privacy: I act only for the Telegram account")) == 1u);
  BOOST_TEST(w.telegram_requests().empty());  // nothing is filed before the confirmation

  const std::string confirm = confirm_button(calls);
  const auto prompt = std::find_if(calls.begin(), calls.end(), is_prompt);
  const std::string pressed = prompt->labels.front();
  w.server->push_updates(BotWorld::callback(3, kSubject, confirm, "cb-delete-1"));
  calls = w.poll_until(sent(text_with("Reference:")));
  conversation += "you > (presses [" + pressed + "])\n" + BotWorld::transcript(calls, seen);
  seen = calls.size();
  BOOST_TEST(count_sent(calls, [](const Call& c) {
               return c.method == "answerCallbackQuery" && c.callback_query_id == "cb-delete-1";
             }) == 1u);

  const auto filed = w.telegram_requests();
  BOOST_REQUIRE_EQUAL(filed.size(), 1u);
  const Request& request = filed.front();
  BOOST_TEST(request.type == RequestType::erasure);
  BOOST_TEST(request.status == RequestStatus::pending_approval);  // proven by the channel
  BOOST_REQUIRE_EQUAL(request.identities.size(), 1u);
  BOOST_TEST(request.identities[0].kind == "telegram_id");
  BOOST_TEST(request.identities[0].value == "100000001");
  BOOST_TEST(request.identities[0].proven);

  const RunOutcome outcome = w.approve_and_run(request.id);
  conversation += "(an officer approves; the request runs)\n";
  calls = w.poll_until(sent(text_with("Your erasure request " + request.id + " is done")));
  conversation += BotWorld::transcript(calls, seen);

  Poco::JSON::Parser parser;
  const auto certificate =
      parser.parse(read_file(outcome.certificate_path)).extract<Poco::JSON::Object::Ptr>();
  const auto totals = certificate->getObject("totals");
  const std::string deleted = totals->get("rows_deleted").toString();
  BOOST_TEST(std::stoll(deleted) > 0);
  const auto summary = std::find_if(calls.begin(), calls.end(), text_with("is done"));
  BOOST_TEST(contains(summary->text, "Deleted: " + deleted + " records"));
  BOOST_TEST(contains(summary->text, "Masked: " + totals->get("rows_masked").toString() + " records"));
  BOOST_TEST(
      contains(summary->text, "law requires it: " + totals->get("rows_retained").toString() + " records"));
  BOOST_TEST(contains(summary->text, "Check afterwards: nothing left"));
  BOOST_TEST(summary->chat_id == kSubject);
  // The bot's own record of the person's dialogue is gone too.
  long long chat_rows = -1;
  w.db->session() << "SELECT COUNT(*) FROM telegram_chats WHERE user_id = 100000001", soci::into(chat_rows);
  BOOST_TEST(chat_rows == 0);

  // Printed for the record: the conversation as the person saw it.
  std::cout << "---- transcript: erasure through the bot ----\n"
            << conversation << "---- end of transcript ----\n";
}

BOOST_AUTO_TEST_CASE(access_delivers_the_export_zip_protected) {
  BotWorld w;
  const std::string id = file_through_chat(w, "/access", 1);
  const RunOutcome outcome = w.approve_and_run(id);
  auto calls = w.poll_until(sent([](const Call& c) { return c.method == "sendDocument"; }));
  const auto document = std::find_if(calls.begin(), calls.end(), [](const Call& c) {
    return c.method == "sendDocument" && c.answered == 200;
  });
  BOOST_TEST(document->chat_id == kSubject);
  BOOST_TEST(document->protect_content);
  BOOST_TEST(contains(document->text, id));
  BOOST_TEST(document->file_sha256 == sha256_hex(read_file(outcome.export_path)));

  const auto entries = golden::read_zip(document->file_saved);
  std::map<std::string, std::string> files(entries.begin(), entries.end());
  BOOST_TEST(files.count("index.html") == 1u);
  BOOST_TEST(files.count("manifest.json") == 1u);
  BOOST_REQUIRE(files.count("data/marketing/subscribers.json") == 1u);
  const std::string subscribers = files["data/marketing/subscribers.json"];
  BOOST_TEST(contains(subscribers, "100000001"));
  BOOST_TEST(!contains(subscribers, "100000002"));
}

BOOST_AUTO_TEST_CASE(a_large_export_goes_as_a_link) {
  BotWorld w({"", nullptr, 100});  // 100 bytes: every export is "too large"
  std::string asked_for;
  w.link_maker = [&](const std::string& request_id, const std::string&) -> Result<std::string> {
    asked_for = request_id;
    return std::string("https://dsr.example/download/opaque-token");
  };
  w.restart();
  const std::string id = file_through_chat(w, "/export", 1);
  w.approve_and_run(id);
  auto calls = w.poll_until(sent(text_with("https://dsr.example/download/opaque-token")));
  BOOST_TEST(asked_for == id);
  BOOST_TEST(count_sent(calls, [](const Call& c) { return c.method == "sendDocument"; }) == 0u);
}

BOOST_AUTO_TEST_CASE(forwarded_messages_and_typed_ids_never_widen_a_request) {
  BotWorld w;
  // A forward of someone else's message: not a request, whatever it says.
  w.server->push_updates(BotWorld::message(
      1, kSubject, "/delete", "en", "private", 0,
      R"("forward_origin":{"type":"user","sender_user":{"id":100000002,"is_bot":false,"first_name":"Bob"},)"
      R"("date":1764300000},"forward_from":{"id":100000002,"is_bot":false,"first_name":"Bob"})"));
  // The same command in a group: only a pointer to the private chat.
  w.server->push_updates(BotWorld::message(2, kStranger, "/delete", "en", "supergroup", -1001234567));
  // A message whose chat is not the sender's own private chat.
  w.server->push_updates(BotWorld::message(3, kSubject, "/delete", "en", "private", kStranger));
  // Ids and an address typed after the command.
  w.server->push_updates(BotWorld::message(4, kSubject, "/access 100000002 @bob bob@example.com"));
  auto calls =
      w.poll_until([](const std::vector<Call>& c) { return std::any_of(c.begin(), c.end(), is_prompt); });
  BOOST_TEST(count_sent(calls, text_with("Forwarded messages are not read as requests")) == 1u);
  BOOST_TEST(count_sent(calls, [](const Call& c) {
               return c.chat_id == -1001234567 &&
                      contains(c.text, "only handle data-protection requests in a private chat");
             }) == 1u);
  BOOST_TEST(count_sent(calls, [](const Call& c) { return c.chat_id == kStranger; }) == 0u);
  BOOST_TEST(count_sent(calls, text_with("The ids, names or addresses you typed were ignored")) == 1u);
  BOOST_TEST(count_sent(calls, is_prompt) == 1u);

  // Someone else pressing the subject's button (copied callback data) gets nothing.
  const std::string confirm = confirm_button(calls);
  w.server->push_updates(BotWorld::callback(5, kStranger, confirm, "cb-stranger"));
  calls = w.poll_until(sent([](const Call& c) { return c.callback_query_id == "cb-stranger"; }));
  BOOST_TEST(w.telegram_requests().empty());

  w.server->push_updates(BotWorld::callback(6, kSubject, confirm, "cb-subject"));
  w.poll_until(sent(text_with("Reference:")));
  const auto filed = w.telegram_requests();
  BOOST_REQUIRE_EQUAL(filed.size(), 1u);
  BOOST_TEST(filed[0].type == RequestType::access);
  BOOST_REQUIRE_EQUAL(filed[0].identities.size(), 1u);
  BOOST_TEST(filed[0].identities[0].kind == "telegram_id");
  BOOST_TEST(filed[0].identities[0].value == "100000001");
}

BOOST_AUTO_TEST_CASE(refusal_and_extension_are_explained) {
  BotWorld w;
  const std::string id = file_through_chat(w, "/optout", 1);
  auto extended = w.requests->extend(id, "olga", "many stores to search");
  BOOST_REQUIRE(extended.ok());
  auto calls = w.poll_until(sent(text_with("We need more time")));
  const auto extension = std::find_if(calls.begin(), calls.end(), text_with("We need more time"));
  BOOST_TEST(contains(extension->text, format_utc(*extended).substr(0, 10)));
  BOOST_TEST(contains(extension->text, "Reason: many stores to search"));

  BOOST_REQUIRE(w.requests->reject(id, "olga", "we hold no marketing data about you").ok());
  calls = w.poll_until(sent(text_with("was refused")));
  const auto refusal = std::find_if(calls.begin(), calls.end(), text_with("was refused"));
  BOOST_TEST(contains(refusal->text, "Reason: we hold no marketing data about you"));
  BOOST_TEST(contains(refusal->text, "Example Data Protection Authority"));
  BOOST_TEST(contains(refusal->text, "Art. 12(4)"));
  BOOST_TEST(count_sent(calls, text_with("We need more time")) == 1u);  // told once
}

BOOST_AUTO_TEST_CASE(the_language_code_picks_a_translation) {
  BotWorld w;
  w.server->push_updates(BotWorld::message(1, kSubject, "/start", "de-AT"));
  w.server->push_updates(BotWorld::message(2, kStranger, "/help", "pt-BR"));  // no Portuguese: English
  auto calls = w.poll_until(sent([](const Call& c) { return c.method == "sendMessage"; }, 2));
  BOOST_TEST(count_sent(calls, [](const Call& c) {
               return c.chat_id == kSubject && contains(c.text, "Hallo.");
             }) == 1u);
  BOOST_TEST(count_sent(calls, [](const Call& c) {
               return c.chat_id == kStranger && contains(c.text, "Commands:");
             }) == 1u);
}

BOOST_AUTO_TEST_CASE(status_and_withdrawal) {
  BotWorld w;
  const std::string id = file_through_chat(w, "/access", 1);
  w.server->push_updates(BotWorld::message(3, kSubject, "/status"));
  auto calls = w.poll_until(sent(text_with("Your requests:")));
  BOOST_TEST(count_sent(calls, text_with(id + ": access, waiting for review")) == 1u);

  w.server->push_updates(BotWorld::message(4, kSubject, "/cancel"));
  calls = w.poll_until(sent(text_with("withdraw one of your open requests")));
  const auto offer =
      std::find_if(calls.begin(), calls.end(), text_with("withdraw one of your open requests"));
  BOOST_REQUIRE_EQUAL(offer->buttons.size(), 1u);
  BOOST_TEST(offer->buttons[0] == "w:" + id);
  w.server->push_updates(BotWorld::callback(5, kSubject, offer->buttons[0], "cb-withdraw"));
  calls = w.poll_until(sent(text_with("is withdrawn")));
  BOOST_TEST(w.requests->get(id)->status == RequestStatus::cancelled);
}

BOOST_AUTO_TEST_CASE(declining_files_nothing_and_voids_the_keyboard) {
  BotWorld w;
  w.server->push_updates(BotWorld::message(1, kSubject, "/delete"));
  auto calls = w.poll_until([](const std::vector<Call>& c) { return std::any_of(c.begin(), c.end(), is_prompt); });
  const auto prompt = std::find_if(calls.begin(), calls.end(), is_prompt);
  BOOST_REQUIRE_EQUAL(prompt->buttons.size(), 2u);
  w.server->push_updates(BotWorld::callback(2, kSubject, prompt->buttons[1], "cb-no"));
  w.server->push_updates(BotWorld::callback(3, kSubject, prompt->buttons[0], "cb-yes-too-late"));
  calls = w.poll_until(sent([](const Call& c) { return c.callback_query_id == "cb-yes-too-late"; }));
  BOOST_TEST(count_sent(calls, text_with("Cancelled. Nothing was filed.")) == 1u);
  BOOST_TEST(count_sent(calls, [](const Call& c) {
               return c.callback_query_id == "cb-yes-too-late" && contains(c.text, "no longer valid");
             }) == 1u);
  BOOST_TEST(w.telegram_requests().empty());
}

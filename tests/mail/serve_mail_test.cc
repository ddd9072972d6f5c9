#define BOOST_TEST_MODULE dsr serve : mail intake and the verification link
#include <boost/test/unit_test.hpp>

#include <Poco/JSON/Parser.h>
#include <Poco/TemporaryFile.h>
#include <Poco/URI.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "dsr/common/time.h"
#include "dsr/mail/mime_parser.h"
#include "tests/mail/corpus.h"
#include "tests/mail/service_files.h"
#include "tests/support/run_dsr.h"
#include "tests/support/serve_process.h"
#include "tests/web/web_client.h"

using namespace dsr;
using test::env;
using test::first_line;
namespace fs = std::filesystem;

namespace {

void clear(const std::string& dir) {
  for (const auto& entry : fs::directory_iterator(dir)) fs::remove(entry.path());
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

struct Installation {
  std::string dovecot_dir = env("DSR_TEST_DOVECOT_DIR");
  std::string smtp_dir = env("DSR_TEST_SMTP_DIR");
  std::string folder = Poco::TemporaryFile::tempName();
  std::string config = folder + "/dsr.json";
  std::unique_ptr<test::ServeProcess> serve;

  Installation() {
    for (const char* sub : {"/maildir/new", "/maildir/cur"}) clear(dovecot_dir + sub);
    clear(smtp_dir + "/received/new");
    clear(smtp_dir + "/received/cur");
    fs::create_directories(folder);
    // No mail.link_base: the verification link takes the public address from downloads.base_url.
    std::ofstream(config) << R"({"state": {"engine": "sqlite", "sqlite": "state.sqlite"},
      "serve": {"batch_interval_minutes": 1},
      "downloads": {"base_url": "https://privacy.shop.test"},
      "mail": {"pop3": {"host": "127.0.0.1", "port": )"
                          << first_line(dovecot_dir + "/port") << R"(, "user": ")"
                          << first_line(dovecot_dir + "/user") << R"(", "password": ")"
                          << first_line(dovecot_dir + "/password") << R"(", "timeout_seconds": 10},
               "smtp": {"host": "127.0.0.1", "port": )"
                          << first_line(smtp_dir + "/port") << R"(, "timeout_seconds": 10},
               "from": "privacy@shop.test", "max_attempts": 3}})";
    auto init = dsr({"init"});
    BOOST_REQUIRE_MESSAGE(init.code == 0, init.err);
  }
  ~Installation() {
    serve.reset();
    fs::remove_all(folder);
  }

  test::DsrRun dsr(std::vector<std::string> args) {
    args.insert(args.begin(), {"--config", config});
    return test::run_dsr(args);
  }

  void deliver(const std::string& raw) {
    const fs::path tmp = fs::path(dovecot_dir) / "maildir" / "tmp" / "serve-test-1";
    std::ofstream(tmp, std::ios::binary) << test::with_crlf(raw);
    fs::permissions(
        tmp, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
    fs::rename(tmp, fs::path(dovecot_dir) / "maildir" / "new" / "serve-test-1");
  }

  // The mails the SMTP sink received, once there are `count` (polled with a deadline).
  std::vector<std::string> await_received(std::size_t count) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    for (;;) {
      std::vector<std::string> mails;
      for (const auto& entry : fs::directory_iterator(smtp_dir + "/received/new"))
        mails.push_back(test::read_file(entry.path().string()));
      if (mails.size() >= count) return mails;
      if (std::chrono::steady_clock::now() > deadline) {
        BOOST_FAIL("no verification mail arrived; serve log:\n" << (serve ? serve->log() : ""));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  Poco::JSON::Object::Ptr only_email_request() {
    auto listed = dsr({"--json", "list", "--channel", "email"});
    BOOST_REQUIRE_MESSAGE(listed.code == 0, listed.err);
    auto array = Poco::JSON::Parser().parse(listed.out).extract<Poco::JSON::Array::Ptr>();
    BOOST_REQUIRE_EQUAL(array->size(), 1u);
    return array->getObject(0);
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(from_the_mailbox_through_the_link_to_a_verified_request) {
  Installation i;
  i.deliver(
      "From: Jane Doe <jane.doe@example.com>\n"
      "To: privacy@shop.test\n"
      "Subject: Access request\n"
      "Message-ID: <serve-test-1@example.com>\n"
      "Date: Sun, 29 Nov 2026 10:00:00 +0000\n"
      "Content-Type: text/plain; charset=utf-8\n"
      "\n"
      "Hello, under Art. 15 GDPR I ask for access to my personal data and a copy of it.\n");
  i.serve = std::make_unique<test::ServeProcess>(i.config, i.folder + "/serve.log");

  const auto mails = i.await_received(1);
  BOOST_REQUIRE_EQUAL(mails.size(), 1u);
  BOOST_TEST(contains(mails[0], "X-RcptTo: jane.doe@example.com"), mails[0]);
  auto parsed = mail::parse_mail(test::with_crlf(mails[0]));
  BOOST_REQUIRE_MESSAGE(parsed.ok(), (parsed.ok() ? "" : parsed.error()));
  std::smatch link;
  BOOST_REQUIRE_MESSAGE(std::regex_search(parsed->text, link,
                                          std::regex(R"(https://privacy\.shop\.test(/mail/verify\?[^\s]+))")),
                        parsed->text);
  const std::string path = link[1].str();
  const std::string id = i.only_email_request()->getValue<std::string>("id");
  BOOST_TEST(contains(path, "request=" + id));
  BOOST_TEST(i.only_email_request()->getValue<std::string>("status") == "awaiting_verification");

  test::WebClient web(i.serve->port());
  // A scanner fetching the link changes nothing: GET shows a form.
  for (int fetch = 0; fetch < 2; ++fetch) {
    auto page = web.get(path);
    BOOST_TEST(page.status == 200);
    BOOST_TEST(contains(page.body, "<form method=\"post\" action=\"/mail/verify\">"));
    BOOST_TEST(contains(page.body, "value=\"" + id + "\""));
  }
  BOOST_TEST(i.only_email_request()->getValue<std::string>("status") == "awaiting_verification");

  Poco::URI uri(path);
  std::string code;
  for (const auto& [name, value] : uri.getQueryParameters())
    if (name == "code") code = value;
  BOOST_REQUIRE(!code.empty());

  auto wrong = web.post_form("/mail/verify", {{"request", id}, {"code", "0000-0000"}});
  BOOST_TEST(wrong.status == 400);
  BOOST_TEST(contains(wrong.body, "does not match"));
  BOOST_TEST(i.only_email_request()->getValue<std::string>("status") == "awaiting_verification");

  auto confirmed = web.post_form("/mail/verify", {{"request", id}, {"code", code}});
  BOOST_TEST(confirmed.status == 200);
  BOOST_TEST(contains(confirmed.body, "Address confirmed"));
  auto request = i.only_email_request();
  BOOST_TEST(request->getValue<std::string>("status") == "pending_approval");

  auto twice = web.post_form("/mail/verify", {{"request", id}, {"code", code}});
  BOOST_TEST(twice.status == 409);
  BOOST_TEST(contains(twice.body, "Nothing to confirm"));
  auto broken = web.get("/mail/verify?request=not-an-id&code=1234-5678");
  BOOST_TEST(broken.status == 400);
  BOOST_TEST(contains(broken.body, "link is incomplete"));

  BOOST_TEST(i.serve->stop() == 0);
  const std::string log = i.serve->log();
  BOOST_TEST(contains(log, "\"event\":\"mail_verification\""));
  BOOST_TEST(!contains(log, "jane.doe"));
  BOOST_TEST(!contains(log, code));
}

BOOST_AUTO_TEST_CASE(too_many_wrong_codes_lock_the_link) {
  Installation i;
  i.deliver(
      "From: Max Muster <max@example.com>\n"
      "To: privacy@shop.test\n"
      "Subject: Loeschung meiner Daten\n"
      "Message-ID: <serve-test-2@example.com>\n"
      "Date: Sun, 29 Nov 2026 10:00:00 +0000\n"
      "\n"
      "Bitte loeschen Sie alle meine Daten.\n");
  i.serve = std::make_unique<test::ServeProcess>(i.config, i.folder + "/serve.log");
  i.await_received(1);
  const std::string id = i.only_email_request()->getValue<std::string>("id");
  test::WebClient web(i.serve->port());
  for (int attempt = 0; attempt < 3; ++attempt) {
    BOOST_TEST(web.post_form("/mail/verify", {{"request", id}, {"code", "1111-1111"}}).status == 400);
  }
  auto locked = web.post_form("/mail/verify", {{"request", id}, {"code", "1111-1111"}});
  BOOST_TEST(locked.status == 403);
  BOOST_TEST(contains(locked.body, "Too many wrong codes"));
  BOOST_TEST(i.only_email_request()->getValue<std::string>("status") == "awaiting_verification");
}

BOOST_AUTO_TEST_CASE(officers_get_a_reminder_mail_for_an_overdue_request) {
  Installation i;
  auto officer = test::run_dsr(
      {"--config", i.config, "officer", "add", "olga", "--role", "officer", "--email", "Olga@DPO.shop.test"},
      "a long enough password\n");
  BOOST_REQUIRE_MESSAGE(officer.code == 0, officer.err);
  // Received by letter 40 days ago: overdue today.
  const std::string received = format_utc(add_days(SystemClock().now(), -40));
  auto submitted = i.dsr({"submit", "--type", "erasure", "--identity", "email=late@example.com", "--verified",
                          "--received", received});
  BOOST_REQUIRE_MESSAGE(submitted.code == 0, submitted.err);
  const std::string id = test::trimmed(submitted.out);

  i.serve = std::make_unique<test::ServeProcess>(i.config, i.folder + "/serve.log");
  const auto mails = i.await_received(1);
  BOOST_REQUIRE_EQUAL(mails.size(), 1u);
  BOOST_TEST(contains(mails[0], "X-RcptTo: olga@dpo.shop.test"), mails[0]);
  auto parsed = mail::parse_mail(test::with_crlf(mails[0]));
  BOOST_REQUIRE(parsed.ok());
  BOOST_TEST(parsed->subject == "Deadline reminder: 1 request");
  BOOST_TEST(contains(parsed->text, id + "  erasure"), parsed->text);
  BOOST_TEST(contains(parsed->text, "OVERDUE"));
  BOOST_TEST(contains(parsed->text, "https://privacy.shop.test/requests/" + id));
  BOOST_TEST(!contains(parsed->text, "late@example.com"));

  BOOST_REQUIRE(i.serve->await_log("\"event\":\"deadline_reminder\""));
  BOOST_TEST(i.serve->stop() == 0);
  const std::string log = i.serve->log();
  BOOST_TEST(!contains(log, "dpo.shop.test"));
  BOOST_TEST(!contains(log, "late@example.com"));
  BOOST_TEST(contains(i.dsr({"audit", "export"}).out, "request.deadline_reminder"));
}

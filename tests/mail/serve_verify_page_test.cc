#define BOOST_TEST_MODULE dsr serve : the verification pages with an injected clock
#include <boost/test/unit_test.hpp>

#include <Poco/Path.h>
#include <Poco/URI.h>

#include <atomic>
#include <fstream>
#include <regex>
#include <sstream>

#include "dsr/app/cli_context.h"
#include "dsr/app/serve_site.h"
#include "dsr/mail/intake.h"
#include "dsr/mail/mailbox.h"
#include "dsr/mail/notifications.h"
#include "dsr/requests/request_service.h"
#include "tests/support/run_dsr.h"
#include "tests/support/test_store.h"
#include "tests/web/in_process_site.h"
#include "tests/web/web_client.h"

using namespace dsr;

namespace {

// Read by the server's threads while the test moves it.
class TestClock : public Clock {
 public:
  TestClock() : seconds_(SystemClock().now().time_since_epoch().count()) {}
  TimePoint now() const override { return TimePoint(std::chrono::seconds(seconds_.load())); }
  void advance(std::chrono::hours by) {
    seconds_ += std::chrono::duration_cast<std::chrono::seconds>(by).count();
  }

 private:
  std::atomic<long long> seconds_;
};

class OneMessage : public mail::Mailbox {
 public:
  explicit OneMessage(std::string raw) : raw_(std::move(raw)) {}
  Result<std::vector<mail::MailboxEntry>> list() override {
    if (removed_) return std::vector<mail::MailboxEntry>{};
    return std::vector<mail::MailboxEntry>{{1, static_cast<long long>(raw_.size())}};
  }
  Result<std::string> retrieve(int) override { return raw_; }
  Result<std::string> message_id(int) override { return std::string("page-test@example.com"); }
  Status remove(int) override {
    removed_ = true;
    return Status::Ok();
  }
  Status finish() override { return Status::Ok(); }

 private:
  std::string raw_;
  bool removed_ = false;
};

class CapturingSender : public mail::MailSender {
 public:
  std::vector<mail::OutgoingMail> sent;
  Status send(const mail::OutgoingMail& mail) override {
    sent.push_back(mail);
    return Status::Ok();
  }
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

struct Installation {
  test::TestStore scratch;
  std::string config_path = Poco::Path(scratch.folder(), "dsr.json").toString();
  std::ostringstream log;
  TestClock clock;
  std::unique_ptr<cli::Site> site;
  std::unique_ptr<cli::Context> context;
  std::string request_id;
  std::string code;

  Installation() {
    // Nothing listens on port 1: the scheduler is off and the mail comes from memory.
    std::ofstream(config_path) << R"({"state": {"engine": "sqlite", "sqlite": "state.sqlite"},
      "serve": {"batch_interval_minutes": 0},
      "mail": {"pop3": {"host": "127.0.0.1", "port": 1, "user": "u", "password": "p"},
               "smtp": {"host": "127.0.0.1", "port": 1}, "from": "privacy@shop.test",
               "link_base": "https://dsr.test", "code_expiry_minutes": 60, "max_attempts": 3}})";
    auto init = test::run_dsr({"--config", config_path, "init"});
    BOOST_REQUIRE_MESSAGE(init.code == 0, init.err);
    auto opened = cli::open_context(config_path);
    BOOST_REQUIRE(opened.ok());
    context = std::move(*opened);

    auto site_opened = cli::Site::open(test::in_process_site(config_path, log, clock));
    BOOST_REQUIRE_MESSAGE(site_opened.ok(), (site_opened.ok() ? std::string() : site_opened.error()));
    site = std::move(*site_opened);
    BOOST_REQUIRE(site->start().ok());
  }

  // One mail request, and the code its verification mail carried.
  void receive_request() {
    auto settings = mail::read_mail_config(context->config);
    BOOST_REQUIRE(settings.ok());
    const mail::MailContext mail_context{*context->db, *context->key,       clock,
                                         *settings,    context->identities, Regulation::gdpr};
    OneMessage mailbox(
        "From: jane@example.com\r\nTo: privacy@shop.test\r\nSubject: access request\r\n"
        "Message-ID: <page-test@example.com>\r\n\r\nPlease send me a copy of my data.\r\n");
    const auto polled = mail::poll_once(mail_context, mailbox);
    BOOST_REQUIRE_MESSAGE(polled.requests == 1, polled.error);
    CapturingSender sender;
    auto sent = mail::send_pending_notifications(mail_context, sender, {});
    BOOST_REQUIRE(sent.ok());
    BOOST_REQUIRE_EQUAL(sender.sent.size(), 1u);
    std::smatch link;
    BOOST_REQUIRE(std::regex_search(
        sender.sent[0].body, link,
        std::regex(R"(https://dsr\.test/mail/verify\?request=([0-9a-f-]{36})&code=([0-9-]+))")));
    request_id = link[1].str();
    code = link[2].str();
  }

  std::string status() {
    auto request = RequestService(*context->db, *context->key, clock).get(request_id);
    BOOST_REQUIRE(request.ok());
    return std::string(to_string(request->status));
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(an_expired_code_gets_its_own_page_and_changes_nothing) {
  Installation i;
  i.receive_request();
  test::WebClient web(i.site->port());
  auto form = web.get("/mail/verify?request=" + i.request_id + "&code=" + i.code);
  BOOST_TEST(form.status == 200);
  BOOST_TEST(contains(form.body, "value=\"" + i.code + "\""));
  i.clock.advance(std::chrono::hours(2));  // past code_expiry_minutes
  auto expired = web.post_form("/mail/verify", {{"request", i.request_id}, {"code", i.code}});
  BOOST_TEST(expired.status == 410);
  BOOST_TEST(contains(expired.body, "The code has expired"));
  BOOST_TEST(i.status() == "awaiting_verification");
  BOOST_TEST(contains(i.log.str(), "\"outcome\":\"expired\""));
}

BOOST_AUTO_TEST_CASE(a_code_in_time_confirms_and_garbage_counts_as_an_attempt) {
  Installation i;
  i.receive_request();
  test::WebClient web(i.site->port());
  auto garbage = web.post_form("/mail/verify", {{"request", i.request_id}, {"code", "<script>"}});
  BOOST_TEST(garbage.status == 400);
  BOOST_TEST(!contains(garbage.body, "<script>"));
  BOOST_TEST(contains(garbage.body, "<form method=\"post\" action=\"/mail/verify\">"));  // try again
  auto confirmed = web.post_form("/mail/verify", {{"request", i.request_id}, {"code", i.code}});
  BOOST_TEST(confirmed.status == 200);
  BOOST_TEST(i.status() == "pending_approval");
}

BOOST_AUTO_TEST_CASE(the_pages_exist_only_with_a_mail_section) {
  test::TestStore scratch;
  const std::string config = Poco::Path(scratch.folder(), "dsr.json").toString();
  std::ofstream(config) << R"({"state": {"engine": "sqlite", "sqlite": "state.sqlite"},
                               "serve": {"batch_interval_minutes": 0}})";
  BOOST_REQUIRE(test::run_dsr({"--config", config, "init"}).code == 0);
  std::ostringstream log;
  cli::SiteSettings settings;
  settings.config_path = config;
  settings.listen = serve::ListenAddress{"127.0.0.1", 0};
  settings.log = &log;
  settings.scheduler = false;
  auto site = cli::Site::open(settings);
  BOOST_REQUIRE(site.ok());
  BOOST_REQUIRE((*site)->start().ok());
  BOOST_TEST(test::WebClient((*site)->port()).get("/mail/verify?request=x&code=y").status == 404);
}

#define BOOST_TEST_MODULE mail against dovecot and an SMTP server
#include <boost/test/unit_test.hpp>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/MessageHeader.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <thread>

#include "dsr/audit/audit_log.h"
#include "dsr/common/text.h"
#include "dsr/mail/intake.h"
#include "dsr/mail/mail_sender.h"
#include "dsr/mail/mail_store.h"
#include "dsr/mail/mime_parser.h"
#include "dsr/mail/notifications.h"
#include "dsr/mail/verification.h"
#include "dsr/requests/request_service.h"
#include "tests/mail/corpus.h"
#include "tests/mail/service_files.h"
#include "tests/support/run_dsr.h"
#include "tests/support/test_store.h"

using namespace dsr;
using test::env;
using test::first_line;
using namespace dsr::mail;
namespace fs = std::filesystem;

namespace {

// A message the SMTP sink received: the envelope recipients and the parsed mail.
struct Received {
  std::string rcpt_to;
  std::string raw;
  ParsedMail mail;
};

struct Servers {
  std::string dovecot_dir = env("DSR_TEST_DOVECOT_DIR");
  std::string smtp_dir = env("DSR_TEST_SMTP_DIR");
  std::string dovecot_script = env("DSR_TEST_DOVECOT_SCRIPT");
  int delivered = 0;

  Servers() {
    // Every test starts with an empty mailbox and an empty sink.
    for (const char* sub : {"/maildir/new", "/maildir/cur"}) clear(dovecot_dir + sub);
    clear(smtp_dir + "/received/new");
    clear(smtp_dir + "/received/cur");
  }

  static void clear(const std::string& dir) {
    for (const auto& entry : fs::directory_iterator(dir)) fs::remove(entry.path());
  }

  Pop3Settings pop3() const {
    Pop3Settings s;
    s.host = "127.0.0.1";
    s.port = std::stoi(first_line(dovecot_dir + "/port"));
    s.user = first_line(dovecot_dir + "/user");
    s.password = first_line(dovecot_dir + "/password");
    s.timeout_seconds = 10;
    return s;
  }

  SmtpSettings smtp() const {
    SmtpSettings s;
    s.host = "127.0.0.1";
    s.port = std::stoi(first_line(smtp_dir + "/port"));
    s.timeout_seconds = 10;
    return s;
  }

  // Delivery as an MTA does it: written to tmp/, then renamed into new/.
  void deliver(const std::string& raw) {
    const std::string name = "dsr-test-" + std::to_string(::getpid()) + "-" + std::to_string(++delivered);
    const fs::path tmp = fs::path(dovecot_dir) / "maildir" / "tmp" / name;
    std::ofstream(tmp, std::ios::binary) << raw;
    fs::permissions(
        tmp, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
    fs::rename(tmp, fs::path(dovecot_dir) / "maildir" / "new" / name);
  }

  std::size_t mailbox_size() const {
    std::size_t count = 0;
    for (const char* sub : {"/maildir/new", "/maildir/cur"}) {
      for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dovecot_dir + sub)) ++count;
    }
    return count;
  }

  std::vector<Received> received() const {
    std::vector<Received> out;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(smtp_dir + "/received/new"))
      files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      Received r;
      r.raw = test::read_file(file.string());
      std::istringstream in(r.raw);
      Poco::Net::MessageHeader header;
      header.read(in);
      r.rcpt_to = header.get("X-RcptTo", "");
      auto parsed = parse_mail(test::with_crlf(r.raw));
      if (!parsed) throw std::runtime_error("received mail unreadable: " + parsed.error());
      r.mail = *parsed;
      out.push_back(std::move(r));
    }
    return out;
  }

  // The sink writes each mail after it answered the client; wait until all are there.
  std::vector<Received> await_received(std::size_t count) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    auto mails = received();
    while (mails.size() < count && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      mails = received();
    }
    return mails;
  }

  void stop_dovecot() const {
    BOOST_REQUIRE(std::system(("'" + dovecot_script + "' stop '" + dovecot_dir + "' >/dev/null").c_str()) ==
                  0);
  }
  void start_dovecot() const {
    BOOST_REQUIRE(std::system(("'" + dovecot_script + "' start '" + dovecot_dir + "' >/dev/null").c_str()) ==
                  0);
  }
};

struct Fixture {
  Servers servers;
  test::TestStore store;
  std::unique_ptr<Database> db = store.open_initialised();
  SubjectKey key = SubjectKey::from_secret(std::string(64, 's'));
  SystemClock clock;
  IdentityNormaliser identities;
  MailConfig config;
  MailContext context{*db, key, clock, config, identities, Regulation::gdpr};
  RequestService requests{*db, key, clock};

  Fixture() {
    config.configured = true;
    config.pop3 = servers.pop3();
    config.smtp = servers.smtp();
    config.from_address = "privacy@shop.example";
    config.keywords = default_keywords();
    BOOST_REQUIRE(AuditLog(*db, key, clock).initialise().ok());
  }

  SendReport send() {
    auto sender = make_smtp_sender(config);
    auto report =
        send_pending_notifications(context, *sender, [](const std::string& id) -> Result<std::string> {
          return "https://privacy.shop.example/download/" + id;
        });
    BOOST_REQUIRE_MESSAGE(report.ok(), (report.ok() ? "" : report.error()));
    BOOST_REQUIRE_MESSAGE(report->failed == 0, report->first_error);
    return *report;
  }

  std::vector<Request> email_requests() {
    RequestFilter filter;
    filter.channel = std::string(kChannel);
    auto listed = requests.list(filter);
    BOOST_REQUIRE(listed.ok());
    return *listed;
  }

  std::vector<MessageRecord> notes() {
    std::vector<MessageRecord> out;
    BOOST_REQUIRE(db->read([&] {
                      out = MailStore(*db).messages();
                      return Status::Ok();
                    }).ok());
    return out;
  }
};

std::string address_of(const Request& request) {
  for (const auto& identity : request.identities) {
    if (identity.kind == "email") return identity.value;
  }
  return "";
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(the_corpus_through_pop3_and_smtp, Fixture) {
  const auto corpus = test::load_corpus();
  std::size_t expected_requests = 0, expected_ignored = 0, expected_rejected = 0;
  for (const auto& c : corpus) {
    servers.deliver(c.raw);
    expected_requests += c.outcome == "request";
    expected_ignored += c.outcome == "ignored";
    expected_rejected += c.outcome == "rejected";
  }
  const PollReport report = poll_once(context);
  BOOST_REQUIRE_MESSAGE(report.ok(), report.error);
  BOOST_TEST(report.fetched == static_cast<int>(corpus.size()));
  BOOST_TEST(report.requests == static_cast<int>(expected_requests));
  BOOST_TEST(report.ignored == static_cast<int>(expected_ignored));
  BOOST_TEST(report.rejected == static_cast<int>(expected_rejected));
  BOOST_TEST(servers.mailbox_size() == 0u);  // deleted, each after its outcome was stored
  BOOST_TEST(notes().size() == corpus.size());

  const auto stored = email_requests();
  BOOST_REQUIRE_EQUAL(stored.size(), expected_requests);
  std::set<std::string> code_recipients;
  for (const auto& c : corpus) {
    if (c.outcome != "request") continue;
    BOOST_TEST_CONTEXT(c.file) {
      auto found = std::find_if(stored.begin(), stored.end(),
                                [&](const Request& r) { return address_of(r) == c.code_to; });
      BOOST_REQUIRE(found != stored.end());
      BOOST_TEST(to_string(found->type) == c.type);
      BOOST_TEST(found->status == RequestStatus::awaiting_verification);
      BOOST_TEST(!found->identities.at(0).proven);
      code_recipients.insert(c.code_to);
    }
  }

  const SendReport sent = send();
  BOOST_TEST(sent.sent == static_cast<int>(expected_requests));
  const auto mails = servers.await_received(expected_requests);
  BOOST_REQUIRE_EQUAL(mails.size(), expected_requests);
  std::set<std::string> recipients;
  for (const auto& mail : mails) {
    recipients.insert(mail.rcpt_to);
    // Only ever the From address: never the Reply-To, the Return-Path, or an automated sender.
    BOOST_TEST(mail.raw.find("collector@elsewhere.example") == std::string::npos);
    BOOST_TEST(mail.raw.find("mass-mailer.example") == std::string::npos);
    BOOST_TEST(mail.mail.auto_submitted == "auto-replied");
    BOOST_TEST(codes_in(mail.mail.text).size() == 1u);
  }
  BOOST_TEST(recipients == code_recipients, boost::test_tools::per_element());

  // The forged From and the Reply-To case stay unverified: nobody returned the code.
  for (const auto& request : email_requests())
    BOOST_TEST(request.status == RequestStatus::awaiting_verification);

  // Nothing left, nothing sent twice.
  const PollReport again = poll_once(context);
  BOOST_REQUIRE_MESSAGE(again.ok(), again.error);
  BOOST_TEST(again.fetched == 0);
  BOOST_TEST(send().sent == 0);
}

BOOST_FIXTURE_TEST_CASE(the_mailbox_going_away_in_a_poll_loses_nothing, Fixture) {
  constexpr int kMessages = 7;
  constexpr int kStopAfter = 3;
  for (int i = 0; i < kMessages; ++i) {
    const std::string n = std::to_string(i);
    servers.deliver(test::with_crlf("From: person" + n +
                                    "@example.com\nSubject: Delete my data\nMessage-ID: <gone-" + n +
                                    "@example.com>\n\nPlease erase everything.\n"));
  }
  PollOptions options;
  options.after_commit = [&](int handled) {
    if (handled == kStopAfter) servers.stop_dovecot();
  };
  const PollReport interrupted = poll_once(context, options);
  BOOST_TEST(!interrupted.ok());
  BOOST_TEST_MESSAGE("interrupted poll: " << interrupted.error);
  BOOST_TEST(interrupted.requests == kStopAfter);
  BOOST_TEST(email_requests().size() == static_cast<std::size_t>(kStopAfter));
  BOOST_TEST(servers.mailbox_size() == static_cast<std::size_t>(kMessages));  // no deletion took effect

  servers.start_dovecot();
  const PollReport rerun = poll_once(context);
  BOOST_REQUIRE_MESSAGE(rerun.ok(), rerun.error);
  BOOST_TEST(rerun.fetched == kMessages);
  BOOST_TEST(rerun.repeated == kStopAfter);
  BOOST_TEST(rerun.requests == kMessages - kStopAfter);
  BOOST_TEST(servers.mailbox_size() == 0u);

  // Exactly once: one request per sender, one note per message.
  const auto stored = email_requests();
  BOOST_REQUIRE_EQUAL(stored.size(), static_cast<std::size_t>(kMessages));
  std::set<std::string> senders;
  for (const auto& request : stored) senders.insert(address_of(request));
  BOOST_TEST(senders.size() == static_cast<std::size_t>(kMessages));
  BOOST_TEST(notes().size() == static_cast<std::size_t>(kMessages));
  BOOST_TEST(send().sent == kMessages);
  BOOST_TEST(servers.await_received(kMessages).size() == static_cast<std::size_t>(kMessages));
}

// The whole way through the command line, as cron would run it.
BOOST_AUTO_TEST_CASE(full_flow_message_code_reply_verified) {
  Servers servers;
  test::TestStore store;
  if (store.engine() != StoreEngine::sqlite) return;
  const std::string config_path = store.folder() + "/dsr.json";
  {
    std::ofstream file(config_path);
    Poco::JSON::Object root;
    Poco::JSON::Object::Ptr state = new Poco::JSON::Object;
    state->set("engine", "sqlite");
    state->set("sqlite", "state.sqlite");
    root.set("state", state);
    Poco::JSON::Object::Ptr controller = new Poco::JSON::Object;
    controller->set("name", "Shop GmbH");
    controller->set("contact", "privacy@shop.example");
    controller->set("supervisory_authority", "Berliner Beauftragte für Datenschutz und Informationsfreiheit");
    root.set("controller", controller);
    Poco::JSON::Object::Ptr mail = new Poco::JSON::Object;
    Poco::JSON::Object::Ptr pop3 = new Poco::JSON::Object;
    pop3->set("host", "127.0.0.1");
    pop3->set("port", servers.pop3().port);
    pop3->set("user", servers.pop3().user);
    pop3->set("password", servers.pop3().password);
    mail->set("pop3", pop3);
    Poco::JSON::Object::Ptr smtp = new Poco::JSON::Object;
    smtp->set("host", "127.0.0.1");
    smtp->set("port", servers.smtp().port);
    mail->set("smtp", smtp);
    mail->set("from", "privacy@shop.example");
    mail->set("link_base", "https://privacy.shop.example");
    root.set("mail", mail);
    root.stringify(file, 2);
  }
  auto dsr = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--config", config_path});
    return test::run_dsr(args);
  };
  const auto init = dsr({"init"});
  BOOST_REQUIRE_MESSAGE(init.code == 0, init.err);

  servers.deliver(test::with_crlf(test::read_file(test::corpus_dir() + "/plain_text.eml")));
  const auto first = dsr({"mail", "poll"});
  BOOST_REQUIRE_MESSAGE(first.code == 0, first.err);
  BOOST_TEST(test::trimmed(first.out) ==
             "mail: fetched 1, requests 1, verifications 0, ignored 0, rejected 0, repeated 0; sent 1, send "
             "failures 0");

  auto mails = servers.await_received(1);
  BOOST_REQUIRE_EQUAL(mails.size(), 1u);
  const Received verification = mails[0];  // a copy: mails is read again below
  BOOST_TEST(verification.rcpt_to == "jane.doe@example.com");
  std::cout << "---- verification mail as the SMTP server received it ----\n"
            << verification.raw << "---- end of mail ----\n";
  const auto codes = codes_in(verification.mail.text);
  BOOST_REQUIRE_EQUAL(codes.size(), 1u);

  const auto listed = dsr({"--json", "list", "--channel", "email"});
  BOOST_REQUIRE_MESSAGE(listed.code == 0, listed.err);
  auto parsed = Poco::JSON::Parser().parse(listed.out).extract<Poco::JSON::Array::Ptr>();
  BOOST_REQUIRE_EQUAL(parsed->size(), 1u);
  const std::string id = parsed->getObject(0)->getValue<std::string>("id");
  BOOST_TEST(parsed->getObject(0)->getValue<std::string>("status") == "awaiting_verification");

  // The person answers from their mail program: quoted original, code inside.
  std::string quoted;
  std::istringstream body(verification.mail.text);
  for (std::string line; std::getline(body, line);) quoted += "> " + line + "\n";
  servers.deliver(
      test::with_crlf("From: Jane Doe <jane.doe@example.com>\nTo: privacy@shop.example\nSubject: Re: " +
                      verification.mail.subject + "\nMessage-ID: <reply-jane-1@example.com>\n" +
                      "In-Reply-To: <" + verification.mail.message_id + ">\n" +
                      "Content-Type: text/plain; charset=utf-8\n\nYes, that was me.\n\n" + quoted));
  const auto second = dsr({"mail", "poll"});
  BOOST_REQUIRE_MESSAGE(second.code == 0, second.err);
  BOOST_TEST(test::trimmed(second.out) ==
             "mail: fetched 1, requests 0, verifications 1, ignored 0, rejected 0, repeated 0; sent 1, send "
             "failures 0");

  const auto shown = dsr({"show", id});
  BOOST_REQUIRE_MESSAGE(shown.code == 0, shown.err);
  std::cout << "---- dsr show " << id << " ----\n" << shown.out << "---- end ----\n";
  BOOST_TEST(shown.out.find("pending_approval") != std::string::npos);

  mails = servers.await_received(2);
  BOOST_REQUIRE_EQUAL(mails.size(), 2u);
  const Received& receipt = mails[0].mail.message_id == verification.mail.message_id ? mails[1] : mails[0];
  BOOST_TEST(receipt.rcpt_to == "jane.doe@example.com");
  BOOST_TEST(receipt.mail.text.find("We will answer by") != std::string::npos, receipt.raw);

  // An officer may correct the type the keywords chose while the request waits.
  const auto officer = test::run_dsr({"--config", config_path, "officer", "add", "olga", "--role", "officer"},
                                     "correct horse battery staple\n");
  BOOST_REQUIRE_MESSAGE(officer.code == 0, officer.err);
  const auto retyped = dsr({"retype", id, "--type", "access", "--officer", "olga", "--note", "asked for a copy"});
  BOOST_REQUIRE_MESSAGE(retyped.code == 0, retyped.err);
  BOOST_TEST(test::trimmed(retyped.out) == id + " access");
  BOOST_TEST(dsr({"show", id}).out.find("type         access") != std::string::npos);

  // The code was never stored in clear.
  BOOST_TEST(test::read_file(store.folder() + "/state.sqlite").find(codes[0]) == std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(pop3_over_tls_and_smtp_with_starttls_check_certificates, Fixture) {
  // Trust exactly the two test certificates.
  const std::string bundle = store.folder() + "/test-ca.pem";
  std::ofstream(bundle) << test::read_file(servers.dovecot_dir + "/cert.pem")
                        << test::read_file(servers.smtp_dir + "/cert.pem");
  config.ca_file = bundle;
  config.pop3.host = "localhost";
  config.pop3.port = std::stoi(first_line(servers.dovecot_dir + "/tls_port"));
  config.pop3.tls = true;
  config.smtp.host = "localhost";
  config.smtp.port = std::stoi(first_line(servers.smtp_dir + "/tls_port"));

  servers.deliver(test::with_crlf(test::read_file(test::corpus_dir() + "/plain_text.eml")));
  // The system's trust store does not know the test certificate: no connection.
  MailConfig untrusted = config;
  untrusted.ca_file.clear();
  const MailContext untrusted_context{*db, key, clock, untrusted, identities, Regulation::gdpr};
  const PollReport refused = poll_once(untrusted_context);
  BOOST_TEST(!refused.ok());
  BOOST_TEST_MESSAGE("untrusted POP3S: " << refused.error);
  BOOST_TEST(servers.mailbox_size() == 1u);

  const PollReport polled = poll_once(context);
  BOOST_REQUIRE_MESSAGE(polled.ok(), polled.error);
  BOOST_TEST(polled.requests == 1);

  // The server requires STARTTLS: without it nothing is sent and the mail stays queued.
  config.smtp.starttls = false;
  {
    auto sender = make_smtp_sender(config);
    auto report = send_pending_notifications(context, *sender, {});
    BOOST_REQUIRE(report.ok());
    BOOST_TEST(report->failed == 1);
    BOOST_TEST(report->first_error.find("STARTTLS") != std::string::npos, report->first_error);
  }
  config.smtp.starttls = true;
  BOOST_TEST(send().sent == 1);
  const auto mails = servers.await_received(1);
  BOOST_REQUIRE_EQUAL(mails.size(), 1u);
  BOOST_TEST(mails[0].rcpt_to == "jane.doe@example.com");
}

BOOST_FIXTURE_TEST_CASE(a_message_over_the_size_limit_is_noted_unread_and_deleted, Fixture) {
  config.max_message_bytes = 1000000;
  const auto corpus = test::load_corpus();
  const auto large = std::find_if(corpus.begin(), corpus.end(),
                                  [](const test::CorpusCase& c) { return c.file == "large_attachment.eml.in"; });
  BOOST_REQUIRE(large != corpus.end());
  servers.deliver(large->raw);
  servers.deliver(large->raw);  // the same message twice: one note
  const PollReport report = poll_once(context);
  BOOST_REQUIRE_MESSAGE(report.ok(), report.error);
  BOOST_TEST(report.rejected == 1);
  BOOST_TEST(report.repeated == 1);
  BOOST_TEST(report.requests == 0);
  BOOST_TEST(servers.mailbox_size() == 0u);
  const auto stored = notes();
  BOOST_REQUIRE_EQUAL(stored.size(), 1u);
  BOOST_TEST(stored[0].note == "larger than mail.max_message_bytes; not read");
  BOOST_TEST(send().sent == 0);
}

#define BOOST_TEST_MODULE mail verification and notifications
#include <boost/test/unit_test.hpp>

#include <set>

#include "dsr/audit/audit_log.h"
#include "dsr/mail/intake.h"
#include "dsr/mail/mail_store.h"
#include "dsr/mail/notifications.h"
#include "dsr/mail/verification.h"
#include "dsr/requests/officer_service.h"
#include "dsr/requests/request_service.h"
#include "tests/support/snapshot.h"
#include "tests/support/test_store.h"

using namespace dsr;
using namespace dsr::mail;

namespace {

// A mailbox in memory: deletions take effect at finish(), as with POP3.
class MemoryMailbox : public Mailbox {
 public:
  std::vector<std::string> messages;
  std::vector<int> deleted;

  Result<std::vector<MailboxEntry>> list() override {
    std::vector<MailboxEntry> out;
    for (std::size_t i = 0; i < messages.size(); ++i) {
      out.push_back({static_cast<int>(i + 1), static_cast<long long>(messages[i].size())});
    }
    return out;
  }
  Result<std::string> retrieve(int number) override {
    return messages.at(static_cast<std::size_t>(number - 1));
  }
  Result<std::string> message_id(int) override { return std::string("too-large@example.com"); }
  Status remove(int number) override {
    deleted.push_back(number);
    return Status::Ok();
  }
  Status finish() override {
    std::vector<std::string> kept;
    for (std::size_t i = 0; i < messages.size(); ++i) {
      if (std::find(deleted.begin(), deleted.end(), static_cast<int>(i + 1)) == deleted.end()) {
        kept.push_back(messages[i]);
      }
    }
    messages = kept;
    deleted.clear();
    return Status::Ok();
  }
};

class CapturingSender : public MailSender {
 public:
  std::vector<OutgoingMail> sent;
  Status send(const OutgoingMail& mail) override {
    sent.push_back(mail);
    return Status::Ok();
  }
};

std::string message(const std::string& from, const std::string& id, const std::string& subject,
                    const std::string& body) {
  return "From: " + from + "\r\nTo: privacy@shop.example\r\nSubject: " + subject + "\r\nMessage-ID: <" + id +
         ">\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n";
}

struct Fixture {
  test::TestStore store;
  std::unique_ptr<Database> db = store.open_initialised();
  SubjectKey key = SubjectKey::from_secret(std::string(64, 'm'));
  FixedClock clock{*parse_utc("2026-11-29T08:00:00Z")};
  IdentityNormaliser identities;
  MailConfig config;
  MailContext context{*db, key, clock, config, identities, Regulation::gdpr};
  MemoryMailbox mailbox;
  CapturingSender sender;
  std::vector<std::string> links_made;
  LinkMaker link_maker = [this](const std::string& id) -> Result<std::string> {
    links_made.push_back(id);
    return "https://privacy.shop.example/download/" + id + "/token-for-test";
  };
  RequestService requests{*db, key, clock};

  Fixture() {
    config.configured = true;
    config.from_address = "privacy@shop.example";
    config.link_base = "https://privacy.shop.example";
    config.max_attempts = 3;
    config.code_expiry_minutes = 60;
    config.keywords = default_keywords();
    config.controller = {"Shop GmbH", "privacy@shop.example", "Der Landesbeauftragte für den Datenschutz"};
    BOOST_REQUIRE(AuditLog(*db, key, clock).initialise().ok());
    BOOST_REQUIRE(
        OfficerService(*db, key, clock).add("olga", OfficerRole::officer, "correct horse battery", "t").ok());
  }

  // Delivers one message, polls, and returns the id of the request it made.
  std::string intake(const std::string& raw) {
    std::set<std::string> before;
    for (const auto& r : all_requests()) before.insert(r.id);
    mailbox.messages.push_back(raw);
    const PollReport report = poll_once(context, mailbox);
    BOOST_REQUIRE_MESSAGE(report.ok(), report.error);
    BOOST_REQUIRE_EQUAL(report.requests, 1);
    for (const auto& r : all_requests()) {
      if (!before.count(r.id)) return r.id;
    }
    BOOST_FAIL("no new request");
    return "";
  }

  std::vector<Request> all_requests() {
    auto listed = requests.list({});
    BOOST_REQUIRE(listed.ok());
    return *listed;
  }

  std::vector<OutgoingMail> send() {
    sender.sent.clear();
    auto report = send_pending_notifications(context, sender, link_maker);
    BOOST_REQUIRE_MESSAGE(report.ok(), (report.ok() ? "" : report.error()));
    BOOST_REQUIRE_MESSAGE(report->failed == 0, report->first_error);
    return sender.sent;
  }

  std::string code_in(const OutgoingMail& mail) {
    const auto codes = codes_in(mail.body);
    BOOST_REQUIRE_EQUAL(codes.size(), 1u);
    return codes.front();
  }

  RequestStatus status_of(const std::string& id) { return requests.get(id)->status; }

  std::string mail_tables() {
    std::string out;
    Status read = db->read([&] {
      for (const char* table : {"mail_messages", "mail_verifications", "mail_outbox", "mail_cursor"}) {
        soci::rowset<soci::row> rows = db->session().prepare << std::string("SELECT * FROM ") + table;
        for (const auto& row : rows) {
          for (std::size_t i = 0; i < row.size(); ++i) out += column_text(row, i) + "|";
          out += "\n";
        }
      }
      return Status::Ok();
    });
    BOOST_REQUIRE(read.ok());
    return out + test::snapshot(*db);
  }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(a_code_sent_to_the_from_address_verifies_the_request, Fixture) {
  const std::string id =
      intake(message("Jane <Jane@Example.com>", "m1@example.com", "Delete my data", "please"));
  BOOST_TEST(status_of(id) == RequestStatus::awaiting_verification);
  BOOST_TEST(requests.get(id)->type == RequestType::erasure);
  BOOST_TEST(requests.get(id)->channel == "email");
  BOOST_TEST(mailbox.messages.empty());

  const auto sent = send();
  BOOST_REQUIRE_EQUAL(sent.size(), 1u);
  BOOST_TEST(sent[0].to == "jane@example.com");
  BOOST_TEST(sent[0].auto_submitted == "auto-replied");
  BOOST_TEST(sent[0].subject.find("[ref " + id + "]") != std::string::npos);
  const std::string code = code_in(sent[0]);
  BOOST_TEST(sent[0].body.find("https://privacy.shop.example/mail/verify?request=" + id + "&code=" + code) !=
             std::string::npos);
  // Only the HMAC is stored, and the address is not in the mail tables.
  const std::string tables = mail_tables();
  BOOST_TEST(tables.find(code) == std::string::npos);
  BOOST_TEST(tables.find(code_hash(key, id, code)) != std::string::npos);
  BOOST_TEST(send().empty());  // nothing is sent twice

  auto wrong = confirm_code(context, id, "0000-0001");
  BOOST_REQUIRE(wrong.ok());
  BOOST_TEST(to_string(*wrong) == "wrong_code");
  BOOST_TEST(status_of(id) == RequestStatus::awaiting_verification);

  auto right = confirm_code(context, id, code);
  BOOST_REQUIRE(right.ok());
  BOOST_TEST(to_string(*right) == "confirmed");
  BOOST_TEST(status_of(id) == RequestStatus::pending_approval);
  BOOST_TEST(requests.get(id)->identities.at(0).proven);
  BOOST_TEST(to_string(*confirm_code(context, id, code)) == "not_awaited");

  // Verified: a receipt with the due date, to the same address.
  const auto receipt = send();
  BOOST_REQUIRE_EQUAL(receipt.size(), 1u);
  BOOST_TEST(receipt[0].to == "jane@example.com");
  BOOST_TEST(receipt[0].body.find("We will answer by 2026-12-29 at the latest.") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(attempts_are_limited_and_codes_expire, Fixture) {
  const std::string first = intake(message("a@example.com", "m2@example.com", "Access request", "x"));
  const std::string second = intake(message("b@example.com", "m3@example.com", "Access request", "x"));
  const auto sent = send();
  BOOST_REQUIRE_EQUAL(sent.size(), 2u);
  const std::string first_code = code_in(sent[0].to == "a@example.com" ? sent[0] : sent[1]);
  const std::string second_code = code_in(sent[0].to == "b@example.com" ? sent[0] : sent[1]);

  for (int i = 0; i < 2; ++i)
    BOOST_TEST(to_string(*confirm_code(context, first, "9999-999" + std::to_string(i))) == "wrong_code");
  BOOST_TEST(to_string(*confirm_code(context, first, "garbage")) == "wrong_code");
  // Three wrong attempts: even the right code is refused now.
  BOOST_TEST(to_string(*confirm_code(context, first, first_code)) == "attempts_exhausted");
  BOOST_TEST(status_of(first) == RequestStatus::awaiting_verification);

  clock.set(clock.now() + std::chrono::minutes(61));
  BOOST_TEST(to_string(*confirm_code(context, second, second_code)) == "expired");
  BOOST_TEST(status_of(second) == RequestStatus::awaiting_verification);
}

BOOST_FIXTURE_TEST_CASE(a_reply_with_the_code_verifies_and_is_handled_once, Fixture) {
  const std::string id =
      intake(message("jane@example.com", "m4@example.com", "Auskunft", "Bitte um Auskunft"));
  const auto sent = send();
  BOOST_REQUIRE_EQUAL(sent.size(), 1u);
  const std::string reply = message("jane@example.com", "reply-1@example.com", "Re: " + sent[0].subject,
                                    "Here it is.\r\n\r\n> Your confirmation code: " + code_in(sent[0]));
  // Fetched twice (the mailbox went away before the deletion took effect): counted once.
  mailbox.messages = {reply, reply};
  const PollReport report = poll_once(context, mailbox);
  BOOST_REQUIRE_MESSAGE(report.ok(), report.error);
  BOOST_TEST(report.verifications == 1);
  BOOST_TEST(report.repeated == 1);
  BOOST_TEST(report.requests == 0);
  BOOST_TEST(status_of(id) == RequestStatus::pending_approval);
}

BOOST_FIXTURE_TEST_CASE(an_unknown_request_must_be_retyped_before_approval, Fixture) {
  const std::string id = intake(message("kim@example.com", "m5@example.com", "Question", "Hello there"));
  BOOST_TEST(requests.get(id)->type == RequestType::unknown);
  BOOST_REQUIRE(to_string(*confirm_code(context, id, code_in(send().at(0)))) == "confirmed");
  const Status refused = requests.approve(id, "olga", "");
  BOOST_REQUIRE(!refused.ok());
  BOOST_TEST(refused.error().find("retype it first") != std::string::npos);
  BOOST_REQUIRE(requests.retype(id, "olga", RequestType::access, "asked for a copy").ok());
  BOOST_TEST(requests.get(id)->type == RequestType::access);
  BOOST_TEST(!requests.retype(id, "olga", RequestType::unknown, "").ok());
  BOOST_TEST(requests.approve(id, "olga", "").ok());
}

BOOST_FIXTURE_TEST_CASE(extension_rejection_and_completion_are_mailed_with_their_details, Fixture) {
  const std::string access = intake(message("jane@example.com", "m6@example.com", "Access request", "x"));
  const std::string erasure = intake(message("max@example.com", "m7@example.com", "Delete", "x"));
  for (const auto& mail : send()) {
    const std::string id = mail.to == "jane@example.com" ? access : erasure;
    BOOST_REQUIRE(to_string(*confirm_code(context, id, code_in(mail))) == "confirmed");
  }
  BOOST_TEST(send().size() == 2u);  // receipts

  BOOST_REQUIRE(requests.extend(access, "olga", "Your data sits in three archived systems.").ok());
  BOOST_REQUIRE(requests.reject(erasure, "olga", "Tax law requires us to keep invoices for ten years.").ok());
  auto mails = send();
  BOOST_REQUIRE_EQUAL(mails.size(), 2u);
  for (const auto& mail : mails) {
    if (mail.to == "jane@example.com") {
      BOOST_TEST(mail.body.find("The reason: Your data sits in three archived systems.") !=
                 std::string::npos);
      BOOST_TEST(mail.body.find("2027-02-28") != std::string::npos);  // three months from receipt, clamped
    } else {
      BOOST_TEST(mail.to == "max@example.com");
      BOOST_TEST(mail.body.find("The reason: Tax law requires us to keep invoices") != std::string::npos);
      BOOST_TEST(mail.body.find("right to lodge a complaint") != std::string::npos);
      BOOST_TEST(mail.body.find("Der Landesbeauftragte für den Datenschutz") != std::string::npos);
    }
  }

  BOOST_REQUIRE(requests.approve(access, "olga", "").ok());
  BOOST_REQUIRE(requests.transition(access, RequestStatus::running, "worker", "").ok());
  BOOST_REQUIRE(requests.transition(access, RequestStatus::completed, "worker", "").ok());
  auto completion = send();
  BOOST_REQUIRE_EQUAL(completion.size(), 1u);
  BOOST_TEST(links_made == std::vector<std::string>{access}, boost::test_tools::per_element());
  BOOST_TEST(completion[0].body.find("https://privacy.shop.example/download/" + access + "/token-for-test") !=
             std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(a_failed_link_keeps_the_completion_mail_queued, Fixture) {
  const std::string id = intake(message("jane@example.com", "m8@example.com", "Access request", "x"));
  BOOST_REQUIRE(to_string(*confirm_code(context, id, code_in(send().at(0)))) == "confirmed");
  send();
  BOOST_REQUIRE(requests.approve(id, "olga", "").ok());
  BOOST_REQUIRE(requests.transition(id, RequestStatus::running, "worker", "").ok());
  BOOST_REQUIRE(requests.transition(id, RequestStatus::completed, "worker", "").ok());
  link_maker = [](const std::string&) -> Result<std::string> { return fail("downloads unavailable"); };
  auto report = send_pending_notifications(context, sender, link_maker);
  BOOST_REQUIRE(report.ok());
  BOOST_TEST(report->failed == 1);
  BOOST_TEST(report->first_error.find("downloads unavailable") != std::string::npos);
  link_maker = [](const std::string& request) -> Result<std::string> {
    return "https://x.example/d/" + request;
  };
  const auto retried = send();
  BOOST_REQUIRE_EQUAL(retried.size(), 1u);
  BOOST_TEST(retried[0].body.find("https://x.example/d/" + id) != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(automated_and_unreadable_mail_is_noted_and_never_answered, Fixture) {
  mailbox.messages = {
      "From: MAILER-DAEMON@mx.example\r\nReturn-Path: <>\r\nSubject: Undelivered\r\nMessage-ID: "
      "<b1@mx>\r\n\r\nx\r\n",
      "From: a@example.com\r\nContent-Type: multipart/mixed\r\nMessage-ID: <b2@x>\r\n\r\nx\r\n",
      "From: a@example.com, b@example.com\r\nSubject: delete\r\nMessage-ID: <b3@x>\r\n\r\nx\r\n",
  };
  const PollReport report = poll_once(context, mailbox);
  BOOST_REQUIRE_MESSAGE(report.ok(), report.error);
  BOOST_TEST(report.ignored == 1);
  BOOST_TEST(report.rejected == 2);
  BOOST_TEST(mailbox.messages.empty());
  BOOST_TEST(send().empty());
  std::vector<MessageRecord> notes;
  BOOST_REQUIRE(db->read([&] {
                    notes = MailStore(*db).messages();
                    return Status::Ok();
                  }).ok());
  BOOST_REQUIRE_EQUAL(notes.size(), 3u);
  std::string all;
  for (const auto& note : notes) all += note.outcome + ": " + note.note + "\n";
  BOOST_TEST(all.find("ignored: not answered: bounce") != std::string::npos);
  BOOST_TEST(all.find("rejected: MIME: multipart without a boundary") != std::string::npos);
  BOOST_TEST(all.find("rejected: From: not exactly one address") != std::string::npos);
  BOOST_TEST(all.find("example.com") == std::string::npos);  // no addresses in the notes
}

BOOST_FIXTURE_TEST_CASE(a_refused_send_is_retried_and_its_error_holds_no_address, Fixture) {
  class RefusingSender : public MailSender {
   public:
    Status send(const OutgoingMail& mail) override {
      return fail("SMTP: 550 <" + mail.to + ">: no such user");
    }
  } refusing;
  const std::string id = intake(message("jane@example.com", "m9@example.com", "Access request", "x"));
  auto report = send_pending_notifications(context, refusing, link_maker);
  BOOST_REQUIRE(report.ok());
  BOOST_TEST(report->failed == 1);
  BOOST_TEST(report->first_error == "SMTP: 550 <<address>>: no such user");
  BOOST_TEST(mail_tables().find("<<address>>: no such user") != std::string::npos);
  // The next call sends it, with a fresh code that works.
  const auto sent = send();
  BOOST_REQUIRE_EQUAL(sent.size(), 1u);
  BOOST_TEST(to_string(*confirm_code(context, id, code_in(sent[0]))) == "confirmed");
}

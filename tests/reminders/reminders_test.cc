#define BOOST_TEST_MODULE deadline reminders
#include <boost/test/unit_test.hpp>

#include <Poco/JSON/Stringifier.h>

#include <sstream>
#include <utility>
#include <optional>
#include <functional>

#include "dsr/reminders/deadline_reminders.h"
#include "dsr/requests/officer_service.h"
#include "dsr/requests/request_service.h"
#include "tests/support/test_store.h"

using namespace dsr;
using reminders::ReminderContext;

namespace {

class RecordingSender : public mail::MailSender {
 public:
  Status send(const mail::OutgoingMail& mail) override {
    if (failing) return fail("smtp 127.0.0.1:1: connect refused");
    sent.push_back(mail);
    return Status::Ok();
  }
  std::vector<mail::OutgoingMail> sent;
  bool failing = false;
};

struct Fixture {
  test::TestStore store;
  std::unique_ptr<Database> db = store.open_initialised();
  SubjectKey key = SubjectKey::from_secret(std::string(64, 'c'));
  // Received on 1 March: due (GDPR, one month) on 1 April at the same time.
  FixedClock clock{*parse_utc("2026-03-01T09:00:00Z")};
  RequestService service{*db, key, clock};
  OfficerService officers{*db, key, clock};
  RecordingSender sender;
  std::vector<std::string> events;  // "event fields-as-json"

  Fixture() {
    BOOST_REQUIRE(AuditLog(*db, key, clock).initialise().ok());
    BOOST_REQUIRE(
        officers.add("olga", OfficerRole::officer, "correct horse battery", "test", "olga@dpo.test").ok());
    BOOST_REQUIRE(
        officers.add("adam", OfficerRole::admin, "correct horse battery", "test", "adam@dpo.test").ok());
    BOOST_REQUIRE(officers.add("otto", OfficerRole::officer, "correct horse battery", "test").ok());
    BOOST_REQUIRE(
        officers.add("audrey", OfficerRole::auditor, "correct horse battery", "test", "audrey@dpo.test")
            .ok());
  }

  std::string submit(const std::string& email, RequestType type = RequestType::access) {
    SubmitInput input;
    input.type = type;
    input.identities = {{"email", email}};
    input.identities_proven = true;
    auto outcome = service.submit(input);
    BOOST_REQUIRE_MESSAGE(outcome.ok(), (outcome.ok() ? "" : outcome.error()));
    return outcome->id;
  }

  ReminderContext context(bool with_mail) {
    return ReminderContext{*db,
                           key,
                           clock,
                           7,
                           "worker:test",
                           with_mail ? &sender : nullptr,
                           "https://dsr.test",
                           [this](const std::string& event, Poco::JSON::Object::Ptr fields) {
                             std::ostringstream text;
                             Poco::JSON::Stringifier::stringify(fields, text);
                             events.push_back(event + " " + text.str());
                           }};
  }

  reminders::ReminderReport pass(bool with_mail = true) {
    auto report = reminders::send_deadline_reminders(context(with_mail));
    BOOST_REQUIRE_MESSAGE(report.ok(), (report.ok() ? "" : report.error()));
    return *report;
  }

  void at(const std::string& time) { clock.set(*parse_utc(time)); }

  std::vector<std::string> audit_actions(const std::string& action) {
    std::vector<std::string> details;
    Status read = AuditLog(*db, key, clock).for_each([&](const AuditEntry& e) {
      if (e.action == action) details.push_back(e.request_id + " " + e.detail);
      return true;
    });
    BOOST_REQUIRE(read.ok());
    return details;
  }
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(nothing_while_deadlines_are_far, Fixture) {
  submit("far.away@example.com");
  auto report = pass();
  BOOST_TEST(report.reminded == 0u);
  BOOST_TEST(sender.sent.empty());
  BOOST_TEST(events.empty());
  BOOST_TEST(audit_actions("request.deadline_reminder").empty());
}

BOOST_FIXTURE_TEST_CASE(one_reminder_per_threshold_however_many_passes, Fixture) {
  const std::string id = submit("jane@example.com");
  // 1 April 09:00 is the deadline; 25 March is within seven days.
  at("2026-03-25T10:00:00Z");
  BOOST_TEST(pass().reminded == 1u);
  at("2026-03-25T10:15:00Z");
  BOOST_TEST(pass().reminded == 0u);
  at("2026-03-28T10:00:00Z");
  BOOST_TEST(pass().reminded == 0u);
  // Within a day: the next threshold.
  at("2026-03-31T12:00:00Z");
  BOOST_TEST(pass().reminded == 1u);
  BOOST_TEST(pass().reminded == 0u);
  // Past the deadline.
  at("2026-04-01T09:00:01Z");
  BOOST_TEST(pass().reminded == 1u);
  at("2026-04-05T09:00:00Z");
  BOOST_TEST(pass().reminded == 0u);

  const auto audited = audit_actions("request.deadline_reminder");
  BOOST_REQUIRE(audited.size() == 3u);
  BOOST_TEST(contains(audited[0], id));
  BOOST_TEST(contains(audited[0], "due_within_7_days"));
  BOOST_TEST(contains(audited[1], "due_within_1_day"));
  BOOST_TEST(contains(audited[2], "overdue"));
  BOOST_REQUIRE(events.size() == 3u);
  BOOST_TEST(contains(events[2], "deadline_reminder"));
  BOOST_TEST(contains(events[2], id));
  BOOST_TEST(contains(events[2], "\"threshold\":\"overdue\""));
  for (const auto& e : events) {
    BOOST_TEST(!contains(e, "jane"), e);
    BOOST_TEST(!contains(e, "dpo.test"), e);
  }
  for (const auto& a : audited) BOOST_TEST(!contains(a, "dpo.test"), a);
}

BOOST_FIXTURE_TEST_CASE(acting_officers_with_an_address_get_one_mail_per_pass, Fixture) {
  const std::string first = submit("jane@example.com");
  const std::string second = submit("john@example.com", RequestType::erasure);
  at("2026-03-26T10:00:00Z");
  auto report = pass();
  BOOST_TEST(report.reminded == 2u);
  BOOST_TEST(report.mails == 2u);  // olga and adam; otto has no address, audrey only reads
  BOOST_REQUIRE(sender.sent.size() == 2u);
  std::vector<std::string> to;
  for (const auto& m : sender.sent) to.push_back(m.to);
  BOOST_TEST((to == std::vector<std::string>{"adam@dpo.test", "olga@dpo.test"}));
  const auto& mail = sender.sent[0];
  BOOST_TEST(mail.subject == "Deadline reminder: 2 requests");
  BOOST_TEST(contains(mail.body, first));
  BOOST_TEST(contains(mail.body, second));
  BOOST_TEST(contains(mail.body, "https://dsr.test/requests/" + first));
  BOOST_TEST(contains(mail.body, "erasure"));
  BOOST_TEST(!contains(mail.body, "jane"));
  // The next pass has nothing new and sends nothing.
  sender.sent.clear();
  BOOST_TEST(pass().mails == 0u);
  BOOST_TEST(sender.sent.empty());
}

BOOST_FIXTURE_TEST_CASE(a_failed_mail_is_tried_again_and_the_reminder_is_not_repeated, Fixture) {
  submit("jane@example.com");
  at("2026-03-26T10:00:00Z");
  sender.failing = true;
  auto failed = pass();
  BOOST_TEST(failed.reminded == 1u);
  BOOST_TEST(failed.mail_failures == 2u);
  BOOST_REQUIRE(!events.empty());
  BOOST_TEST(contains(events.back(), "reminder_mail_failed"));
  BOOST_TEST(!contains(events.back(), "dpo.test"));
  sender.failing = false;
  at("2026-03-26T10:15:00Z");
  auto retried = pass();
  BOOST_TEST(retried.reminded == 0u);
  BOOST_TEST(retried.mails == 2u);
  BOOST_TEST(audit_actions("request.deadline_reminder").size() == 1u);
}

// A second `dsr serve` on the same store: it runs its pass while the first is between
// reading the pending reminders and marking them sent (here: inside the first mail).
class InterruptingSender : public mail::MailSender {
 public:
  explicit InterruptingSender(std::function<void()> meanwhile) : meanwhile_(std::move(meanwhile)) {}
  Status send(const mail::OutgoingMail& mail) override {
    if (meanwhile_) std::exchange(meanwhile_, nullptr)();
    sent.push_back(mail);
    return Status::Ok();
  }
  std::vector<mail::OutgoingMail> sent;

 private:
  std::function<void()> meanwhile_;
};

BOOST_FIXTURE_TEST_CASE(two_processes_mail_the_digest_once, Fixture) {
  submit("jane@example.com");
  at("2026-03-26T10:00:00Z");
  std::unique_ptr<Database> other_db = store.open();
  RecordingSender other_sender;
  std::optional<reminders::ReminderReport> other_report;
  InterruptingSender first_sender([&] {
    ReminderContext other = context(true);
    ReminderContext second{*other_db, key, clock, 7, "worker:other", &other_sender, "", other.log};
    auto report = reminders::send_deadline_reminders(second);
    BOOST_REQUIRE_MESSAGE(report.ok(), (report.ok() ? "" : report.error()));
    other_report = *report;
  });
  ReminderContext first = context(true);
  first.sender = &first_sender;
  auto report = reminders::send_deadline_reminders(first);
  BOOST_REQUIRE_MESSAGE(report.ok(), (report.ok() ? "" : report.error()));
  BOOST_REQUIRE(other_report.has_value());
  BOOST_TEST(report->mails == 2u);
  BOOST_TEST(first_sender.sent.size() == 2u);
  BOOST_TEST(other_report->mails == 0u);
  BOOST_TEST(other_sender.sent.empty());
  // Once the first is done, the digest is sent and nobody mails it again.
  BOOST_TEST(pass().mails == 0u);
  BOOST_TEST(sender.sent.empty());
}

BOOST_FIXTURE_TEST_CASE(a_process_that_died_mailing_is_replaced_when_its_time_is_up, Fixture) {
  submit("jane@example.com");
  at("2026-03-26T10:00:00Z");
  // A process took the digest five minutes ago and died.
  db->session() << "INSERT INTO reminder_mail_lock (id, holder, held_until) VALUES (1, 'worker:gone/00', '2026-03-26T10:05:00Z')";
  auto while_held = pass();
  BOOST_TEST(while_held.reminded == 1u);
  BOOST_TEST(while_held.mails == 0u);
  BOOST_TEST(sender.sent.empty());
  at("2026-03-26T10:06:00Z");
  BOOST_TEST(pass().mails == 2u);
  BOOST_TEST(sender.sent.size() == 2u);
}

BOOST_FIXTURE_TEST_CASE(without_mail_reminders_are_logged_and_audited_only, Fixture) {
  submit("jane@example.com");
  at("2026-04-02T10:00:00Z");
  auto report = pass(false);
  BOOST_TEST(report.reminded == 1u);
  BOOST_TEST(report.mails == 0u);
  BOOST_TEST(sender.sent.empty());
  BOOST_TEST(audit_actions("request.deadline_reminder").size() == 1u);
  // Configuring mail later does not send stale reminders.
  BOOST_TEST(pass(true).mails == 0u);
}

BOOST_FIXTURE_TEST_CASE(finished_requests_get_no_reminders_and_an_extension_starts_afresh, Fixture) {
  const std::string cancelled = submit("gone@example.com");
  BOOST_REQUIRE(service.cancel(cancelled, "test", "withdrawn").ok());
  const std::string extended = submit("jane@example.com", RequestType::erasure);
  at("2026-03-30T10:00:00Z");
  BOOST_TEST(pass().reminded == 1u);
  // Extended before the first deadline: three months from receipt, far away again.
  BOOST_REQUIRE(service.extend(extended, "olga", "many stores to search").ok());
  at("2026-04-02T10:00:00Z");
  BOOST_TEST(pass().reminded == 0u);
  // Near the new deadline (1 June): reminded again, for the new deadline.
  at("2026-05-28T10:00:00Z");
  BOOST_TEST(pass().reminded == 1u);
  const auto audited = audit_actions("request.deadline_reminder");
  BOOST_REQUIRE(audited.size() == 2u);
  BOOST_TEST(contains(audited[1], "2026-06-01T09:00:00Z"));
  for (const auto& a : audited) BOOST_TEST(!contains(a, cancelled));
}

BOOST_AUTO_TEST_CASE(thresholds) {
  Request r;
  r.status = RequestStatus::pending_approval;
  const TimePoint now = *parse_utc("2026-03-01T00:00:00Z");
  r.due_at = add_days(now, 30);
  BOOST_TEST(!reminders::threshold_for(r, now, 7));
  r.due_at = add_days(now, 7);
  BOOST_TEST(*reminders::threshold_for(r, now, 7) == "due_within_7_days");
  r.due_at = now + std::chrono::hours(20);
  BOOST_TEST(*reminders::threshold_for(r, now, 7) == "due_within_1_day");
  r.due_at = now - std::chrono::seconds(1);
  BOOST_TEST(*reminders::threshold_for(r, now, 7) == "overdue");
  BOOST_TEST(*reminders::threshold_for(r, now, 0) == "overdue");
  r.status = RequestStatus::completed;
  BOOST_TEST(!reminders::threshold_for(r, now, 7));
}

#define BOOST_TEST_MODULE request lifecycle
#include <boost/test/unit_test.hpp>

#include "dsr/requests/officer_service.h"
#include "dsr/requests/password.h"
#include "dsr/requests/request_service.h"
#include "tests/support/snapshot.h"
#include "tests/support/test_store.h"

using namespace dsr;

namespace {

struct Fixture {
  test::TestStore store;
  std::unique_ptr<Database> db = store.open_initialised();
  SubjectKey key = SubjectKey::from_secret(std::string(64, 'c'));
  FixedClock clock{*parse_utc("2026-01-31T09:00:00Z")};
  RequestService service{*db, key, clock};
  OfficerService officers{*db, key, clock};

  Fixture() {
    BOOST_REQUIRE(AuditLog(*db, key, clock).initialise().ok());
    BOOST_REQUIRE(officers.add("olga", OfficerRole::officer, "correct horse battery", "test").ok());
    BOOST_REQUIRE(officers.add("otto", OfficerRole::officer, "correct horse battery", "test").ok());
    BOOST_REQUIRE(officers.add("audrey", OfficerRole::auditor, "correct horse battery", "test").ok());
  }

  std::string submit(RequestType type, const std::string& email, bool proven = true,
                     Regulation regulation = Regulation::gdpr) {
    SubmitInput input;
    input.type = type;
    input.regulation = regulation;
    input.identities = {{"email", email}};
    input.identities_proven = proven;
    auto outcome = service.submit(input);
    BOOST_REQUIRE_MESSAGE(outcome.ok(), (outcome.ok() ? "" : outcome.error()));
    return outcome->id;
  }

  RequestStatus status_of(const std::string& id) { return service.get(id)->status; }

  // Runs a refused operation and checks that it changed nothing at all.
  template <typename Operation>
  std::string refused(Operation operation) {
    const std::string before = test::snapshot(*db);
    const std::string error = operation();
    BOOST_TEST(!error.empty());
    BOOST_TEST(test::snapshot(*db) == before);
    return error;
  }
};

std::string error_of(const Status& s) { return s.ok() ? "" : s.error(); }
template <typename T>
std::string error_of(const Result<T>& r) {
  return r.ok() ? "" : r.error();
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(full_lifecycle_with_audit, Fixture) {
  const std::string id = submit(RequestType::access, "jane@example.com", false);
  BOOST_TEST((status_of(id) == RequestStatus::awaiting_verification));
  BOOST_TEST(service.verify(id, "olga", "called back on the registered number").ok());
  BOOST_TEST((status_of(id) == RequestStatus::pending_approval));
  BOOST_TEST(service.get(id)->identities[0].proven);
  BOOST_TEST(service.approve(id, "otto", "").ok());
  BOOST_TEST((status_of(id) == RequestStatus::approved));
  BOOST_TEST(service.get(id)->approved_by == "otto");
  BOOST_TEST(service.transition(id, RequestStatus::running, "worker:test", "").ok());
  BOOST_TEST(service.transition(id, RequestStatus::completed, "worker:test", "").ok());
  BOOST_TEST((status_of(id) == RequestStatus::completed));

  auto events = service.events(id);
  BOOST_REQUIRE(events.ok());
  std::vector<std::string> kinds;
  for (const auto& e : *events) kinds.push_back(e.kind + ":" + e.to_status);
  const std::vector<std::string> expected = {"received:received", "status:awaiting_verification",
                                             "verified:pending_approval", "approved:approved", "status:running",
                                             "status:completed"};
  BOOST_TEST(kinds == expected, boost::test_tools::per_element());

  AuditLog audit(*db, key, clock);
  const AuditVerification v = audit.verify();
  BOOST_TEST(v.intact);
  // 3 officers + received + 5 transitions.
  BOOST_TEST(v.entries == 9);
}

BOOST_FIXTURE_TEST_CASE(audit_entries_hold_no_identity_values_or_reasons, Fixture) {
  const std::string id = submit(RequestType::erasure, "secret.person@example.com");
  BOOST_REQUIRE(service.reject(id, "olga", "Secret Person is not a customer").ok());
  AuditLog audit(*db, key, clock);
  std::string all;
  BOOST_REQUIRE(audit.for_each([&](const AuditEntry& e) {
                      all += e.action + e.actor + e.subject + e.detail + "\n";
                      return true;
                    }).ok());
  BOOST_TEST(all.find("secret.person") == std::string::npos);
  BOOST_TEST(all.find("Secret Person") == std::string::npos);
  BOOST_TEST(all.find(key.pseudonym({"email", "secret.person@example.com"})) != std::string::npos);
  BOOST_TEST(all.find("note_sha256") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(deadlines_count_from_receipt, Fixture) {
  // 31 January + one month = 28 February (2026 is not a leap year).
  const std::string gdpr = submit(RequestType::access, "a@example.com");
  BOOST_TEST(format_utc(service.get(gdpr)->due_at) == "2026-02-28T09:00:00Z");
  const std::string ccpa = submit(RequestType::access, "b@example.com", true, Regulation::ccpa);
  BOOST_TEST(format_utc(service.get(ccpa)->due_at) == "2026-03-17T09:00:00Z");

  SubmitInput letter;
  letter.type = RequestType::erasure;
  letter.identities = {{"email", "c@example.com"}};
  letter.received_at = *parse_utc("2025-12-01");
  auto old = service.submit(letter);
  BOOST_REQUIRE(old.ok());
  BOOST_TEST(format_utc(old->due_at) == "2026-01-01T00:00:00Z");
  RequestFilter overdue;
  overdue.overdue_only = true;
  auto late = service.list(overdue);
  BOOST_REQUIRE(late.ok());
  BOOST_REQUIRE(late->size() == 1u);
  BOOST_TEST((*late)[0].id == old->id);

  SubmitInput future = letter;
  future.received_at = *parse_utc("2027-01-01");
  BOOST_TEST(error_of(service.submit(future)).find("future") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(extend_once_with_a_reason, Fixture) {
  const std::string id = submit(RequestType::access, "a@example.com");
  const std::string ccpa = submit(RequestType::access, "b@example.com", true, Regulation::ccpa);
  BOOST_TEST(refused([&] { return error_of(service.extend(id, "olga", "  ")); }).find("reason is required") !=
             std::string::npos);
  auto extended = service.extend(id, "olga", "many stores to search");
  BOOST_REQUIRE(extended.ok());
  BOOST_TEST(format_utc(*extended) == "2026-04-30T09:00:00Z");
  BOOST_TEST(format_utc(*service.extend(ccpa, "olga", "complex")) == "2026-05-01T09:00:00Z");
  BOOST_TEST(refused([&] { return error_of(service.extend(id, "olga", "again")); }).find("extended once") !=
             std::string::npos);
  BOOST_TEST(service.get(id)->extension_reason == "many stores to search");
}

BOOST_FIXTURE_TEST_CASE(extension_after_the_first_deadline_is_refused, Fixture) {
  const std::string id = submit(RequestType::access, "a@example.com");
  clock.set(*parse_utc("2026-03-01T00:00:00Z"));
  BOOST_TEST(refused([&] { return error_of(service.extend(id, "olga", "late")); }).find("has passed") !=
             std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(illegal_transitions_change_nothing, Fixture) {
  const std::string id = submit(RequestType::access, "a@example.com", false);
  // Not yet verified: cannot approve.
  BOOST_TEST(refused([&] { return error_of(service.approve(id, "olga", "")); }).find("awaiting_verification") !=
             std::string::npos);
  BOOST_TEST(refused([&] { return error_of(service.transition(id, RequestStatus::completed, "w", "")); })
                 .find("cannot go from awaiting_verification to completed") != std::string::npos);
  BOOST_REQUIRE(service.verify(id, "olga", "").ok());
  BOOST_REQUIRE(service.approve(id, "olga", "").ok());
  // Approving twice.
  BOOST_TEST(refused([&] { return error_of(service.approve(id, "otto", "")); }).find("cannot approve in status approved") !=
             std::string::npos);
  // Rejected and cancelled only from the waiting states.
  BOOST_TEST(!refused([&] { return error_of(service.reject(id, "olga", "no")); }).empty());
  BOOST_TEST(!refused([&] { return error_of(service.cancel(id, "cli", "")); }).empty());
  BOOST_TEST((status_of(id) == RequestStatus::approved));
}

BOOST_FIXTURE_TEST_CASE(officer_rules, Fixture) {
  const std::string id = submit(RequestType::erasure, "a@example.com");
  BOOST_TEST(refused([&] { return error_of(service.approve(id, "audrey", "")); }).find("read-only") !=
             std::string::npos);
  BOOST_TEST(refused([&] { return error_of(service.approve(id, "mallory", "")); }).find("not registered") !=
             std::string::npos);
  BOOST_TEST(refused([&] { return error_of(service.approve(id, "bad name';--", "")); }).find("officer name") !=
             std::string::npos);

  SubmitInput by_officer;
  by_officer.type = RequestType::access;
  by_officer.identities = {{"email", "b@example.com"}};
  by_officer.identities_proven = true;
  by_officer.submitted_by = "olga";
  auto own = service.submit(by_officer);
  BOOST_REQUIRE(own.ok());
  BOOST_TEST(refused([&] { return error_of(service.approve(own->id, "olga", "")); }).find("cannot approve it too") !=
             std::string::npos);
  BOOST_TEST(service.approve(own->id, "otto", "").ok());
}

BOOST_FIXTURE_TEST_CASE(unknown_or_malformed_ids_are_clear_errors, Fixture) {
  BOOST_TEST(refused([&] { return error_of(service.approve("00000000-0000-4000-8000-000000000000", "olga", "")); })
                 .find("not found") != std::string::npos);
  BOOST_TEST(refused([&] { return error_of(service.approve("1' OR '1'='1", "olga", "")); }).find("request id") !=
             std::string::npos);
  BOOST_TEST(error_of(service.get(std::string("abc\0def", 7))).find("request id") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(second_open_request_is_linked_as_duplicate, Fixture) {
  const std::string first = submit(RequestType::erasure, "jane@example.com");
  SubmitInput again;
  again.type = RequestType::erasure;
  again.identities = {{"telegram_id", "42"}, {"email", "jane@example.com"}};
  auto second = service.submit(again);
  BOOST_REQUIRE(second.ok());
  BOOST_TEST(second->duplicate_of == first);
  BOOST_TEST((second->status == RequestStatus::cancelled));
  BOOST_TEST(service.get(second->id)->duplicate_of == first);
  // Another type is not a duplicate.
  SubmitInput access = again;
  access.type = RequestType::access;
  BOOST_TEST(service.submit(access)->duplicate_of.empty());
  // Once the first is finished, a new request stands on its own.
  BOOST_REQUIRE(service.reject(first, "olga", "test").ok());
  BOOST_TEST(service.submit(again)->duplicate_of.empty());
}

BOOST_FIXTURE_TEST_CASE(bad_texts_are_refused, Fixture) {
  const std::string id = submit(RequestType::access, "a@example.com");
  BOOST_TEST(!refused([&] { return error_of(service.reject(id, "olga", std::string("a\0b", 3))); }).empty());
  BOOST_TEST(!refused([&] { return error_of(service.reject(id, "olga", "\xC3\x28")); }).empty());
  BOOST_TEST(!refused([&] { return error_of(service.reject(id, "olga", std::string(10000, 'x'))); }).empty());
  BOOST_TEST(!refused([&] { return error_of(service.submit(SubmitInput{})); }).empty());
}

BOOST_FIXTURE_TEST_CASE(officer_passwords_are_argon2id_and_checked, Fixture) {
  BOOST_TEST(!officers.add("short", OfficerRole::officer, "too short", "test").ok());
  BOOST_TEST(!officers.add("olga", OfficerRole::officer, "another long password", "test").ok());
  std::string hash;
  db->session() << "SELECT password_hash FROM officers WHERE name = 'olga'", soci::into(hash);
  BOOST_TEST(hash.rfind("$argon2id$", 0) == 0u);
  BOOST_TEST(hash.find("correct horse") == std::string::npos);
  BOOST_TEST(officers.authenticate("olga", "correct horse battery").ok());
  BOOST_TEST(officers.authenticate("olga", "wrong password!!").error() == "wrong name or password");
  BOOST_TEST(officers.authenticate("nobody", "correct horse battery").error() == "wrong name or password");
}

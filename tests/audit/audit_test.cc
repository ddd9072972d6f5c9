#define BOOST_TEST_MODULE audit trail
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <sstream>

#include "dsr/audit/audit_log.h"
#include "dsr/state/migrations.h"
#include "tests/support/test_store.h"

using namespace dsr;

namespace {

struct Fixture {
  test::TestStore store;
  std::unique_ptr<Database> db = store.open_initialised();
  SubjectKey key = SubjectKey::from_secret(std::string(64, 'a'));
  FixedClock clock{*parse_utc("2026-11-29T06:00:00Z")};
  AuditLog log{*db, key, clock};

  Fixture() {
    BOOST_REQUIRE(log.initialise().ok());
    for (int i = 1; i <= 5; ++i) {
      Poco::JSON::Object::Ptr detail = new Poco::JSON::Object;
      detail->set("step", i);
      detail->set("text", std::string("quote \" backslash \\ unicode \xC3\xA4"));
      BOOST_REQUIRE(db->in_transaction([&] {
                        return log.append({"test.step", "cli", "req-" + std::to_string(i), "subject", detail});
                      }).ok());
    }
  }

  // Tampering needs the triggers out of the way, as an attacker with the database would do.
  void drop_triggers() {
    db->session() << "DROP TRIGGER audit_entries_no_update";
    db->session() << "DROP TRIGGER audit_entries_no_delete";
  }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(intact_trail_verifies, Fixture) {
  const AuditVerification v = log.verify();
  BOOST_TEST(v.intact);
  BOOST_TEST(v.entries == 5);
  BOOST_TEST(v.problem.empty());
}

BOOST_FIXTURE_TEST_CASE(changed_detail_is_caught_at_its_entry, Fixture) {
  drop_triggers();
  db->session() << "UPDATE audit_entries SET detail = '{\"step\":99}' WHERE seq = 3";
  const AuditVerification v = log.verify();
  BOOST_TEST(!v.intact);
  BOOST_TEST(v.first_bad_seq.value_or(0) == 3);
  BOOST_TEST(v.problem.find("changed") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(changed_timestamp_is_caught, Fixture) {
  drop_triggers();
  db->session() << "UPDATE audit_entries SET at = '2020-01-01T00:00:00Z' WHERE seq = 2";
  BOOST_TEST(log.verify().first_bad_seq.value_or(0) == 2);
}

BOOST_FIXTURE_TEST_CASE(recomputed_hash_still_breaks_the_next_link, Fixture) {
  drop_triggers();
  db->session() << "UPDATE audit_entries SET entry_hash = '" + std::string(64, 'f') + "' WHERE seq = 2";
  const AuditVerification v = log.verify();
  BOOST_TEST(!v.intact);
  BOOST_TEST(v.first_bad_seq.value_or(0) == 2);
}

BOOST_FIXTURE_TEST_CASE(deleted_middle_entry_is_caught, Fixture) {
  drop_triggers();
  db->session() << "DELETE FROM audit_entries WHERE seq = 3";
  const AuditVerification v = log.verify();
  BOOST_TEST(!v.intact);
  BOOST_TEST(v.first_bad_seq.value_or(0) == 4);
  BOOST_TEST(v.problem.find("entry 3 is missing") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(renumbered_entries_after_a_delete_are_caught, Fixture) {
  drop_triggers();
  db->session() << "DELETE FROM audit_entries WHERE seq = 3";
  db->session() << "UPDATE audit_entries SET seq = seq - 1 WHERE seq > 3";
  const AuditVerification v = log.verify();
  BOOST_TEST(!v.intact);
  BOOST_TEST(v.first_bad_seq.value_or(0) == 3);
}

BOOST_FIXTURE_TEST_CASE(reordered_entries_are_caught, Fixture) {
  drop_triggers();
  db->session() << "UPDATE audit_entries SET seq = 100 WHERE seq = 2";
  db->session() << "UPDATE audit_entries SET seq = 2 WHERE seq = 4";
  db->session() << "UPDATE audit_entries SET seq = 4 WHERE seq = 100";
  const AuditVerification v = log.verify();
  BOOST_TEST(!v.intact);
  BOOST_TEST(v.first_bad_seq.value_or(0) == 2);
}

BOOST_FIXTURE_TEST_CASE(entries_cut_from_the_end_are_caught_by_the_sealed_head, Fixture) {
  drop_triggers();
  db->session() << "DELETE FROM audit_entries WHERE seq >= 4";
  const AuditVerification v = log.verify();
  BOOST_TEST(!v.intact);
  BOOST_TEST(v.first_bad_seq.value_or(0) == 4);
  BOOST_TEST(v.problem.find("cut from the end") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(rewritten_head_without_the_key_is_caught, Fixture) {
  drop_triggers();
  std::string hash3;
  db->session() << "SELECT entry_hash FROM audit_entries WHERE seq = 3", soci::into(hash3);
  db->session() << "DELETE FROM audit_entries WHERE seq >= 4";
  db->session() << "UPDATE audit_head SET seq = 3, entry_hash = :h WHERE id = 1", soci::use(hash3);
  const AuditVerification v = log.verify();
  BOOST_TEST(!v.intact);
  BOOST_TEST(v.problem.find("seal") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(a_different_key_cannot_vouch_for_the_trail, Fixture) {
  SubjectKey other = SubjectKey::from_secret(std::string(64, 'b'));
  AuditLog foreign(*db, other, clock);
  BOOST_TEST(!foreign.verify().intact);
}

BOOST_FIXTURE_TEST_CASE(append_outside_a_transaction_is_refused, Fixture) {
  const Status s = log.append({"x", "cli", "", "", nullptr});
  BOOST_TEST(!s.ok());
  BOOST_TEST(log.verify().entries == 5);
}

BOOST_FIXTURE_TEST_CASE(rolled_back_change_leaves_no_entry, Fixture) {
  const Status s = db->in_transaction([&]() -> Status {
    if (Status a = log.append({"x", "cli", "", "", nullptr}); !a) return a;
    return fail("the change failed");
  });
  BOOST_TEST(!s.ok());
  const AuditVerification v = log.verify();
  BOOST_TEST(v.intact);
  BOOST_TEST(v.entries == 5);
}

BOOST_FIXTURE_TEST_CASE(export_writes_one_json_object_per_entry, Fixture) {
  std::ostringstream out;
  BOOST_REQUIRE(log.export_jsonl(out).ok());
  std::istringstream lines(out.str());
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    ++count;
    BOOST_TEST(line.front() == '{');
    BOOST_TEST(line.find("\"seq\":" + std::to_string(count)) != std::string::npos);
    BOOST_TEST(line.find("\"entry_hash\":\"") != std::string::npos);
    BOOST_TEST(line.find("\"detail\":{") != std::string::npos);
  }
  BOOST_TEST(count == 5);
}

BOOST_AUTO_TEST_CASE(pseudonyms_are_keyed_and_stable) {
  const SubjectKey a = SubjectKey::from_secret(std::string(64, 'a'));
  const SubjectKey b = SubjectKey::from_secret(std::string(64, 'b'));
  const Identity jane{"email", "jane@example.com"};
  BOOST_TEST(a.pseudonym(jane) == a.pseudonym(jane));
  BOOST_TEST(a.pseudonym(jane) != b.pseudonym(jane));
  BOOST_TEST(a.pseudonym(jane) != a.pseudonym({"username", "jane@example.com"}));
  BOOST_TEST(a.pseudonym(jane).size() == 64u);
  BOOST_TEST(a.pseudonym(jane).find("jane") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(key_file_is_created_private_and_refused_when_shared) {
  test::TestStore store;
  const std::string path = store.folder() + "/dsr.key";
  BOOST_REQUIRE(SubjectKey::create(path).ok());
  BOOST_TEST(!SubjectKey::create(path).ok());  // never overwrites a key
  BOOST_TEST(SubjectKey::load(path).ok());
  BOOST_REQUIRE(::chmod(path.c_str(), 0644) == 0);
  auto shared = SubjectKey::load(path);
  BOOST_TEST(!shared.ok());
  BOOST_TEST(shared.error().find("chmod 600") != std::string::npos);
}

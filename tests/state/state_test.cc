#define BOOST_TEST_MODULE state store
#include <boost/test/unit_test.hpp>

#include "dsr/state/migrations.h"
#include "dsr/state/officer_store.h"
#include "dsr/state/request_store.h"
#include "tests/support/test_store.h"

using namespace dsr;

namespace {

TimePoint at(const char* text) { return *parse_utc(text); }

Request sample_request(const std::string& id, RequestType type, const std::string& pseudonym) {
  Request r;
  r.id = id;
  r.type = type;
  r.status = RequestStatus::pending_approval;
  r.channel = "cli";
  r.subject = pseudonym;
  r.received_at = at("2026-01-31T10:00:00Z");
  r.due_at = at("2026-02-28T10:00:00Z");
  r.updated_at = r.received_at;
  r.identities.push_back({"email", "a@example.com", pseudonym, true});
  return r;
}

}  // namespace

BOOST_AUTO_TEST_CASE(fresh_store_migrates_to_current_version) {
  test::TestStore store;
  auto db = store.open();
  BOOST_TEST(*stored_schema_version(*db) == 0);
  BOOST_TEST(check_schema_version(*db).error().find("dsr init") != std::string::npos);
  BOOST_TEST(migrate(*db).ok());
  BOOST_TEST(*stored_schema_version(*db) == current_schema_version());
  BOOST_TEST(check_schema_version(*db).ok());
  // Idempotent.
  BOOST_TEST(migrate(*db).ok());
  BOOST_TEST(*stored_schema_version(*db) == current_schema_version());
}

BOOST_AUTO_TEST_CASE(an_unreadable_version_table_is_an_error_not_a_new_store) {
  test::TestStore store;
  auto db = store.open();
  db->session() << "CREATE TABLE schema_version (applied_at VARCHAR(20))";
  const auto stored = stored_schema_version(*db);
  BOOST_REQUIRE(!stored.ok());
  BOOST_TEST(stored.error().find("state store: ") == 0u, stored.error());
  BOOST_TEST(stored.error().find("version") != std::string::npos, stored.error());
  BOOST_TEST(!migrate(*db).ok());
}

BOOST_AUTO_TEST_CASE(store_newer_than_binary_is_refused) {
  test::TestStore store;
  auto db = store.open_initialised();
  const long long future = current_schema_version() + 1;
  db->session() << "INSERT INTO schema_version (version, applied_at) VALUES (:v, '2030-01-01T00:00:00Z')",
      soci::use(future);
  const Status check = check_schema_version(*db);
  BOOST_TEST(!check.ok());
  BOOST_TEST(check.error().find("newer than this dsr") != std::string::npos);
  const Status migrated = migrate(*db);
  BOOST_TEST(!migrated.ok());
  BOOST_TEST(migrated.error().find("never downgrade") != std::string::npos);
  BOOST_TEST(*stored_schema_version(*db) == future);
}

BOOST_AUTO_TEST_CASE(request_round_trip_keeps_every_field) {
  test::TestStore store;
  auto db = store.open_initialised();
  RequestStore requests(*db);
  Request r = sample_request("00000000-0000-4000-8000-000000000001", RequestType::erasure, "p1");
  r.identities.push_back({"telegram_id", "42", "p2", false});
  r.submitted_by = "alice";
  requests.insert(r);
  auto found = requests.find(r.id);
  BOOST_REQUIRE(found.has_value());
  BOOST_TEST(found->type == RequestType::erasure);
  BOOST_TEST(found->status == RequestStatus::pending_approval);
  BOOST_TEST(format_utc(found->received_at) == "2026-01-31T10:00:00Z");
  BOOST_TEST(format_utc(found->due_at) == "2026-02-28T10:00:00Z");
  BOOST_TEST(found->submitted_by == "alice");
  BOOST_TEST(!found->extended_at.has_value());
  BOOST_REQUIRE(found->identities.size() == 2u);
  BOOST_TEST(found->identities[0].kind == "email");
  BOOST_TEST(found->identities[0].proven);
  BOOST_TEST(found->identities[1].value == "42");
  BOOST_TEST(!found->identities[1].proven);
  BOOST_TEST(!requests.find("00000000-0000-4000-8000-000000000009").has_value());
  auto row = requests.find_without_identities(r.id, true);
  BOOST_REQUIRE(row.has_value());
  BOOST_TEST(row->identities.empty());
  BOOST_TEST(row->subject == found->subject);
  BOOST_TEST(row->status == found->status);
  BOOST_TEST(format_utc(row->due_at) == format_utc(found->due_at));
  BOOST_TEST(row->submitted_by == "alice");
  BOOST_TEST(!requests.find_without_identities("00000000-0000-4000-8000-000000000009").has_value());
}

BOOST_AUTO_TEST_CASE(list_filters_by_status_type_and_overdue) {
  test::TestStore store;
  auto db = store.open_initialised();
  RequestStore requests(*db);
  Request a = sample_request("00000000-0000-4000-8000-00000000000a", RequestType::access, "pa");
  Request b = sample_request("00000000-0000-4000-8000-00000000000b", RequestType::erasure, "pb");
  b.due_at = at("2026-03-31T10:00:00Z");
  Request c = sample_request("00000000-0000-4000-8000-00000000000c", RequestType::access, "pc");
  c.status = RequestStatus::completed;  // past due but finished: never overdue
  for (const auto& r : {a, b, c}) requests.insert(r);

  RequestFilter all;
  all.now = at("2026-03-01T00:00:00Z");
  BOOST_TEST(requests.list(all).size() == 3u);

  RequestFilter overdue = all;
  overdue.overdue_only = true;
  auto late = requests.list(overdue);
  BOOST_REQUIRE(late.size() == 1u);
  BOOST_TEST(late[0].id == a.id);

  RequestFilter erasures = all;
  erasures.type = RequestType::erasure;
  auto e = requests.list(erasures);
  BOOST_REQUIRE(e.size() == 1u);
  BOOST_TEST(e[0].id == b.id);

  RequestFilter done = all;
  done.status = RequestStatus::completed;
  BOOST_TEST(requests.list(done).size() == 1u);

  RequestFilter due_soon = all;
  due_soon.due_before = at("2026-03-01T00:00:00Z");
  BOOST_TEST(requests.list(due_soon).size() == 2u);
}

BOOST_AUTO_TEST_CASE(open_duplicate_found_by_any_shared_pseudonym) {
  test::TestStore store;
  auto db = store.open_initialised();
  RequestStore requests(*db);
  Request first = sample_request("00000000-0000-4000-8000-000000000001", RequestType::access, "p1");
  requests.insert(first);
  BOOST_TEST(requests.find_open_duplicate(RequestType::access, {"zz", "p1"}).value_or("") == first.id);
  BOOST_TEST(!requests.find_open_duplicate(RequestType::erasure, {"p1"}).has_value());
  BOOST_TEST(!requests.find_open_duplicate(RequestType::access, {"p2"}).has_value());
  requests.update_status(first.id, RequestStatus::completed, "", at("2026-02-01T00:00:00Z"));
  BOOST_TEST(!requests.find_open_duplicate(RequestType::access, {"p1"}).has_value());
}

BOOST_AUTO_TEST_CASE(audit_table_refuses_update_and_delete) {
  test::TestStore store;
  auto db = store.open_initialised();
  db->session() << "INSERT INTO audit_entries (seq, at, action, actor, detail, prev_hash, entry_hash)"
                   " VALUES (1, '2026-01-01T00:00:00Z', 'x', 'y', '{}', 'a', 'b')";
  BOOST_CHECK_THROW(db->session() << "UPDATE audit_entries SET action = 'changed'", std::exception);
  BOOST_CHECK_THROW(db->session() << "DELETE FROM audit_entries", std::exception);
  std::string action;
  db->session() << "SELECT action FROM audit_entries WHERE seq = 1", soci::into(action);
  BOOST_TEST(action == "x");
}

BOOST_AUTO_TEST_CASE(failed_transaction_leaves_nothing_behind) {
  test::TestStore store;
  auto db = store.open_initialised();
  RequestStore requests(*db);
  const Status s = db->in_transaction([&]() -> Status {
    requests.insert(sample_request("00000000-0000-4000-8000-000000000001", RequestType::access, "p1"));
    return fail("changed my mind");
  });
  BOOST_TEST(!s.ok());
  BOOST_TEST(s.error() == "changed my mind");
  long long count = -1;
  db->session() << "SELECT COUNT(*) FROM requests", soci::into(count);
  BOOST_TEST(count == 0);
  // An exception inside rolls back too and becomes an error naming the store.
  const Status thrown = db->in_transaction([&]() -> Status {
    requests.insert(sample_request("00000000-0000-4000-8000-000000000002", RequestType::access, "p2"));
    db->session() << "INSERT INTO no_such_table VALUES (1)";
    return Status::Ok();
  });
  BOOST_TEST(!thrown.ok());
  BOOST_TEST(thrown.error().rfind("state store: ", 0) == 0u);
  db->session() << "SELECT COUNT(*) FROM requests", soci::into(count);
  BOOST_TEST(count == 0);
}

// A deferred transaction commits like any other (another connection sees it); on
// SQLite only its own COMMIT skips the fsync, and every later commit is FULL again.
BOOST_AUTO_TEST_CASE(deferred_transaction_commits_and_later_ones_sync_again) {
  test::TestStore store;
  auto db = store.open_initialised();
  const auto synchronous = [&] {
    int level = -1;
    db->session() << "PRAGMA synchronous", soci::into(level);
    return level;  // 1 NORMAL, 2 FULL
  };
  const bool sqlite = db->engine() == StoreEngine::sqlite;
  if (sqlite) BOOST_TEST(synchronous() == 2);
  RequestStore requests(*db);
  int inside = -1;
  const Status s = db->in_transaction([&]() -> Status {
    if (sqlite) inside = synchronous();
    requests.insert(sample_request("00000000-0000-4000-8000-000000000003", RequestType::access, "p3"));
    return Status::Ok();
  }, Durability::deferred);
  BOOST_REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error()));
  if (sqlite) {
    BOOST_TEST(inside == 1);
    BOOST_TEST(synchronous() == 2);
  }
  auto other = store.open();
  long long count = -1;
  other->session() << "SELECT COUNT(*) FROM requests", soci::into(count);
  BOOST_TEST(count == 1);

  const Status failed = db->in_transaction([&]() -> Status { return fail("no"); }, Durability::deferred);
  BOOST_TEST(!failed.ok());
  if (sqlite) BOOST_TEST(synchronous() == 2);
}

BOOST_AUTO_TEST_CASE(officers_round_trip) {
  test::TestStore store;
  auto db = store.open_initialised();
  OfficerStore officers(*db);
  officers.insert({"alice", OfficerRole::admin, "$argon2id$x", at("2026-01-01T00:00:00Z"), false});
  auto alice = officers.find("alice");
  BOOST_REQUIRE(alice.has_value());
  BOOST_TEST((alice->role == OfficerRole::admin));
  BOOST_TEST(!officers.find("bob").has_value());
  BOOST_TEST(officers.list().size() == 1u);
  BOOST_TEST(!check_officer_name("bad name").ok());
  BOOST_TEST(check_officer_name("alice.o-1").ok());
}

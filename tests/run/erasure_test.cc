#define BOOST_TEST_MODULE verified erasure
#include <boost/test/unit_test.hpp>

#include <Poco/JSON/Object.h>

#include "connectors/core/registry.h"
#include "dsr/common/canonical_json.h"
#include "dsr/mapping/mapping_loader.h"
#include "dsr/run/certificate.h"
#include "dsr/run/erasure.h"
#include "tests/run/shop_store.h"
#include "tests/support/test_store.h"

using namespace dsr;

namespace {

// Jane (1) and Bob (2) share a group chat (10); Jane has two orders with invoices that
// must be kept for tax law, masked.
constexpr const char* kRows[] = {
    "INSERT INTO subscribers VALUES (1, 'Jane@Example.com', 42, 'Jane Doe'), (2, 'bob@example.com', 420, 'Bob')",
    "INSERT INTO chats VALUES (10, 'Group'), (11, 'Jane private')",
    "INSERT INTO messages VALUES (100, 10, 1, 'hi from jane'), (101, 10, 2, 'hi from bob'), (102, 11, 1, 'note'),"
    " (103, 10, 1, 'jane again')",
    "INSERT INTO orders VALUES (200, 1, 1500), (201, 2, 700), (202, 1, 300)",
    "INSERT INTO invoices VALUES (300, 200, 'Jane Doe', 1500), (301, 201, 'Bob', 700), (302, 202, 'J. Doe', 300)",
};

struct Fixture : test::ShopStore {
  Fixture() : ShopStore(kRows) {}

  const CollectionErasure* entry(const std::vector<CollectionErasure>& report, const std::string& collection) {
    for (const auto& e : report) {
      if (e.collection == collection) return &e;
    }
    return nullptr;
  }
};

const std::vector<Identity> kJane = {{"email", "jane@example.com"}, {"telegram_id", "42"}};

}  // namespace

BOOST_FIXTURE_TEST_CASE(exactly_the_subjects_rows_go_and_retained_rows_are_masked, Fixture) {
  const std::string chats_before = dump("chats");
  DatasetEraser eraser(mapping, *connector, key, 2);
  std::vector<CollectionErasure> report;
  BOOST_REQUIRE_MESSAGE(eraser.erase(kJane, report).ok(), "erase");
  BOOST_REQUIRE(eraser.verify(kJane, report).ok());

  BOOST_TEST(dump("subscribers") == "2|bob@example.com|420|Bob|\n");
  BOOST_TEST(dump("messages") == "101|10|2|hi from bob|\n");
  BOOST_TEST(dump("orders") == "201|2|700|\n");
  BOOST_TEST(dump("chats") == chats_before);  // shared context is never erased
  const std::string hashed_300 = std::get<std::string>(masked_value(MaskRule{MaskRule::Kind::keyed_hash, ""}, key,
                                                                    std::string("Jane Doe")));
  const std::string hashed_302 = std::get<std::string>(masked_value(MaskRule{MaskRule::Kind::keyed_hash, ""}, key,
                                                                    std::string("J. Doe")));
  BOOST_TEST(dump("invoices") == "300|200|" + hashed_300 + "|1500|\n301|201|Bob|700|\n302|202|" + hashed_302 + "|300|\n");

  BOOST_TEST(entry(report, "subscribers")->rows_deleted == 1u);
  BOOST_TEST(entry(report, "messages")->rows_deleted == 3u);
  BOOST_TEST(entry(report, "orders")->rows_deleted == 2u);
  BOOST_TEST(entry(report, "invoices")->rows_retained == 2u);
  BOOST_TEST(entry(report, "chats") == nullptr);
  for (const auto& e : report) {
    BOOST_TEST_CONTEXT(e.collection) {
      BOOST_TEST(e.verified);
      BOOST_TEST(e.largest_transaction <= 2u);
    }
  }
}

BOOST_FIXTURE_TEST_CASE(children_are_erased_before_parents, Fixture) {
  const auto order = children_first(mapping);
  const auto position = [&](const std::string& name) { return std::find(order.begin(), order.end(), name) - order.begin(); };
  BOOST_TEST(position("invoices") < position("orders"));
  BOOST_TEST(position("orders") < position("subscribers"));
  BOOST_TEST(position("messages") < position("subscribers"));
  BOOST_TEST(position("messages") < position("chats"));
}

BOOST_FIXTURE_TEST_CASE(erasing_twice_is_harmless, Fixture) {
  std::vector<CollectionErasure> first, second;
  DatasetEraser eraser(mapping, *connector, key, 1000);
  BOOST_REQUIRE(eraser.erase(kJane, first).ok());
  const std::string invoices = dump("invoices");
  DatasetEraser again(mapping, *connector, key, 1000);
  BOOST_REQUIRE(again.erase(kJane, second).ok());
  BOOST_REQUIRE(again.verify(kJane, second).ok());
  BOOST_TEST(dump("invoices") == invoices);  // hashes are never hashed again
  for (const auto& e : second) BOOST_TEST(e.verified);
}

BOOST_FIXTURE_TEST_CASE(rows_the_store_keeps_are_reported_as_residue, Fixture) {
  // A store that silently ignores deletes of messages: verification must notice.
  if (store.engine() == StoreEngine::sqlite) {
    db->session() << "CREATE TRIGGER keep_messages BEFORE DELETE ON messages BEGIN SELECT RAISE(IGNORE); END";
  } else {
    // MariaDB cannot ignore a delete from a trigger; re-inserting after the fact is the same lie.
    db->session() << "CREATE TABLE shadow AS SELECT * FROM messages";
  }
  DatasetEraser eraser(mapping, *connector, key, 1000);
  std::vector<CollectionErasure> report;
  BOOST_REQUIRE(eraser.erase(kJane, report).ok());
  if (store.engine() == StoreEngine::mysql) db->session() << "INSERT INTO messages SELECT * FROM shadow WHERE sender_id = 1";
  BOOST_REQUIRE(eraser.verify(kJane, report).ok());
  BOOST_TEST(entry(report, "messages")->residue == 3u);
  BOOST_TEST(!entry(report, "messages")->verified);
}

BOOST_FIXTURE_TEST_CASE(certificate_has_counts_and_no_personal_data, Fixture) {
  DatasetEraser eraser(mapping, *connector, key, 1000);
  std::vector<CollectionErasure> report;
  BOOST_REQUIRE(eraser.erase(kJane, report).ok());
  BOOST_REQUIRE(eraser.verify(kJane, report).ok());
  Request request;
  request.id = "0f8fad5b-d9cb-469f-a165-70867728950e";
  request.type = RequestType::erasure;
  request.subject = key.pseudonym(kJane[0]);
  request.received_at = *parse_utc("2026-11-01T10:00:00Z");
  auto certificate = deletion_certificate({request, report, *parse_utc("2026-11-02T10:00:00Z"), "0.1.0"});
  const std::string text = canonical_json(Poco::Dynamic::Var(certificate));
  BOOST_TEST(text.find("jane") == std::string::npos);
  BOOST_TEST(text.find("Jane") == std::string::npos);
  BOOST_TEST(text.find("\"verification_passed\":true") != std::string::npos);
  BOOST_TEST(text.find("\"totals\":{\"rows_deleted\":6,\"rows_masked\":0,\"rows_retained\":2}") != std::string::npos);
  BOOST_TEST(text.find("\"legal_basis\":\"Art. 17(3)(b): tax records kept 10 years\"") != std::string::npos);
  auto written = write_certificate(store.folder(), request.id, certificate);
  BOOST_REQUIRE(written.ok());
  BOOST_TEST(written->size() == 64u);
}

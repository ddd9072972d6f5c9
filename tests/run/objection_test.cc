#define BOOST_TEST_MODULE objection
#include <boost/test/unit_test.hpp>

#include "connectors/core/registry.h"
#include "dsr/common/crypto.h"
#include "dsr/mapping/mapping_loader.h"
#include "dsr/run/objection.h"
#include "tests/run/store_connector.h"
#include "tests/support/test_store.h"

using namespace dsr;

namespace {

// Jane (1) has two opt-ins, Bob (2) one; the suppression list starts empty.
constexpr const char* kSchema[] = {
    "CREATE TABLE subscribers (id BIGINT PRIMARY KEY, email VARCHAR(100), name VARCHAR(100))",
    "CREATE TABLE opt_ins (id BIGINT PRIMARY KEY, subscriber_id BIGINT, channel VARCHAR(16), opted_in BIGINT,"
    " note VARCHAR(40))",
    "CREATE TABLE suppressions (email_sha256 VARCHAR(64) PRIMARY KEY, reason VARCHAR(100))",
    "INSERT INTO subscribers VALUES (1, 'Jane@Example.com', 'Jane Doe'), (2, 'bob@example.com', 'Bob')",
    "INSERT INTO opt_ins VALUES (10, 1, 'telegram', 1, 'x'), (11, 1, 'email', 1, 'y'), (12, 2, 'email', 1, 'z')",
};

constexpr const char* kMapping = R"({
  "dataset": "shop", "connector": "shop_db",
  "collections": [
    {"name": "subscribers", "primary_key": ["id"], "fields": [
      {"name": "id"}, {"name": "email", "identity": "email", "match": "lowercase", "category": "provided"},
      {"name": "name", "category": "provided"}]},
    {"name": "opt_ins", "primary_key": ["id"], "fields": [
      {"name": "id"}, {"name": "subscriber_id", "references": "subscribers.id"},
      {"name": "channel"}, {"name": "opted_in"}, {"name": "note"}],
     "objection": {"set": {"opted_in": 0, "note": "Art. 21 objection"}}},
    {"name": "suppressions", "primary_key": ["email_sha256"], "skip_unreachable": true,
     "fields": [{"name": "email_sha256"}, {"name": "reason"}]}
  ],
  "suppression": {"collection": "suppressions", "fields": {
    "email_sha256": {"identity": "email", "as": "sha256"}, "reason": {"fixed": "objection to marketing"}}}
})";

struct Fixture {
  test::TestStore store;
  std::unique_ptr<Database> db = store.open();
  ConnectorRegistry registry;
  DatasetMapping mapping;
  std::unique_ptr<Connector> connector;

  Fixture() {
    for (const char* statement : kSchema) db->session() << statement;
    register_builtin_connectors(registry);
    auto parsed = parse_mapping(kMapping, "shop.json", {{"email"}, {"shop_db"}});
    BOOST_REQUIRE_MESSAGE(parsed.ok(), (parsed.ok() ? "" : parsed.error()));
    mapping = *parsed;
    connector = test::connector_on(store, registry, "shop_db");
  }

  std::string dump(const std::string& table, const std::string& order) {
    std::string out;
    soci::rowset<soci::row> rows = db->session().prepare << "SELECT * FROM " + table + " ORDER BY " + order;
    for (const auto& row : rows) {
      for (std::size_t i = 0; i < row.size(); ++i) out += (column_is_null(row, i) ? "NULL" : column_text(row, i)) + "|";
      out += "\n";
    }
    return out;
  }

  const CollectionObjection* entry(const std::vector<CollectionObjection>& report, const std::string& collection) {
    for (const auto& e : report) {
      if (e.collection == collection) return &e;
    }
    return nullptr;
  }
};

const std::vector<Identity> kJane = {{"email", "jane@example.com"}};

}  // namespace

BOOST_FIXTURE_TEST_CASE(consent_is_withdrawn_and_the_person_suppressed, Fixture) {
  const std::string subscribers_before = dump("subscribers", "id");
  DatasetObjector objector(mapping, *connector, 1000);
  std::vector<CollectionObjection> report;
  BOOST_REQUIRE(objector.apply(kJane, report).ok());
  BOOST_REQUIRE(objector.verify(kJane, report).ok());

  BOOST_TEST(dump("opt_ins", "id") ==
             "10|1|telegram|0|Art. 21 objection|\n11|1|email|0|Art. 21 objection|\n12|2|email|1|z|\n");
  BOOST_TEST(dump("subscribers", "id") == subscribers_before);  // an objection erases nothing
  BOOST_TEST(dump("suppressions", "email_sha256") == sha256_hex("jane@example.com") + "|objection to marketing|\n");
  BOOST_TEST(entry(report, "opt_ins")->rows_changed == 2u);
  BOOST_TEST(entry(report, "suppressions")->rows_changed == 1u);
  for (const auto& e : report) BOOST_TEST(e.verified, e.collection);
}

BOOST_FIXTURE_TEST_CASE(objecting_again_changes_and_counts_nothing, Fixture) {
  std::vector<CollectionObjection> first, second;
  DatasetObjector(mapping, *connector, 1000).apply(kJane, first).ok();
  const std::string opt_ins = dump("opt_ins", "id"), suppressions = dump("suppressions", "email_sha256");
  DatasetObjector again(mapping, *connector, 1000);
  BOOST_REQUIRE(again.apply(kJane, second).ok());
  BOOST_REQUIRE(again.verify(kJane, second).ok());
  BOOST_TEST(dump("opt_ins", "id") == opt_ins);
  BOOST_TEST(dump("suppressions", "email_sha256") == suppressions);
  BOOST_TEST(entry(second, "opt_ins")->rows_changed == 0u);
  BOOST_TEST(entry(second, "suppressions")->rows_changed == 0u);
  for (const auto& e : second) BOOST_TEST(e.verified, e.collection);
}

BOOST_FIXTURE_TEST_CASE(a_row_set_back_is_a_residue, Fixture) {
  DatasetObjector objector(mapping, *connector, 1000);
  std::vector<CollectionObjection> report;
  BOOST_REQUIRE(objector.apply(kJane, report).ok());
  // Another system turns the opt-in back on and empties the suppression list.
  db->session() << "UPDATE opt_ins SET opted_in = 1 WHERE id = 11";
  db->session() << "DELETE FROM suppressions";
  BOOST_REQUIRE(objector.verify(kJane, report).ok());
  BOOST_TEST(entry(report, "opt_ins")->residue == 1u);
  BOOST_TEST(!entry(report, "opt_ins")->verified);
  BOOST_TEST(entry(report, "suppressions")->residue == 1u);
}

BOOST_AUTO_TEST_CASE(objection_rules_are_checked_against_the_mapping) {
  const auto error_for = [](const std::string& from, const std::string& to) {
    std::string text = kMapping;
    text.replace(text.find(from), from.size(), to);
    auto parsed = parse_mapping(text, "shop.json", {{"email"}, {"shop_db"}});
    return parsed.ok() ? std::string() : parsed.error();
  };
  const std::string fields = error_for("\"note\": \"Art. 21 objection\"", "\"nope\": 1, \"id\": 3");
  BOOST_TEST(fields.find("/collections/1/objection/set/nope: field 'nope' is not one of the fields") !=
                 std::string::npos, fields);
  BOOST_TEST(fields.find("/collections/1/objection/set/id: field 'id' is part of the primary key") !=
                 std::string::npos, fields);
  const std::string two = error_for("\"reason\": {\"fixed\": \"objection to marketing\"}",
                                    "\"reason\": {\"identity\": \"email\"}");
  BOOST_TEST(two.find("/suppression/fields: exactly one field must hold an identity") != std::string::npos, two);
  const std::string both = error_for("\"reason\": {\"fixed\"", "\"reason\": {\"identity\": \"email\", \"fixed\"");
  BOOST_TEST(both.find("/suppression/fields/reason") != std::string::npos, both);
  const std::string table = error_for("\"collection\": \"suppressions\"", "\"collection\": \"nowhere\"");
  BOOST_TEST(table.find("/suppression/collection: no collection named 'nowhere'") != std::string::npos, table);
}

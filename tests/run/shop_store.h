#pragma once
// The shop store the erasure suites share: a mapping of subscribers, chats, messages,
// orders and invoices (kept for tax law, billing names hashed), and a fixture that
// creates a suite's tables and rows on the test store (SQLite or MariaDB) and gives a
// connector of that engine on them.

#include <boost/test/unit_test.hpp>

#include <initializer_list>
#include <memory>
#include <string>

#include "connectors/core/registry.h"
#include "dsr/audit/subject_key.h"
#include "dsr/mapping/mapping_loader.h"
#include "tests/run/store_connector.h"
#include "tests/support/test_store.h"

namespace dsr::test {

constexpr const char* kShopMapping = R"({
  "dataset": "shop", "connector": "shop_db", "purposes": ["orders"],
  "collections": [
    {"name": "subscribers", "primary_key": ["id"], "fields": [
      {"name": "id"}, {"name": "email", "identity": "email", "match": "lowercase", "category": "provided"},
      {"name": "telegram_id", "identity": "telegram_id", "stored_as": "integer"},
      {"name": "name", "category": "provided"}]},
    {"name": "chats", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "title"}]},
    {"name": "messages", "primary_key": ["id"], "fields": [
      {"name": "id"}, {"name": "chat_id", "references": "chats.id"},
      {"name": "sender_id", "references": "subscribers.id"}, {"name": "body", "category": "provided"}]},
    {"name": "orders", "primary_key": ["id"], "fields": [
      {"name": "id"}, {"name": "subscriber_id", "references": "subscribers.id"}, {"name": "total"}]},
    {"name": "invoices", "primary_key": ["id"], "fields": [
      {"name": "id"}, {"name": "order_id", "references": "orders.id"},
      {"name": "billing_name", "category": "provided", "mask": "hash"}, {"name": "amount"}],
     "erasure": {"action": "retain", "basis": "Art. 17(3)(b): tax records kept 10 years"}}
  ]})";

constexpr const char* kShopTables[] = {
    "CREATE TABLE subscribers (id BIGINT PRIMARY KEY, email VARCHAR(100), telegram_id BIGINT, name VARCHAR(100))",
    "CREATE TABLE chats (id BIGINT PRIMARY KEY, title VARCHAR(100))",
    "CREATE TABLE messages (id BIGINT PRIMARY KEY, chat_id BIGINT, sender_id BIGINT, body VARCHAR(200))",
    "CREATE TABLE orders (id BIGINT PRIMARY KEY, subscriber_id BIGINT, total BIGINT)",
    "CREATE TABLE invoices (id BIGINT PRIMARY KEY, order_id BIGINT, billing_name VARCHAR(100), amount BIGINT)",
};

struct ShopStore {
  TestStore store;
  std::unique_ptr<Database> db = store.open();
  ConnectorRegistry registry;
  DatasetMapping mapping;
  std::unique_ptr<Connector> connector;
  SubjectKey key = SubjectKey::from_secret(std::string(64, 'e'));

  // rows: the suite's INSERT statements, run after kShopTables.
  template <std::size_t N>
  explicit ShopStore(const char* const (&rows)[N]) {
    for (const char* statement : kShopTables) db->session() << statement;
    for (const char* statement : rows) db->session() << statement;
    register_builtin_connectors(registry);
    auto parsed = parse_mapping(kShopMapping, "shop.json", {{"email", "telegram_id"}, {"shop_db"}});
    BOOST_REQUIRE_MESSAGE(parsed.ok(), (parsed.ok() ? "" : parsed.error()));
    mapping = *parsed;
    connector = connector_on(store, registry, "shop_db");
  }

  // Every row of a table in key order, one line each, columns separated by "|".
  std::string dump(const std::string& table) {
    std::string out;
    soci::rowset<soci::row> rows = db->session().prepare << "SELECT * FROM " + table + " ORDER BY id";
    for (const auto& row : rows) {
      for (std::size_t i = 0; i < row.size(); ++i) out += (column_is_null(row, i) ? "NULL" : column_text(row, i)) + "|";
      out += "\n";
    }
    return out;
  }
};

}  // namespace dsr::test

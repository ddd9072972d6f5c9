#define BOOST_TEST_MODULE sample store
#include <boost/test/unit_test.hpp>

#include <Poco/JSON/Object.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "connectors/core/registry.h"
#include "dsr/common/crypto.h"
#include "dsr/demo/sample_store.h"
#include "dsr/mapping/mapping_loader.h"

using namespace dsr;

namespace {

const MappingContext kContext{{"email", "phone", "telegram_id", "username"}, {"marketing_db"}};

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "dsr-sample-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

class Db {
 public:
  explicit Db(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
      throw std::runtime_error("cannot open " + path);
  }
  ~Db() { sqlite3_close(db_); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Every row of the result, each column as text ("NULL" for NULL), columns joined by '|'.
  std::vector<std::string> rows(const std::string& sql) const {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK)
      throw std::runtime_error(sql + ": " + sqlite3_errmsg(db_));
    std::vector<std::string> out;
    while (sqlite3_step(statement) == SQLITE_ROW) {
      std::string row;
      for (int c = 0; c < sqlite3_column_count(statement); ++c) {
        if (c) row += '|';
        const auto* text = sqlite3_column_text(statement, c);
        row += text ? reinterpret_cast<const char*>(text) : "NULL";
      }
      out.push_back(row);
    }
    sqlite3_finalize(statement);
    return out;
  }
  long long number(const std::string& sql) const { return std::stoll(rows(sql).at(0)); }

 private:
  sqlite3* db_ = nullptr;
};

DatasetMapping load_sample_mapping() {
  auto mapping = parse_mapping(sample_mapping_json("marketing_db"), "sample.json", kContext);
  BOOST_TEST_REQUIRE(mapping.ok(), (mapping.ok() ? "" : mapping.error()));
  return *mapping;
}

std::map<std::string, long long> table_counts(const Db& db) {
  std::map<std::string, long long> counts;
  for (const std::string& table :
       db.rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"))
    counts[table] = db.number("SELECT COUNT(*) FROM \"" + table + "\"");
  return counts;
}

std::string subscribers_checksum(const Db& db) {
  std::string all;
  for (const std::string& row : db.rows("SELECT * FROM subscribers ORDER BY id")) all += row + "\n";
  return sha256_hex(all);
}

SampleOptions small(std::size_t subjects, unsigned seed = 42, double scale = 1.0) {
  SampleOptions options;
  options.subjects = subjects;
  options.seed = seed;
  options.scale = scale;
  return options;
}

}  // namespace

BOOST_AUTO_TEST_CASE(mapping_loads_and_covers_every_table) {
  const DatasetMapping mapping = load_sample_mapping();
  BOOST_TEST(mapping.connector == "marketing_db");
  std::set<std::string> collections;
  for (const CollectionMapping& c : mapping.collections) collections.insert(c.name);
  BOOST_TEST(
      (collections == std::set<std::string>{"subscribers", "opt_ins", "consent_log", "chats", "messages",
                                            "campaigns", "link_clicks", "orders", "invoices"}));

  const CollectionMapping* subscribers = mapping.collection("subscribers");
  BOOST_TEST_REQUIRE(subscribers != nullptr);
  BOOST_TEST(subscribers->field("email")->identity.value_or("") == "email");
  BOOST_TEST((subscribers->field("email")->match == MatchMode::lowercase));
  BOOST_TEST((subscribers->field("telegram_id")->stored_as == StoredAs::integer));
  BOOST_TEST(subscribers->field("phone")->identity.value_or("") == "phone");
  BOOST_TEST(subscribers->field("username")->identity.value_or("") == "username");
  BOOST_TEST((subscribers->field("lead_score")->category == DataCategory::inferred));
  BOOST_TEST((subscribers->field("signup_ip")->category == DataCategory::observed));
  BOOST_TEST((subscribers->field("first_name")->category == DataCategory::provided));

  const CollectionMapping* invoices = mapping.collection("invoices");
  BOOST_TEST_REQUIRE(invoices != nullptr);
  BOOST_TEST((invoices->erasure.action == ErasureRule::Action::retain));
  BOOST_TEST(invoices->erasure.basis == "Art. 17(3)(b): commercial and tax records kept 10 years");
  BOOST_TEST(invoices->field("billing_name")->mask.has_value());
  BOOST_TEST(invoices->field("billing_address")->mask.has_value());
  BOOST_TEST((invoices->field("order_id")->references == FieldReference{"orders", "id"}));

  const CollectionMapping* campaigns = mapping.collection("campaigns");
  BOOST_TEST_REQUIRE(campaigns != nullptr);
  BOOST_TEST(!campaigns->skip_unreachable);
  BOOST_TEST((mapping.collection("link_clicks")->field("campaign_id")->references ==
              FieldReference{"campaigns", "id"}));
  BOOST_TEST(!mapping.purposes.empty());
  BOOST_TEST(!mapping.recipients.empty());
  BOOST_TEST(!mapping.retention.empty());
  BOOST_TEST(!mapping.source.empty());
}

BOOST_AUTO_TEST_CASE(mapping_names_the_given_connector_and_escapes_it) {
  const MappingContext other{kContext.identity_kinds, {"shop-db"}};
  auto mapping = parse_mapping(sample_mapping_json("shop-db"), "sample.json", other);
  BOOST_TEST_REQUIRE(mapping.ok(), (mapping.ok() ? "" : mapping.error()));
  BOOST_TEST(mapping->connector == "shop-db");
  // A name JSON must escape still yields JSON: the loader reports the name, not a parse error.
  auto odd = parse_mapping(sample_mapping_json("a\"b"), "sample.json", kContext);
  BOOST_TEST_REQUIRE(!odd.ok());
  BOOST_TEST(odd.error().find("/connector") != std::string::npos, odd.error());
}

BOOST_AUTO_TEST_CASE(same_seed_gives_the_same_store) {
  TempDir dir;
  SampleCounts first_counts, second_counts;
  BOOST_TEST_REQUIRE(create_sample_sqlite(dir.file("a.sqlite"), small(300, 7, 0.5), &first_counts).ok());
  BOOST_TEST_REQUIRE(create_sample_sqlite(dir.file("b.sqlite"), small(300, 7, 0.5), &second_counts).ok());
  BOOST_TEST_REQUIRE(create_sample_sqlite(dir.file("c.sqlite"), small(300, 8, 0.5)).ok());
  const Db a(dir.file("a.sqlite")), b(dir.file("b.sqlite")), c(dir.file("c.sqlite"));

  BOOST_TEST((first_counts == second_counts));
  BOOST_TEST((table_counts(a) == table_counts(b)));
  BOOST_TEST(subscribers_checksum(a) == subscribers_checksum(b));
  BOOST_TEST(subscribers_checksum(a) != subscribers_checksum(c));
  BOOST_TEST(a.number("SELECT COUNT(*) FROM subscribers") == 300);
  // The counts reported are the rows written.
  for (const auto& [table, rows] : first_counts)
    BOOST_TEST(table_counts(a).at(table) == static_cast<long long>(rows), table);
}

BOOST_AUTO_TEST_CASE(scale_multiplies_rows_per_subject) {
  TempDir dir;
  BOOST_TEST_REQUIRE(create_sample_sqlite(dir.file("one.sqlite"), small(400, 1, 1.0)).ok());
  BOOST_TEST_REQUIRE(create_sample_sqlite(dir.file("two.sqlite"), small(400, 1, 2.0)).ok());
  const long long one = Db(dir.file("one.sqlite")).number("SELECT COUNT(*) FROM messages");
  const long long two = Db(dir.file("two.sqlite")).number("SELECT COUNT(*) FROM messages");
  BOOST_TEST(two > one * 3 / 2);
  BOOST_TEST(two < one * 5 / 2);
}

BOOST_AUTO_TEST_CASE(known_subject_rows_exist_whatever_the_options) {
  const KnownSubject jane;
  for (const SampleOptions& options : {small(5, 3, 0.1), small(500, 42, 2.0)}) {
    TempDir dir;
    BOOST_TEST_REQUIRE(create_sample_sqlite(dir.file("s.sqlite"), options).ok());
    const Db db(dir.file("s.sqlite"));
    const auto ids =
        db.rows("SELECT id FROM subscribers WHERE lower(email) = 'jane.doe@example.com' AND telegram_id = " +
                std::to_string(jane.telegram_id) + " AND phone = '" + jane.phone +
                "' AND lower(username) = 'jane_doe'");
    BOOST_TEST_REQUIRE(ids.size() == 1u);
    BOOST_TEST(db.rows("SELECT email, username FROM subscribers WHERE id = " + ids[0]).at(0) ==
               jane.email + "|" + jane.username);
    // Her identities belong to her alone.
    BOOST_TEST(
        db.number(
            "SELECT COUNT(*) FROM subscribers WHERE lower(email) = 'jane.doe@example.com' OR telegram_id = " +
            std::to_string(jane.telegram_id) + " OR phone = '" + jane.phone +
            "' OR lower(username) = 'jane_doe'") == 1);

    const std::string me = ids[0];
    const std::map<std::string, std::string> found = {
        {"subscribers", "SELECT COUNT(*) FROM subscribers WHERE id = " + me},
        {"opt_ins", "SELECT COUNT(*) FROM opt_ins WHERE subscriber_id = " + me},
        {"consent_log", "SELECT COUNT(*) FROM consent_log WHERE subscriber_id = " + me},
        {"messages", "SELECT COUNT(*) FROM messages WHERE sender_id = " + me},
        {"chats", "SELECT COUNT(*) FROM chats WHERE id IN (SELECT chat_id FROM messages WHERE sender_id = " +
                      me + ")"},
        {"link_clicks", "SELECT COUNT(*) FROM link_clicks WHERE subscriber_id = " + me},
        {"campaigns",
         "SELECT COUNT(*) FROM campaigns WHERE id IN (SELECT campaign_id FROM link_clicks WHERE "
         "subscriber_id = " +
             me + ")"},
        {"orders", "SELECT COUNT(*) FROM orders WHERE subscriber_id = " + me},
        {"invoices",
         "SELECT COUNT(*) FROM invoices WHERE order_id IN (SELECT id FROM orders WHERE subscriber_id = " +
             me + ")"},
    };
    for (const auto& [table, rows] : known_subject_rows()) {
      BOOST_TEST(db.number(found.at(table)) == static_cast<long long>(rows), table);
    }
    // A group chat she writes in has other writers too (Art. 15(4) redaction has work to do).
    if (options.subjects >= 4) {
      BOOST_TEST(
          db.number("SELECT COUNT(DISTINCT m.sender_id) FROM messages m JOIN chats c ON c.id = m.chat_id"
                    " WHERE c.kind = 'group' AND m.sender_id <> " +
                    me +
                    " AND m.chat_id IN"
                    " (SELECT chat_id FROM messages WHERE sender_id = " +
                    me + ")") >= 3);
    }
  }
}

BOOST_AUTO_TEST_CASE(every_match_the_mapping_allows_is_served_by_an_index) {
  TempDir dir;
  BOOST_TEST_REQUIRE(create_sample_sqlite(dir.file("s.sqlite"), small(2000)).ok());
  const DatasetMapping mapping = load_sample_mapping();

  ConnectorRegistry registry;
  register_builtin_connectors(registry);
  ConnectorSettings settings;
  settings.name = "marketing_db";
  settings.kind = "sqlite";
  settings.settings = new Poco::JSON::Object;
  settings.settings->set("path", dir.file("s.sqlite"));
  auto connector = registry.create(settings);
  BOOST_TEST_REQUIRE(connector.ok(), (connector.ok() ? "" : connector.error()));
  const Status checked = (*connector)->check(mapping);
  BOOST_TEST_REQUIRE(checked.ok(), checked.error());

  // Matches by identity, and by reference in both directions (rows pointing at found
  // rows, and the rows found rows point at).
  std::vector<std::pair<const CollectionMapping*, const FieldMapping*>> matches;
  for (const CollectionMapping& c : mapping.collections) {
    for (const FieldMapping& f : c.fields) {
      if (f.identity) matches.emplace_back(&c, &f);
      if (f.references) {
        matches.emplace_back(&c, &f);
        const CollectionMapping* parent = mapping.collection(f.references->collection);
        matches.emplace_back(parent, parent->field(f.references->field));
      }
    }
  }
  const Db db(dir.file("s.sqlite"));
  for (const auto& [collection, field] : matches) {
    const std::string where = collection->name + "." + field->name;
    auto indexed = (*connector)->is_indexed(collection->name, field->name);
    BOOST_TEST_REQUIRE(indexed.ok(), where);
    BOOST_TEST(*indexed, where);

    FetchStep step;
    step.match =
        MatchSpec{collection->name, field->name, field->match, field->stored_as, {Value(std::string("x"))}};
    for (const FieldMapping& f : collection->fields) step.fields.push_back(f.name);
    step.primary_key = collection->primary_key;
    const std::string sql = (*connector)->describe(step);
    for (const std::string& line : db.rows("EXPLAIN QUERY PLAN " + sql)) {
      BOOST_TEST(line.find("SCAN ") == std::string::npos, where << ": " << line << " for " << sql);
    }
  }
}

BOOST_AUTO_TEST_CASE(an_existing_file_is_refused_and_left_alone) {
  TempDir dir;
  const std::string path = dir.file("taken.sqlite");
  std::ofstream(path) << "not mine";
  const Status created = create_sample_sqlite(path, small(10));
  BOOST_TEST_REQUIRE(!created.ok());
  BOOST_TEST(created.error().find("exists") != std::string::npos, created.error());
  std::ifstream in(path);
  std::string content;
  std::getline(in, content);
  BOOST_TEST(content == "not mine");
}

BOOST_AUTO_TEST_CASE(options_out_of_range_are_refused_before_any_file_is_made) {
  TempDir dir;
  const Status none = create_sample_sqlite(dir.file("none.sqlite"), small(0));
  BOOST_TEST_REQUIRE(!none.ok());
  BOOST_TEST(none.error().find("subjects") != std::string::npos, none.error());
  const Status scale = create_sample_sqlite(dir.file("scale.sqlite"), small(10, 1, 0.0));
  BOOST_TEST_REQUIRE(!scale.ok());
  BOOST_TEST(scale.error().find("scale") != std::string::npos, scale.error());
  BOOST_TEST(!std::filesystem::exists(dir.file("none.sqlite")));
  BOOST_TEST(!std::filesystem::exists(dir.file("scale.sqlite")));
}

#define BOOST_TEST_MODULE discovery of one person streamed by collection
#include <boost/test/unit_test.hpp>

#include "dsr/run/discovery.h"
#include "tests/run/shop_store.h"

using namespace dsr;

namespace {

// Jane (1) is found by her email, Bob (2) by his telegram id; Max (3) by neither.
constexpr const char* kRows[] = {
    "INSERT INTO subscribers VALUES (1, 'Jane@Example.com', 42, 'Jane Doe'), (2, 'bob@example.com', 420, 'Bob'),"
    " (3, 'max@example.com', NULL, 'Max')",
    "INSERT INTO chats VALUES (10, 'Group')",
    "INSERT INTO messages VALUES (100, 10, 1, 'hi from jane'), (101, 10, 2, 'hi from bob')",
    "INSERT INTO orders VALUES (200, 1, 1500), (201, 2, 700)",
    "INSERT INTO invoices VALUES (300, 200, 'Jane Doe', 1500), (301, 201, 'Bob', 700)",
};

// Subscribers alone: nothing references them, so resolve() only counts their rows.
constexpr const char* kSubscribersOnly = R"({
  "dataset": "shop", "connector": "shop_db", "purposes": ["orders"],
  "collections": [
    {"name": "subscribers", "primary_key": ["id"], "fields": [
      {"name": "id"}, {"name": "email", "identity": "email", "match": "lowercase", "category": "provided"},
      {"name": "telegram_id", "identity": "telegram_id", "stored_as": "integer"},
      {"name": "name", "category": "provided"}]}
  ]})";

std::string shown(const Value& value) {
  if (const auto* i = std::get_if<std::int64_t>(&value)) return std::to_string(*i);
  if (const auto* s = std::get_if<std::string>(&value)) return *s;
  return "NULL";
}

// Passes every read to the store's connector and notes it: "collection.match_field(fields)".
class NotingConnector : public Connector {
 public:
  explicit NotingConnector(Connector& inner) : Connector(inner.name()), inner_(inner) {}
  ConnectorFeatures features() const override { return inner_.features(); }
  Status check(const DatasetMapping& mapping) override { return inner_.check(mapping); }
  Status fetch(const FetchStep& step, const RowVisitor& visit) override {
    std::string fields;
    for (const auto& f : step.fields) fields += (fields.empty() ? "" : ",") + f;
    reads.push_back(step.match.collection + "." + step.match.match_field + "(" + fields + ")");
    return inner_.fetch(step, visit);
  }
  Result<std::uint64_t> count(const MatchSpec& match) override {
    reads.push_back(match.collection + "." + match.match_field + "(count)");
    return inner_.count(match);
  }
  std::string describe(const FetchStep& step) const override { return inner_.describe(step); }
  Result<bool> is_indexed(const std::string& collection, const std::string& field) override {
    return inner_.is_indexed(collection, field);
  }

  std::vector<std::string> reads;

 private:
  Connector& inner_;
};

// Every mapped field of every collection, rows as "collection: v|v|v".
class RecordingSink : public CollectionSink {
 public:
  std::vector<std::string> fields_for(const DatasetMapping&, const CollectionMapping& collection) override {
    std::vector<std::string> fields;
    for (const auto& f : collection.fields) fields.push_back(f.name);
    return fields;
  }
  Status begin(const DatasetMapping&, const CollectionMapping& collection, const std::vector<std::string>&) override {
    current_ = collection.name;
    return Status::Ok();
  }
  Status row(const Row& row) override {
    std::string line = current_ + ":";
    for (const auto& v : row) line += " " + shown(v);
    rows.push_back(line);
    return Status::Ok();
  }
  Status end(std::uint64_t) override { return Status::Ok(); }

  std::vector<std::string> rows;

 private:
  std::string current_;
};

struct Fixture : test::ShopStore {
  Fixture() : ShopStore(kRows) {}

  // The rows stream() gives and the reads it made on subscribers.
  std::pair<std::vector<std::string>, std::vector<std::string>> streamed(const DatasetMapping& with,
                                                                         const std::vector<Identity>& identities) {
    NotingConnector noting(*connector);
    Discovery discovery(with, noting);
    const Status resolved = discovery.resolve(identities);
    BOOST_REQUIRE_MESSAGE(resolved.ok(), (resolved.ok() ? "" : resolved.error()));
    noting.reads.clear();
    RecordingSink sink;
    const Status status = discovery.stream(sink);
    BOOST_REQUIRE_MESSAGE(status.ok(), (status.ok() ? "" : status.error()));
    std::vector<std::string> subscriber_reads, subscriber_rows;
    for (const auto& read : noting.reads) {
      if (read.starts_with("subscribers.")) subscriber_reads.push_back(read);
    }
    for (const auto& row : sink.rows) {
      if (row.starts_with("subscribers:")) subscriber_rows.push_back(row);
    }
    return {subscriber_rows, subscriber_reads};
  }
};

const std::vector<std::string> kJaneAndBob = {"subscribers: 1 Jane@Example.com 42 Jane Doe",
                                              "subscribers: 2 bob@example.com 420 Bob"};

}  // namespace

BOOST_FIXTURE_TEST_CASE(a_collection_reached_through_two_fields_is_read_once_by_the_keys_resolve_found, Fixture) {
  // Jane's email and Bob's telegram id: two people through two identity fields.
  const auto [rows, reads] = streamed(mapping, {{"email", "jane@example.com"}, {"telegram_id", "420"}});
  BOOST_TEST(rows == kJaneAndBob, boost::test_tools::per_element());
  // resolve() read the key (orders and messages reference it): no second round for it.
  BOOST_TEST(reads == std::vector<std::string>({"subscribers.id(id,email,telegram_id,name)"}),
             boost::test_tools::per_element());
}

BOOST_FIXTURE_TEST_CASE(a_row_found_through_both_fields_arrives_once, Fixture) {
  const auto [rows, reads] = streamed(mapping, {{"email", "jane@example.com"}, {"telegram_id", "42"}});
  BOOST_TEST(rows == std::vector<std::string>({kJaneAndBob.front()}), boost::test_tools::per_element());
  BOOST_TEST(reads.size() == 1u);
}

BOOST_FIXTURE_TEST_CASE(keys_resolve_did_not_read_are_read_before_the_rows, Fixture) {
  auto parsed = parse_mapping(kSubscribersOnly, "shop.json", {{"email", "telegram_id"}, {"shop_db"}});
  BOOST_REQUIRE_MESSAGE(parsed.ok(), (parsed.ok() ? "" : parsed.error()));
  const auto [rows, reads] = streamed(*parsed, {{"email", "jane@example.com"}, {"telegram_id", "420"}});
  BOOST_TEST(rows == kJaneAndBob, boost::test_tools::per_element());
  BOOST_TEST(reads == std::vector<std::string>({"subscribers.email(id)", "subscribers.telegram_id(id)",
                                                "subscribers.id(id,email,telegram_id,name)"}),
             boost::test_tools::per_element());
}

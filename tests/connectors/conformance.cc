#include "tests/connectors/conformance.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <random>
#include <set>
#include <stdexcept>

#include "dsr/common/text.h"

namespace dsr::test {

std::unique_ptr<Connector> ConformanceContext::make(const std::string& name) {
  ConnectorRegistry registry;
  register_builtin_connectors(registry);
  auto connector = registry.create(settings(name));
  if (!connector) throw std::runtime_error(connector.error());
  return std::move(*connector);
}

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Boost.Test evaluates a message even when the check passes.
template <typename T>
std::string error_of(const Result<T>& result) {
  return result.ok() ? std::string() : result.error();
}

std::string shown(const Value& v) {
  if (is_null(v)) return "NULL";
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i) + "i";
  if (const auto* d = std::get_if<double>(&v)) return std::to_string(*d) + "d";
  if (const auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  return "'" + std::get<std::string>(v) + "'";
}

std::string shown(const Row& row) {
  std::string out = "(";
  for (const Value& v : row) out += (out.size() > 1 ? ", " : "") + shown(v);
  return out + ")";
}

MatchSpec match(const std::string& collection, const std::string& field, std::vector<Value> values,
                MatchMode mode = MatchMode::exact, StoredAs stored_as = StoredAs::text) {
  MatchSpec spec;
  spec.collection = collection;
  spec.match_field = field;
  spec.mode = mode;
  spec.stored_as = stored_as;
  spec.values = std::move(values);
  return spec;
}

FetchStep step(MatchSpec spec, std::vector<std::string> fields,
               std::vector<std::string> primary_key = {"id"}) {
  FetchStep s;
  s.match = std::move(spec);
  s.fields = std::move(fields);
  s.primary_key = std::move(primary_key);
  return s;
}

std::vector<Row> fetch_all(Connector& connector, const FetchStep& s) {
  std::vector<Row> rows;
  const Status status = connector.fetch(s, [&rows](const Row& row) {
    rows.push_back(row);
    return Status::Ok();
  });
  BOOST_REQUIRE_MESSAGE(status.ok(), status.error());
  return rows;
}

std::uint64_t count_of(Connector& connector, const MatchSpec& spec) {
  const auto counted = connector.count(spec);
  BOOST_REQUIRE_MESSAGE(counted.ok(), error_of(counted));
  return *counted;
}

// The ids (first column) of the rows matching values, checking that count() agrees.
std::vector<std::int64_t> ids(Connector& connector, const MatchSpec& spec) {
  const std::vector<Row> rows = fetch_all(connector, step(spec, {"id"}));
  std::vector<std::int64_t> out;
  for (const Row& row : rows) {
    BOOST_REQUIRE_EQUAL(row.size(), 1u);
    BOOST_REQUIRE_MESSAGE(std::holds_alternative<std::int64_t>(row[0]), shown(row));
    out.push_back(std::get<std::int64_t>(row[0]));
  }
  BOOST_TEST(count_of(connector, spec) == out.size());
  return out;
}

using Ids = std::vector<std::int64_t>;

Value text(const char* s) { return Value(std::string(s)); }
Value integer(std::int64_t i) { return Value(i); }

struct Fixture {
  std::unique_ptr<ConformanceContext> context = make_conformance_context();
};

// id, email, in an order that is not the key order.
void people(ConformanceContext& context) {
  context.create_collection("people", "id BIGINT PRIMARY KEY, email VARCHAR(255), name VARCHAR(100)");
  context.insert("people", {
                               {integer(7), text("a@b.co"), text("prefix of the value")},
                               {integer(1), text("a@b.com"), text("the one")},
                               {integer(2), text("xa@b.com"), text("longer on the left")},
                               {integer(3), text("a@b.com.evil"), text("longer on the right")},
                               {integer(4), text("b.com"), text("a substring")},
                               {integer(5), text("A@B.COM"), text("other case")},
                               {integer(6), text("a@b.com "), text("trailing space")},
                               {integer(8), text("Mixed@Example.Com"), text("mixed case")},
                               {integer(9), Value(), text("no email")},
                           });
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(conformance, Fixture)

BOOST_AUTO_TEST_CASE(exact_match_matches_only_the_whole_value) {
  people(*context);
  auto connector = context->make();
  BOOST_TEST(ids(*connector, match("people", "email", {text("a@b.com")})) == Ids({1}),
             boost::test_tools::per_element());
  BOOST_TEST(ids(*connector, match("people", "email", {text("b.com")})) == Ids({4}),
             boost::test_tools::per_element());
  BOOST_TEST(ids(*connector, match("people", "email", {text("a@b.co")})) == Ids({7}),
             boost::test_tools::per_element());
  BOOST_TEST(ids(*connector, match("people", "email", {text("A@B.COM")})) == Ids({5}),
             boost::test_tools::per_element());
  BOOST_TEST(ids(*connector, match("people", "email", {text("a@b.com ")})) == Ids({6}),
             boost::test_tools::per_element());
  BOOST_TEST(ids(*connector, match("people", "email", {text("mixed@example.com")})).empty());
  BOOST_TEST(ids(*connector, match("people", "email", {text("")})).empty());
  BOOST_TEST(ids(*connector, match("people", "email", {Value()})).empty());
  BOOST_TEST(ids(*connector, match("people", "email",
                                   {text("a@b.com"), text("b.com"), text("nobody@x.org")})) == Ids({1, 4}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(lowercase_mode_compares_the_lowered_column) {
  people(*context);
  auto connector = context->make();
  const auto lower = [](std::vector<Value> values) {
    return match("people", "email", std::move(values), MatchMode::lowercase);
  };
  BOOST_TEST(ids(*connector, lower({text("a@b.com")})) == Ids({1, 5}), boost::test_tools::per_element());
  BOOST_TEST(ids(*connector, lower({text("mixed@example.com")})) == Ids({8}),
             boost::test_tools::per_element());
  // Values arrive normalised; a value with capitals can never equal a lowered column.
  BOOST_TEST(ids(*connector, lower({text("Mixed@Example.Com")})).empty());
  BOOST_TEST(ids(*connector, lower({text("b.com"), text("example.com")})) == Ids({4}),
             boost::test_tools::per_element());
}

// A column compared ignoring case, with an index: a store may answer the lowercase
// match from the index (MySQL cannot index LOWER(email)), but must select exactly
// the rows the lower-cased comparison selects.
BOOST_AUTO_TEST_CASE(lowercase_mode_on_a_column_that_ignores_case) {
  context->create_collection("subscribers", "id BIGINT PRIMARY KEY, email " + context->text_ignoring_case());
  context->insert("subscribers", {{integer(1), text("Jane.Doe@Example.COM")},
                                  {integer(2), text("jane.doe@example.com")},
                                  {integer(3), text("jane.doe@example.co")},
                                  {integer(4), text("JANE.DOE@EXAMPLE.COM ")},
                                  {integer(5), text("xjane.doe@example.com")},
                                  {integer(6), text("john@example.com")},
                                  {integer(7), Value()}});
  context->create_index("subscribers", {"email"});
  auto connector = context->make();
  const auto lower = [](std::vector<Value> values) {
    return match("subscribers", "email", std::move(values), MatchMode::lowercase);
  };
  BOOST_TEST(ids(*connector, lower({text("jane.doe@example.com")})) == Ids({1, 2}), boost::test_tools::per_element());
  BOOST_TEST(ids(*connector, lower({text("john@example.com"), text("nobody@example.com")})) == Ids({6}),
             boost::test_tools::per_element());
  // Capitals in a value never equal a lower-cased column, whatever the collation says.
  BOOST_TEST(ids(*connector, lower({text("Jane.Doe@Example.COM")})).empty());
  // Trailing spaces count (MySQL's PAD SPACE collations would ignore them).
  BOOST_TEST(ids(*connector, lower({text("jane.doe@example.com ")})) == Ids({4}), boost::test_tools::per_element());
  BOOST_TEST(ids(*connector, lower({text("example.com")})).empty());
  const FetchStep s = step(lower({text("jane.doe@example.com")}), {"id", "email"});
  const std::vector<Row> rows = fetch_all(*connector, s);
  BOOST_TEST_REQUIRE(rows.size() == 2u);
  BOOST_TEST(shown(rows[0]) == shown(Row{integer(1), text("Jane.Doe@Example.COM")}));
  BOOST_TEST(shown(rows[1]) == shown(Row{integer(2), text("jane.doe@example.com")}));
}

BOOST_AUTO_TEST_CASE(telegram_id_stored_as_integer_or_as_text) {
  context->create_collection("tg_int", "id BIGINT PRIMARY KEY, telegram_id BIGINT");
  context->insert("tg_int", {{integer(1), integer(123456789)},
                             {integer(2), integer(1234567890)},
                             {integer(3), integer(12345678)},
                             {integer(4), integer(9007199254740993)},
                             {integer(5), integer(9007199254740992)},
                             {integer(6), Value()}});
  context->create_collection("tg_text", "id BIGINT PRIMARY KEY, telegram_id VARCHAR(32)");
  context->insert("tg_text", {{integer(1), text("123456789")},
                              {integer(2), text("0123456789")},
                              {integer(3), text("1234567890")},
                              {integer(4), text("123456789 ")}});
  auto connector = context->make();
  const auto as_integer = [](const char* collection, std::vector<Value> values) {
    return match(collection, "telegram_id", std::move(values), MatchMode::exact, StoredAs::integer);
  };
  BOOST_TEST(ids(*connector, as_integer("tg_int", {integer(123456789)})) == Ids({1}),
             boost::test_tools::per_element());
  BOOST_TEST(ids(*connector, as_integer("tg_int", {text("123456789")})) == Ids({1}),
             boost::test_tools::per_element());
  // Beyond 2^53 a double would merge these two.
  BOOST_TEST(ids(*connector, as_integer("tg_int", {text("9007199254740993")})) == Ids({4}),
             boost::test_tools::per_element());
  // Not an integer: matches nothing, and is no error.
  BOOST_TEST(
      ids(*connector, as_integer("tg_int", {text("123456789 OR 1=1"), text("12345678x"), text(" 123456789"),
                                            text(""), text("1e8"), text("0x75BCD15"), Value(1.5), Value()}))
          .empty());
  BOOST_TEST(ids(*connector, as_integer("tg_int", {text("99999999999999999999")})).empty());
  BOOST_TEST(ids(*connector, as_integer("tg_int", {text("12345678"), text("+123456789"), text("-5")})) ==
                 Ids({1, 3}),
             boost::test_tools::per_element());

  const auto as_text = [](std::vector<Value> values) {
    return match("tg_text", "telegram_id", std::move(values));
  };
  BOOST_TEST(ids(*connector, as_text({text("123456789")})) == Ids({1}), boost::test_tools::per_element());
  BOOST_TEST(ids(*connector, as_text({integer(123456789)})) == Ids({1}), boost::test_tools::per_element());
  BOOST_TEST(ids(*connector, as_text({text("0123456789")})) == Ids({2}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(types_and_nulls_survive) {
  context->create_collection(
      "typed", "id BIGINT PRIMARY KEY, k VARCHAR(10), n BIGINT, d DOUBLE, s VARCHAR(100), z VARCHAR(10)");
  const std::string utf8 = "Zo\xc3\xab \xc3\x98rsted \xe2\x80\x93 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x99\x82";
  context->insert("typed",
                  {{integer(1), text("k"), integer(42), Value(2.5), Value(utf8), Value()},
                   {integer(2), text("k"), integer(-9223372036854775807LL), Value(0.1), text(""), Value()},
                   {integer(3), text("k"), Value(), Value(), Value(), text("set")}});
  auto connector = context->make();
  const std::vector<Row> rows =
      fetch_all(*connector, step(match("typed", "k", {text("k")}), {"s", "n", "d", "z", "id"}));
  BOOST_REQUIRE_EQUAL(rows.size(), 3u);
  const std::vector<Row> expected = {
      {Value(utf8), integer(42), Value(2.5), Value(), integer(1)},
      {text(""), integer(-9223372036854775807LL), Value(0.1), Value(), integer(2)},
      {Value(), Value(), Value(), text("set"), integer(3)},
  };
  for (std::size_t i = 0; i < rows.size(); ++i) {
    BOOST_TEST((rows[i] == expected[i]),
               "row " << i << ": " << shown(rows[i]) << " != " << shown(expected[i]));
  }
  // Matching on non-ASCII text is exact too.
  BOOST_TEST(ids(*connector, match("typed", "s", {Value(utf8)})) == Ids({1}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(quotes_wildcards_and_backslashes_match_only_literally) {
  const std::vector<std::string> specials = {"O'Brien",
                                             "' OR '1'='1",
                                             "%",
                                             "_",
                                             "a%",
                                             "a_c",
                                             "a\\b",
                                             "a\\\\b",
                                             "\\",
                                             "\\'",
                                             "\"quoted\"",
                                             "`tick`",
                                             "x); DROP TABLE lit; --",
                                             ":v0",
                                             "a\\%",
                                             "\\_"};
  const std::vector<std::string> plain = {"abc", "ab",    "O Brien", "1",      "100%",
                                          "axc", "a\\bc", "ab\\",    "quoted", ""};
  context->create_collection("lit", "id BIGINT PRIMARY KEY, v VARCHAR(100)");
  std::vector<Row> rows;
  std::int64_t id = 1;
  for (const auto& v : specials) rows.push_back({integer(id++), Value(v)});
  for (const auto& v : plain) rows.push_back({integer(id++), Value(v)});
  context->insert("lit", rows);
  auto connector = context->make();
  for (std::size_t i = 0; i < specials.size(); ++i) {
    BOOST_TEST_CONTEXT("value " << specials[i]) {
      BOOST_TEST(
          ids(*connector, match("lit", "v", {Value(specials[i])})) == Ids({static_cast<std::int64_t>(i + 1)}),
          boost::test_tools::per_element());
      BOOST_TEST(ids(*connector, match("lit", "v", {Value(specials[i])}, MatchMode::lowercase)).size() <= 1u);
    }
  }
  BOOST_TEST(ids(*connector, match("lit", "v", {text("1' OR '1'='1")})).empty());
  // The table is still there, with every row.
  std::vector<Value> all;
  for (const auto& v : specials) all.push_back(Value(v));
  for (const auto& v : plain) all.push_back(Value(v));
  BOOST_TEST(ids(*connector, match("lit", "v", all)).size() == specials.size() + plain.size());
}

BOOST_AUTO_TEST_CASE(thousands_of_values_arrive_complete_in_key_order) {
  // 3,000 rows whose ids are a permutation, so that value order is not key order.
  context->create_collection("subscribers", "id BIGINT PRIMARY KEY, email VARCHAR(255)");
  std::vector<Row> rows;
  for (std::int64_t i = 0; i < 3000; ++i) {
    rows.push_back({integer((i * 7919) % 3001 + 1), Value("user" + std::to_string(i) + "@example.com")});
  }
  context->insert("subscribers", rows);
  std::mt19937 random(42);
  std::vector<std::int64_t> chosen(3000);
  std::iota(chosen.begin(), chosen.end(), 0);
  std::shuffle(chosen.begin(), chosen.end(), random);
  chosen.resize(2500);
  std::vector<Value> values;
  std::set<std::int64_t> expected;
  for (std::int64_t i : chosen) {
    values.push_back(Value("user" + std::to_string(i) + "@example.com"));
    expected.insert((i * 7919) % 3001 + 1);
  }
  for (int i = 0; i < 50; ++i) values.push_back(Value("nobody" + std::to_string(i) + "@example.com"));
  // Repeated values must not repeat rows.
  for (int i = 0; i < 50; ++i) values.push_back(values[static_cast<std::size_t>(i) * 40]);
  std::shuffle(values.begin(), values.end(), random);

  auto connector = context->make();
  const Ids got = ids(*connector, match("subscribers", "email", values));
  BOOST_TEST(got.size() == expected.size());
  BOOST_TEST(std::is_sorted(got.begin(), got.end()));
  BOOST_TEST((std::adjacent_find(got.begin(), got.end()) == got.end()), "a row arrived twice");
  BOOST_TEST((std::set<std::int64_t>(got.begin(), got.end()) == expected));
}

BOOST_AUTO_TEST_CASE(twelve_thousand_matching_rows_arrive_complete_in_key_order) {
  context->create_collection("events", "id BIGINT PRIMARY KEY, subject VARCHAR(64), payload VARCHAR(64)");
  std::vector<Row> rows;
  const char* subjects[] = {"s1", "s2", "s3", "other"};
  std::int64_t matching = 0;
  for (std::int64_t i = 1; i <= 13000; ++i) {
    const char* subject = subjects[i % 13 == 0 ? 3 : i % 3];
    if (i % 13 != 0) ++matching;
    rows.push_back({integer(i * 3), text(subject), Value("payload " + std::to_string(i))});
  }
  context->insert("events", rows);
  auto connector = context->make();
  const MatchSpec spec = match("events", "subject", {text("s1"), text("s2"), text("s3")});
  std::int64_t previous = 0;
  std::int64_t seen = 0;
  bool ordered = true;
  bool complete_rows = true;
  const Status status = connector->fetch(step(spec, {"id", "payload"}), [&](const Row& row) {
    const std::int64_t id = std::get<std::int64_t>(row.at(0));
    ordered = ordered && id > previous;
    complete_rows = complete_rows && row.at(1) == Value("payload " + std::to_string(id / 3));
    previous = id;
    ++seen;
    return Status::Ok();
  });
  BOOST_REQUIRE_MESSAGE(status.ok(), status.error());
  BOOST_TEST(matching >= 12000);
  BOOST_TEST(seen == matching);
  BOOST_TEST(ordered);
  BOOST_TEST(complete_rows);
  BOOST_TEST(count_of(*connector, spec) == static_cast<std::uint64_t>(matching));
}

BOOST_AUTO_TEST_CASE(composite_text_keys_page_across_chunks_in_byte_order) {
  // Owners whose byte order differs from a case-insensitive collation's order.
  const std::vector<std::string> owners = {"alice", "Bob", "carol", "Zed", "_x", "\xc3\xa5lesund"};
  context->create_collection("items",
                             "owner VARCHAR(32) NOT NULL, seq BIGINT NOT NULL, tag VARCHAR(32), "
                             "PRIMARY KEY (owner, seq)");
  std::vector<Row> rows;
  for (std::size_t o = 0; o < owners.size(); ++o) {
    for (std::int64_t seq = 0; seq < 2000; ++seq) {
      rows.push_back({Value(owners[o]), integer(seq),
                      Value("t" + std::to_string((seq * 7 + static_cast<std::int64_t>(o)) % 600))});
    }
  }
  context->insert("items", rows);
  std::vector<Value> tags;
  for (int t = 599; t >= 0; --t) tags.push_back(Value("t" + std::to_string(t)));  // more than one chunk

  auto connector = context->make();
  const MatchSpec spec = match("items", "tag", tags);
  const std::vector<Row> got = fetch_all(*connector, step(spec, {"owner", "seq"}, {"owner", "seq"}));
  std::vector<std::pair<std::string, std::int64_t>> keys;
  for (const Row& row : got)
    keys.emplace_back(std::get<std::string>(row.at(0)), std::get<std::int64_t>(row.at(1)));
  BOOST_TEST(keys.size() == owners.size() * 2000);
  BOOST_TEST(std::is_sorted(keys.begin(), keys.end()), "not in key order (text keys by bytes)");
  BOOST_TEST((std::adjacent_find(keys.begin(), keys.end()) == keys.end()), "a row arrived twice");
  BOOST_TEST(count_of(*connector, spec) == owners.size() * 2000);
}

BOOST_AUTO_TEST_CASE(rows_have_the_requested_fields_in_order) {
  people(*context);
  auto connector = context->make();
  const std::vector<Row> rows = fetch_all(
      *connector, step(match("people", "email", {text("a@b.com"), text("b.com")}), {"name", "email", "id"}));
  BOOST_REQUIRE_EQUAL(rows.size(), 2u);
  BOOST_TEST((rows[0] == Row{text("the one"), text("a@b.com"), integer(1)}), shown(rows[0]));
  BOOST_TEST((rows[1] == Row{text("a substring"), text("b.com"), integer(4)}), shown(rows[1]));
}

BOOST_AUTO_TEST_CASE(no_values_no_rows) {
  people(*context);
  auto connector = context->make();
  BOOST_TEST(ids(*connector, match("people", "email", {})).empty());
  BOOST_TEST(
      ids(*connector, match("people", "id", {text("x")}, MatchMode::exact, StoredAs::integer)).empty());
}

BOOST_AUTO_TEST_CASE(a_visitor_error_stops_the_fetch) {
  people(*context);
  auto connector = context->make();
  int visited = 0;
  const Status status = connector->fetch(
      step(match("people", "email", {text("a@b.com"), text("b.com"), text("a@b.co")}), {"id"}),
      [&](const Row&) { return ++visited == 2 ? Status(fail("export disk full")) : Status::Ok(); });
  BOOST_TEST(!status.ok());
  BOOST_TEST(status.error() == "export disk full");
  BOOST_TEST(visited == 2);
}

BOOST_AUTO_TEST_CASE(describe_shows_placeholders_and_no_value) {
  people(*context);
  auto connector = context->make();
  const FetchStep s = step(match("people", "email", {text("secret.person@example.com"), text("' OR '1'='1")}),
                           {"id", "email"});
  for (int round = 0; round < 2; ++round) {  // before and after the connector has read the store
    const std::string text = connector->describe(s);
    BOOST_TEST_MESSAGE("describe: " << text);
    BOOST_TEST(contains(text, context->first_placeholder()), text);
    BOOST_TEST(contains(text, "people"), text);
    BOOST_TEST(!contains(text, "secret.person"), text);
    BOOST_TEST(!contains(text, "OR '1'"), text);
    BOOST_TEST(ids(*connector, s.match).size() == 0u);
  }
}

BOOST_AUTO_TEST_CASE(check_names_missing_collections_and_fields) {
  people(*context);
  auto connector = context->make("marketing_db");
  DatasetMapping mapping;
  mapping.connector = "marketing_db";
  CollectionMapping people_collection;
  people_collection.name = "people";
  people_collection.primary_key = {"id"};
  for (const char* field : {"id", "email", "name"}) {
    FieldMapping f;
    f.name = field;
    people_collection.fields.push_back(f);
  }
  mapping.collections.push_back(people_collection);
  BOOST_TEST(connector->check(mapping).ok(), connector->check(mapping).error());

  DatasetMapping broken = mapping;
  CollectionMapping subscribers = people_collection;
  subscribers.name = "subscribers";
  broken.collections.push_back(subscribers);
  FieldMapping phone;
  phone.name = "phone";
  broken.collections.front().fields.push_back(phone);
  const Status status = connector->check(broken);
  BOOST_REQUIRE(!status.ok());
  BOOST_TEST_MESSAGE("check: " << status.error());
  BOOST_TEST(contains(status.error(), "connector 'marketing_db': collection 'subscribers': no such table"),
             status.error());
  BOOST_TEST(contains(status.error(),
                      "connector 'marketing_db': collection 'people': field 'phone': no such column"),
             status.error());
}

BOOST_AUTO_TEST_CASE(fetch_on_a_dropped_collection_names_connector_and_collection) {
  context->create_collection("gone", "id BIGINT PRIMARY KEY, email VARCHAR(255)");
  context->insert("gone", {{integer(1), text("a@b.com")}});
  auto connector = context->make("marketing_db");
  const MatchSpec spec = match("gone", "email", {text("a@b.com")});
  BOOST_TEST(ids(*connector, spec) == Ids({1}), boost::test_tools::per_element());
  context->drop_collection("gone");
  const Status status = connector->fetch(step(spec, {"id"}), [](const Row&) { return Status::Ok(); });
  BOOST_REQUIRE(!status.ok());
  BOOST_TEST_MESSAGE("dropped: " << status.error());
  BOOST_TEST(contains(status.error(), "connector 'marketing_db': collection 'gone': "), status.error());
  BOOST_TEST(!contains(status.error(), "a@b.com"), status.error());
  const auto counted = connector->count(spec);
  BOOST_REQUIRE(!counted.ok());
  BOOST_TEST(contains(counted.error(), "connector 'marketing_db': collection 'gone': "), counted.error());
  // A collection that never existed, and a field that does not.
  const auto missing = connector->count(match("never", "email", {text("a@b.com")}));
  BOOST_REQUIRE(!missing.ok());
  BOOST_TEST(missing.error() == "connector 'marketing_db': collection 'never': no such table");
  people(*context);
  const auto no_field = connector->count(match("people", "mail", {text("a@b.com")}));
  BOOST_REQUIRE(!no_field.ok());
  BOOST_TEST(no_field.error() ==
             "connector 'marketing_db': collection 'people': field 'mail': no such column");
}

BOOST_AUTO_TEST_CASE(an_unreachable_store_is_a_clear_error) {
  ConnectorRegistry registry;
  register_builtin_connectors(registry);
  auto connector = registry.create(context->unreachable_settings("offline"));
  BOOST_REQUIRE_MESSAGE(connector.ok(), error_of(connector));
  const Status status =
      (*connector)->fetch(step(match("people", "email", {text("a@b.com")}), {"id"}), [](const Row&) {
        return Status::Ok();
      });
  BOOST_REQUIRE(!status.ok());
  BOOST_TEST_MESSAGE("unreachable: " << status.error());
  BOOST_TEST(contains(status.error(), "connector 'offline': cannot connect: "), status.error());
  const Status checked = (*connector)->check(DatasetMapping{});
  BOOST_REQUIRE(!checked.ok());
  BOOST_TEST(contains(checked.error(), "connector 'offline': cannot connect: "), checked.error());
  const auto indexed = (*connector)->is_indexed("people", "email");
  BOOST_REQUIRE(!indexed.ok());
  BOOST_TEST(contains(indexed.error(), "connector 'offline': cannot connect: "), indexed.error());
}

BOOST_AUTO_TEST_CASE(is_indexed_knows_keys_and_indexes) {
  context->create_collection("indexed",
                             "id BIGINT PRIMARY KEY, email VARCHAR(255), plain VARCHAR(255), "
                             "a VARCHAR(10), b VARCHAR(10)");
  context->create_index("indexed", {"email"});
  context->create_index("indexed", {"a", "b"});
  context->create_collection("rowid_alias", "id INTEGER PRIMARY KEY, v VARCHAR(10)");
  context->create_collection("composite",
                             "k VARCHAR(10) NOT NULL, n BIGINT NOT NULL, v VARCHAR(10), "
                             "PRIMARY KEY (k, n)");
  auto connector = context->make();
  const auto indexed = [&](const char* collection, const char* field) {
    const auto result = connector->is_indexed(collection, field);
    BOOST_REQUIRE_MESSAGE(result.ok(), error_of(result));
    return *result;
  };
  BOOST_TEST(indexed("indexed", "id"));
  BOOST_TEST(indexed("indexed", "email"));
  BOOST_TEST(!indexed("indexed", "plain"));
  BOOST_TEST(indexed("indexed", "a"));
  BOOST_TEST(!indexed("indexed", "b"));  // second in its index: no use for a match on b alone
  BOOST_TEST(indexed("rowid_alias", "id"));
  BOOST_TEST(!indexed("rowid_alias", "v"));
  BOOST_TEST(indexed("composite", "k"));
  BOOST_TEST(!indexed("composite", "n"));
  BOOST_TEST(connector->features().index_info);
  const auto missing = connector->is_indexed("nothing_here", "id");
  BOOST_TEST(!missing.ok());
  BOOST_TEST(contains(missing.error(), "collection 'nothing_here': no such table"), missing.error());
}

BOOST_AUTO_TEST_CASE(registry_names_known_kinds_and_settings_errors) {
  ConnectorRegistry registry;
  register_builtin_connectors(registry);
  BOOST_TEST(registry.knows(context->kind()));
  ConnectorSettings settings = context->settings("marketing_db");
  settings.kind = "oracle";
  const auto unknown = registry.create(settings);
  BOOST_REQUIRE(!unknown.ok());
  BOOST_TEST_MESSAGE("unknown kind: " << unknown.error());
  BOOST_TEST(contains(unknown.error(), "connector 'marketing_db'"), unknown.error());
  BOOST_TEST(contains(unknown.error(), "oracle"), unknown.error());
  for (const std::string& kind : registry.kinds())
    BOOST_TEST(contains(unknown.error(), kind), unknown.error());
  BOOST_TEST(contains(unknown.error(), context->kind()), unknown.error());

  ConnectorSettings incomplete = context->settings("marketing_db");
  incomplete.settings = new Poco::JSON::Object(*incomplete.settings);
  incomplete.settings->remove(context->required_setting());
  const auto missing = registry.create(incomplete);
  BOOST_REQUIRE(!missing.ok());
  BOOST_TEST(missing.error() == "connector 'marketing_db': missing \"" + context->required_setting() + "\"");
  incomplete.settings->set(context->required_setting(), 5);
  const auto wrong = registry.create(incomplete);
  BOOST_REQUIRE(!wrong.ok());
  BOOST_TEST(contains(wrong.error(), "connector 'marketing_db': "), wrong.error());
}

BOOST_AUTO_TEST_CASE(a_lost_connection_is_reopened_by_the_next_call) {
  if (!context->can_cut_connections()) {
    BOOST_TEST_MESSAGE(context->kind() << ": connections cannot be cut; nothing to test");
    BOOST_TEST(!context->can_cut_connections());
    return;
  }
  people(*context);
  auto connector = context->make();
  const MatchSpec spec = match("people", "email", {text("a@b.com")});
  BOOST_TEST(ids(*connector, spec) == Ids({1}), boost::test_tools::per_element());
  context->cut_connections();
  // The call that meets the dead connection may fail; it must say where.
  const auto first = connector->count(spec);
  if (!first.ok()) {
    BOOST_TEST_MESSAGE("after the cut: " << first.error());
    BOOST_TEST(contains(first.error(), "connector 'store'"), first.error());
  }
  BOOST_TEST(ids(*connector, spec) == Ids({1}), boost::test_tools::per_element());
  BOOST_TEST(count_of(*connector, spec) == 1u);
}

// ---- Erasure ----

namespace {

EraseStep erase_step(MatchSpec spec, std::size_t chunk_rows = 1000, std::vector<std::string> key = {"id"}) {
  EraseStep s;
  s.match = std::move(spec);
  s.primary_key = std::move(key);
  s.chunk_rows = chunk_rows;
  return s;
}

EraseStep update_step(MatchSpec spec, std::vector<FieldAssignment> assignments, std::size_t chunk_rows = 1000,
                      std::vector<std::string> key = {"id"}) {
  EraseStep s = erase_step(std::move(spec), chunk_rows, std::move(key));
  s.delete_rows = false;
  s.assignments = std::move(assignments);
  return s;
}

EraseResult erased(Connector& connector, const EraseStep& s) {
  const auto result = connector.erase(s);
  BOOST_REQUIRE_MESSAGE(result.ok(), error_of(result));
  return *result;
}

void expect_erased(const EraseResult& got, std::uint64_t rows, std::uint64_t transactions, std::uint64_t largest) {
  BOOST_TEST(got.rows == rows);
  BOOST_TEST(got.transactions == transactions);
  BOOST_TEST(got.largest_transaction == largest);
}

// Rows compared value by value, type included; the first difference is named.
void expect_same(const std::vector<Row>& got, const std::vector<Row>& expected) {
  BOOST_TEST_REQUIRE(got.size() == expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (!(got[i] == expected[i])) {
      BOOST_TEST(false, "row " << i << ": " << shown(got[i]) << " != " << shown(expected[i]));
      return;
    }
  }
}

std::vector<Row> without_ids(const std::vector<Row>& rows, const std::set<std::int64_t>& gone) {
  std::vector<Row> kept;
  for (const Row& row : rows) {
    if (!gone.count(std::get<std::int64_t>(row.at(0)))) kept.push_back(row);
  }
  return kept;
}

Value prefixed(const char* prefix, const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return Value(prefix + *s);
  return v;
}

Value plus_one(const Value& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return Value(*i + 1);
  return v;
}

// Rows of every type dsr reads, of which those with email "<tag>@x.org" are the subject's.
// id, email, name, score, visits, note
void accounts(ConformanceContext& context, std::int64_t count, std::int64_t every, const std::string& tag) {
  context.create_collection("accounts",
                            "id BIGINT PRIMARY KEY, email VARCHAR(255), name VARCHAR(100), score DOUBLE, "
                            "visits BIGINT, note VARCHAR(200)");
  const std::string utf8 = "Zo\xc3\xab \xc3\x98rsted \xe2\x80\x93 \xf0\x9f\x99\x82";
  std::vector<Row> rows;
  for (std::int64_t i = 1; i <= count; ++i) {
    const std::int64_t id = (i * 7919) % 100003;  // key order is not insertion order
    const bool subject = i % every == 0;
    rows.push_back({integer(id), subject ? Value(tag + "@x.org") : Value("other" + std::to_string(i) + "@x.org"),
                    i % 5 == 0 ? Value() : Value(utf8 + " " + std::to_string(i)),
                    i % 7 == 0 ? Value() : Value(static_cast<double>(i) / 8.0), integer(i * 1000),
                    i % 3 == 0 ? Value("it's \"quoted\" \\ " + std::to_string(i)) : Value()});
  }
  context.insert("accounts", rows);
}

std::set<std::int64_t> ids_where(const std::vector<Row>& rows, std::size_t column, const Value& value) {
  std::set<std::int64_t> out;
  for (const Row& row : rows) {
    if (row.at(column) == value) out.insert(std::get<std::int64_t>(row.at(0)));
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(erase_delete_removes_exactly_the_matched_rows) {
  accounts(*context, 200, 9, "subject");
  auto connector = context->make();
  BOOST_TEST(connector->features().erase);
  const std::vector<Row> before = context->dump("accounts", "id");
  const std::set<std::int64_t> matched = ids_where(before, 1, text("subject@x.org"));
  BOOST_REQUIRE_EQUAL(matched.size(), 22u);
  const EraseResult done =
      erased(*connector, erase_step(match("accounts", "email", {text("subject@x.org"), text("SUBJECT@x.org")})));
  expect_erased(done, 22, 1, 22);
  expect_same(context->dump("accounts", "id"), without_ids(before, matched));
  BOOST_TEST(count_of(*connector, match("accounts", "email", {text("subject@x.org")})) == 0u);
}

BOOST_AUTO_TEST_CASE(erase_delete_commits_in_chunks_of_chunk_rows) {
  accounts(*context, 500, 10, "subject");  // 50 matching rows
  auto connector = context->make();
  const std::vector<Row> before = context->dump("accounts", "id");
  const EraseResult done = erased(*connector, erase_step(match("accounts", "email", {text("subject@x.org")}), 7));
  expect_erased(done, 50, 8, 7);
  expect_same(context->dump("accounts", "id"), without_ids(before, ids_where(before, 1, text("subject@x.org"))));
  // Idempotent: nothing is left to delete.
  expect_erased(erased(*connector, erase_step(match("accounts", "email", {text("subject@x.org")}), 7)), 0, 0, 0);
}

BOOST_AUTO_TEST_CASE(erase_chunk_rows_zero_means_a_thousand) {
  accounts(*context, 2100, 1, "subject");
  auto connector = context->make();
  expect_erased(erased(*connector, erase_step(match("accounts", "email", {text("subject@x.org")}), 0)), 2100, 3,
                1000);
  BOOST_TEST(context->dump("accounts", "id").empty());
}

BOOST_AUTO_TEST_CASE(erase_delete_by_lowercase_match) {
  people(*context);
  auto connector = context->make();
  const std::vector<Row> before = context->dump("people", "id");
  expect_erased(erased(*connector, erase_step(match("people", "email", {text("a@b.com")}, MatchMode::lowercase))),
                2, 1, 2);
  expect_same(context->dump("people", "id"), without_ids(before, {1, 5}));
}

BOOST_AUTO_TEST_CASE(erase_delete_by_integer_telegram_id) {
  context->create_collection("tg_int", "id BIGINT PRIMARY KEY, telegram_id BIGINT");
  context->insert("tg_int", {{integer(1), integer(123456789)},
                             {integer(2), integer(1234567890)},
                             {integer(4), integer(9007199254740993)},
                             {integer(5), integer(9007199254740992)},
                             {integer(6), Value()}});
  auto connector = context->make();
  const std::vector<Row> before = context->dump("tg_int", "id");
  const MatchSpec spec = match("tg_int", "telegram_id",
                               {text("9007199254740993"), text("123456789 OR 1=1"), integer(123456789), Value()},
                               MatchMode::exact, StoredAs::integer);
  expect_erased(erased(*connector, erase_step(spec)), 2, 1, 2);
  expect_same(context->dump("tg_int", "id"), without_ids(before, {1, 4}));
}

BOOST_AUTO_TEST_CASE(erase_update_masks_the_matched_field_once_per_row) {
  // 2,500 subjects' rows among 3,000, matched by 2,500 values (several value chunks).
  context->create_collection("accounts",
                             "id BIGINT PRIMARY KEY, email VARCHAR(255), name VARCHAR(100), visits BIGINT, "
                             "note VARCHAR(200)");
  std::vector<Row> rows;
  std::vector<Value> values;
  for (std::int64_t i = 1; i <= 3000; ++i) {
    const std::string email = "user" + std::to_string(i) + "@x.org";
    rows.push_back({integer((i * 7919) % 3001 + 1), Value(email), Value("name " + std::to_string(i)),
                    integer(i), i % 2 ? Value("note") : Value()});
    if (i % 6 != 0) values.push_back(Value(email));
  }
  context->insert("accounts", rows);
  BOOST_REQUIRE_EQUAL(values.size(), 2500u);
  auto connector = context->make();
  const std::vector<Row> before = context->dump("accounts", "id");
  const MatchSpec spec = match("accounts", "email", values);
  const EraseStep s = update_step(spec,
                                  {{"email", [](const Value& v) { return prefixed("h:", v); }},
                                   {"name", [](const Value&) { return Value(); }},
                                   {"note", [](const Value&) { return text("erased"); }},
                                   {"visits", plus_one}},
                                  1000);
  expect_erased(erased(*connector, s), 2500, 3, 1000);
  std::vector<Row> expected = before;
  const std::set<Value> matched(values.begin(), values.end());
  for (Row& row : expected) {
    if (!matched.count(row[1])) continue;
    row = {row[0], prefixed("h:", row[1]), Value(), plus_one(row[3]), text("erased")};
  }
  expect_same(context->dump("accounts", "id"), expected);
  // The masked rows no longer match: a second run finds nothing.
  expect_erased(erased(*connector, s), 0, 0, 0);
  expect_same(context->dump("accounts", "id"), expected);
}

BOOST_AUTO_TEST_CASE(erase_update_pages_past_rows_that_still_match) {
  context->create_collection("accounts", "id BIGINT PRIMARY KEY, k VARCHAR(10), visits BIGINT, note VARCHAR(20)");
  std::vector<Row> rows;
  for (std::int64_t i = 1; i <= 3000; ++i) rows.push_back({integer(i * 3), text(i % 6 ? "k" : "j"), integer(0), text("n")});
  context->insert("accounts", rows);
  auto connector = context->make();
  const std::vector<Row> before = context->dump("accounts", "id");
  // k keeps matching after the update; visits counts how often each row was written.
  const EraseStep s = update_step(match("accounts", "k", {text("k")}),
                                  {{"k", [](const Value&) { return text("k"); }}, {"visits", plus_one}}, 1000);
  expect_erased(erased(*connector, s), 2500, 3, 1000);
  std::vector<Row> expected = before;
  for (Row& row : expected) {
    if (row[1] == text("k")) row[2] = integer(1);
  }
  expect_same(context->dump("accounts", "id"), expected);
  // With fixed values (and NULL) a rerun would write the same values: rows already
  // holding them are neither written nor counted, so a rerun after a crash counts
  // only what it changed.
  const EraseStep fixed = update_step(match("accounts", "k", {text("k")}),
                                      {{"note", [](const Value&) { return text("erased"); }},
                                       {"k", [](const Value&) { return text("k"); }}},
                                      1000);
  expect_erased(erased(*connector, fixed), 2500, 3, 1000);
  const std::vector<Row> once = context->dump("accounts", "id");
  expect_erased(erased(*connector, fixed), 0, 3, 0);
  expect_same(context->dump("accounts", "id"), once);
}

BOOST_AUTO_TEST_CASE(erase_update_with_constant_values_writes_each_changed_row_once) {
  // Assignments that say they are constant may be written without reading the rows
  // (one limited UPDATE per chunk on MySQL): the outcome must be the same.
  context->create_collection("accounts",
                             "id BIGINT PRIMARY KEY, k VARCHAR(10), name VARCHAR(20), note VARCHAR(20), visits BIGINT");
  std::vector<Row> rows;
  for (std::int64_t i = 1; i <= 3000; ++i) {
    // Among the matching rows: some already masked, and some that a case-insensitive
    // collation would call masked but that differ byte for byte.
    const Value note = i % 10 == 0 ? text("erased") : i % 10 == 1 ? text("ERASED") : text("n");
    const Value name = i % 10 == 0 ? Value() : text("name");
    const Value visits = i % 10 == 0 ? integer(0) : integer(i);
    rows.push_back({integer(i * 3), text(i % 6 ? "k" : "j"), name, note, visits});
  }
  context->insert("accounts", rows);
  auto connector = context->make();
  const std::vector<Row> before = context->dump("accounts", "id");
  std::vector<FieldAssignment> assignments = {{"note", [](const Value&) { return text("erased"); }, text("erased")},
                                              {"name", [](const Value&) { return Value(); }, Value()},
                                              {"visits", [](const Value&) { return integer(0); }, integer(0)}};
  const EraseStep s = update_step(match("accounts", "k", {text("k")}), assignments, 1000);
  std::vector<Row> expected = before;
  std::uint64_t changing = 0;
  for (Row& row : expected) {
    if (row[1] != text("k")) continue;
    const Row masked = {row[0], row[1], Value(), text("erased"), integer(0)};
    if (!(row == masked)) ++changing;
    row = masked;
  }
  BOOST_REQUIRE(changing > 1000u);  // some rows (i % 10 == 0) hold the values already
  BOOST_REQUIRE(changing < 2500u);
  const EraseResult done = erased(*connector, s);
  BOOST_TEST(done.rows == changing);
  BOOST_TEST(done.largest_transaction <= 1000u);
  BOOST_TEST(done.largest_transaction > 0u);
  expect_same(context->dump("accounts", "id"), expected);
  // A rerun changes and counts nothing.
  const EraseResult again = erased(*connector, s);
  BOOST_TEST(again.rows == 0u);
  BOOST_TEST(again.largest_transaction == 0u);
  expect_same(context->dump("accounts", "id"), expected);
}

BOOST_AUTO_TEST_CASE(erase_matches_quotes_and_sql_fragments_literally) {
  const std::vector<std::string> specials = {"O'Brien", "' OR '1'='1", "%", "_", "a\\b", "\\", "\\'",
                                             "\"quoted\"", "`tick`", "x); DROP TABLE lit; --", ":v0", ":k0"};
  context->create_collection("lit", "id BIGINT PRIMARY KEY, v VARCHAR(100), w VARCHAR(100)");
  std::vector<Row> rows;
  std::int64_t id = 1;
  for (const auto& v : specials) rows.push_back({integer(id++), Value(v), text("w")});
  for (const char* v : {"OBrien", "1", "ab", "quoted", "x", ""}) rows.push_back({integer(id++), text(v), text("w")});
  context->insert("lit", rows);
  auto connector = context->make();
  std::vector<Row> expected = context->dump("lit", "id");
  // Each assigned value is stored as it is.
  const EraseStep masked = update_step(match("lit", "v", {text("' OR '1'='1")}),
                                       {{"w", [](const Value&) { return text("'; DELETE FROM lit; --"); }}});
  expect_erased(erased(*connector, masked), 1, 1, 1);
  expected[1][2] = text("'; DELETE FROM lit; --");
  expect_same(context->dump("lit", "id"), expected);
  for (std::size_t i = 0; i < specials.size(); ++i) {
    BOOST_TEST_CONTEXT("value " << specials[i]) {
      expect_erased(erased(*connector, erase_step(match("lit", "v", {Value(specials[i])}))), 1, 1, 1);
      expected.erase(expected.begin());
      expect_same(context->dump("lit", "id"), expected);
    }
  }
}

BOOST_AUTO_TEST_CASE(erase_by_a_composite_primary_key) {
  const std::vector<std::string> owners = {"alice", "Bob", "carol", "Zed", "_x"};
  context->create_collection("items",
                             "owner VARCHAR(32) NOT NULL, seq BIGINT NOT NULL, tag VARCHAR(32), "
                             "PRIMARY KEY (owner, seq)");
  std::vector<Row> rows;
  for (const std::string& owner : owners) {
    for (std::int64_t seq = 0; seq < 30; ++seq) rows.push_back({Value(owner), integer(seq), Value("t" + std::to_string(seq % 3))});
  }
  context->insert("items", rows);
  auto connector = context->make();
  const std::vector<std::string> key = {"owner", "seq"};
  const std::vector<Row> before = context->dump("items", "owner, seq");
  // Updating the matched field, 7 rows a page.
  const EraseStep mask = update_step(match("items", "tag", {text("t1")}),
                                     {{"tag", [](const Value& v) { return prefixed("h:", v); }}}, 7, key);
  expect_erased(erased(*connector, mask), 50, 8, 7);
  expect_erased(erased(*connector, erase_step(match("items", "tag", {text("t0")}), 4, key)), 50, 13, 4);
  std::vector<Row> expected;
  for (Row row : before) {
    if (row[2] == text("t0")) continue;
    if (row[2] == text("t1")) row[2] = text("h:t1");
    expected.push_back(row);
  }
  expect_same(context->dump("items", "owner, seq"), expected);
}

BOOST_AUTO_TEST_CASE(erase_on_a_dropped_collection_names_connector_and_collection) {
  context->create_collection("gone", "id BIGINT PRIMARY KEY, email VARCHAR(255)");
  context->insert("gone", {{integer(1), text("secret@x.org")}});
  auto connector = context->make("marketing_db");
  const MatchSpec spec = match("gone", "email", {text("secret@x.org")});
  BOOST_TEST(count_of(*connector, spec) == 1u);
  context->drop_collection("gone");
  for (const EraseStep& s : {erase_step(spec), update_step(spec, {{"email", [](const Value&) { return Value(); }}})}) {
    const auto result = connector->erase(s);
    BOOST_REQUIRE(!result.ok());
    BOOST_TEST_MESSAGE("dropped: " << result.error());
    BOOST_TEST(contains(result.error(), "connector 'marketing_db': collection 'gone': "), result.error());
    BOOST_TEST(!contains(result.error(), "secret"), result.error());
  }
  const auto never = connector->erase(erase_step(match("never", "email", {text("secret@x.org")})));
  BOOST_REQUIRE(!never.ok());
  BOOST_TEST(never.error() == "connector 'marketing_db': collection 'never': no such table");
  people(*context);
  const auto key_update = connector->erase(
      update_step(match("people", "email", {text("a@b.com")}), {{"id", [](const Value&) { return Value(); }}}));
  BOOST_REQUIRE(!key_update.ok());
  BOOST_TEST(contains(key_update.error(), "collection 'people': field 'id': "), key_update.error());
  const auto no_key = connector->erase(erase_step(match("people", "email", {text("a@b.com")}), 10, {}));
  BOOST_REQUIRE(!no_key.ok());
  BOOST_TEST(contains(no_key.error(), "collection 'people': no primary key given"), no_key.error());
}

BOOST_AUTO_TEST_CASE(erase_errors_carry_no_values) {
  context->create_collection("uniq", "id BIGINT PRIMARY KEY, code VARCHAR(40) UNIQUE, email VARCHAR(100)");
  context->insert("uniq", {{integer(1), text("alpha-secret"), text("s@x.org")},
                           {integer(2), text("beta-secret"), text("s@x.org")}});
  auto connector = context->make();
  const std::vector<Row> before = context->dump("uniq", "id");
  const auto result = connector->erase(update_step(match("uniq", "email", {text("s@x.org")}),
                                                   {{"code", [](const Value&) { return text("same-secret"); }}}));
  BOOST_REQUIRE(!result.ok());
  BOOST_TEST_MESSAGE("duplicate: " << result.error());
  BOOST_TEST(contains(result.error(), "connector 'store': collection 'uniq': "), result.error());
  BOOST_TEST(!contains(result.error(), "secret"), result.error());
  BOOST_TEST(!contains(result.error(), "s@x.org"), result.error());
  // The failed chunk left nothing behind.
  expect_same(context->dump("uniq", "id"), before);
}

BOOST_AUTO_TEST_CASE(erase_stops_at_a_foreign_key_and_keeps_earlier_chunks) {
  context->create_collection("parent", "id BIGINT PRIMARY KEY, email VARCHAR(100)");
  context->create_collection("child",
                             "id BIGINT PRIMARY KEY, parent_id BIGINT, email VARCHAR(100), "
                             "FOREIGN KEY (parent_id) REFERENCES parent (id)");
  std::vector<Row> parents;
  for (std::int64_t id = 1; id <= 10; ++id) parents.push_back({integer(id), text("p@x.org")});
  context->insert("parent", parents);
  context->insert("child", {{integer(1), integer(6), text("p@x.org")}});
  auto connector = context->make();
  const MatchSpec spec = match("parent", "email", {text("p@x.org")});
  // Parent first: the chunks {1,2} and {3,4} commit, {5,6} meets the child of 6.
  const auto result = connector->erase(erase_step(spec, 2));
  BOOST_REQUIRE(!result.ok());
  BOOST_TEST_MESSAGE("foreign key: " << result.error());
  BOOST_TEST(contains(result.error(), "connector 'store': collection 'parent': "), result.error());
  BOOST_TEST(contains(to_lower_ascii(result.error()), "foreign key"), result.error());
  BOOST_TEST(contains(result.error(), "4 rows in 2 transactions committed before the error"), result.error());
  BOOST_TEST(!contains(result.error(), "p@x.org"), result.error());
  const std::vector<Row> left = context->dump("parent", "id");
  BOOST_REQUIRE_EQUAL(left.size(), 6u);
  BOOST_TEST((left.front() == Row{integer(5), text("p@x.org")}), shown(left.front()));
  // Children first, as the caller orders them, and both go.
  expect_erased(erased(*connector, erase_step(match("child", "email", {text("p@x.org")}))), 1, 1, 1);
  expect_erased(erased(*connector, erase_step(spec, 2)), 6, 3, 2);
  BOOST_TEST(context->dump("parent", "id").empty());
}

BOOST_AUTO_TEST_CASE(erase_without_assignments_only_counts) {
  people(*context);
  auto connector = context->make();
  const std::vector<Row> before = context->dump("people", "id");
  expect_erased(erased(*connector, update_step(match("people", "email", {text("a@b.com"), text("b.com")}), {})), 2,
                0, 0);
  expect_same(context->dump("people", "id"), before);
}

BOOST_AUTO_TEST_CASE(erase_reopens_a_lost_connection_once) {
  if (!context->can_cut_connections()) {
    BOOST_TEST(!context->can_cut_connections());
    return;
  }
  people(*context);
  auto connector = context->make();
  BOOST_TEST(count_of(*connector, match("people", "email", {text("a@b.com")})) == 1u);
  context->cut_connections();
  expect_erased(erased(*connector, erase_step(match("people", "email", {text("a@b.com")}))), 1, 1, 1);
  context->cut_connections();
  expect_erased(erased(*connector, update_step(match("people", "email", {text("b.com")}),
                                               {{"name", [](const Value&) { return Value(); }}})),
                1, 1, 1);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace dsr::test

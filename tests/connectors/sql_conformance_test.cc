#define BOOST_TEST_MODULE sql connector conformance
#include <boost/test/unit_test.hpp>

#include <Poco/JSON/Object.h>

#include <cstdio>
#include <deque>
#include <set>

#include "connectors/sql/bind_values.h"
#include "connectors/sql/dialect.h"
#include "connectors/sql/query.h"
#include "connectors/sql/row_values.h"
#include "connectors/sql/sqlite_statement.h"
#include "tests/connectors/conformance.h"
#include "tests/support/test_store.h"

namespace dsr::test {

namespace {

// The "sqlite" or "mysql" connector on the engine of this test run: an SQLite file
// in the test store's folder, or the test store's MariaDB database.
class SqlContext : public ConformanceContext {
 public:
  SqlContext() {
    if (mysql()) {
      admin_ = store_.open();
    } else {
      StoreConnection connection;
      connection.engine = StoreEngine::sqlite;
      connection.sqlite_path = store_.folder() + "/store.sqlite";
      auto db = Database::open(connection);
      if (!db) throw std::runtime_error(db.error());
      admin_ = std::move(*db);
    }
  }

  std::string kind() const override { return mysql() ? "mysql" : "sqlite"; }

  // For the engine-specific cases below.
  void execute(const std::string& sql) { admin_->session() << sql; }
  soci::session& session() { return admin_->session(); }
  static bool mysql() { return engine_name() == "mysql"; }

  void create_collection(const std::string& name, const std::string& columns) override {
    admin_->session() << "CREATE TABLE " + name + " (" + columns + ")";
  }

  void insert(const std::string& collection, const std::vector<Row>& rows) override {
    soci::session& session = admin_->session();
    soci::transaction transaction(session);
    constexpr std::size_t kBatch = 200;
    for (std::size_t start = 0; start < rows.size(); start += kBatch) {
      const std::size_t stop = std::min(rows.size(), start + kBatch);
      std::string sql = "INSERT INTO " + collection + " VALUES ";
      for (std::size_t r = start; r < stop; ++r) {
        sql += r == start ? "(" : ", (";
        for (std::size_t c = 0; c < rows[r].size(); ++c) {
          sql += (c == 0 ? ":p" : ", :p") + std::to_string(r - start) + "_" + std::to_string(c);
        }
        sql += ")";
      }
      // soci::use keeps references: the deques hold the bound values until execution.
      std::deque<long long> integers;
      std::deque<double> reals;
      std::deque<std::string> texts;
      std::deque<soci::indicator> indicators;
      soci::details::prepare_temp_type prepared = (session.prepare << sql);
      for (std::size_t r = start; r < stop; ++r) {
        for (std::size_t c = 0; c < rows[r].size(); ++c) {
          const std::string name = "p" + std::to_string(r - start) + "_" + std::to_string(c);
          const Value& value = rows[r][c];
          if (const auto* i = std::get_if<std::int64_t>(&value)) {
            prepared, soci::use(integers.emplace_back(*i), name);
          } else if (const auto* d = std::get_if<double>(&value)) {
            prepared, soci::use(reals.emplace_back(*d), name);
          } else if (const auto* s = std::get_if<std::string>(&value)) {
            prepared, soci::use(texts.emplace_back(*s), name);
          } else {
            prepared, soci::use(texts.emplace_back(), indicators.emplace_back(soci::i_null), name);
          }
        }
      }
      soci::statement statement(prepared);
      statement.execute(true);
    }
    transaction.commit();
  }

  void create_index(const std::string& collection, const std::vector<std::string>& fields) override {
    std::string name = "ix_" + collection;
    std::string list;
    for (const std::string& field : fields) {
      name += "_" + field;
      list += (list.empty() ? "" : ", ") + field;
    }
    admin_->session() << "CREATE INDEX " + name + " ON " + collection + " (" + list + ")";
  }

  void drop_collection(const std::string& name) override { admin_->session() << "DROP TABLE " + name; }

  std::vector<Row> dump(const std::string& collection, const std::string& order_by) override {
    const std::string sql = "SELECT * FROM " + collection + " ORDER BY " + order_by;
    std::vector<Row> rows;
    if (mysql()) {
      soci::rowset<soci::row> result = (admin_->session().prepare << sql);
      for (const soci::row& row : result) {
        Row& out = rows.emplace_back();
        for (std::size_t i = 0; i < row.size(); ++i) out.push_back(sql::read_soci_value(row, i, sql::ColumnKind::text));
      }
    } else {
      // The C API: SOCI would read each column by its declared type.
      sql::SqliteStatement statement(sql::native_sqlite(admin_->session()), sql);
      while (statement.step()) {
        Row& out = rows.emplace_back();
        for (int i = 0; i < statement.column_count(); ++i) out.push_back(statement.column(i));
      }
    }
    return rows;
  }

  ConnectorSettings settings(const std::string& name) override {
    ConnectorSettings settings;
    settings.name = name;
    settings.kind = kind();
    settings.settings = new Poco::JSON::Object;
    if (mysql()) {
      settings.settings->set("connection", store_.connection().mysql_connection);
    } else {
      settings.settings->set("path", "store.sqlite");  // relative to base_directory
      settings.base_directory = store_.folder();
    }
    return settings;
  }

  ConnectorSettings unreachable_settings(const std::string& name) override {
    ConnectorSettings settings = this->settings(name);
    settings.settings = new Poco::JSON::Object;
    if (mysql()) {
      settings.settings->set("connection", "db=shop host=127.0.0.1 port=1 user=dsr password=none");
    } else {
      settings.settings->set("path", "missing/shop.sqlite");
    }
    return settings;
  }

  std::string required_setting() const override { return mysql() ? "connection" : "path"; }
  std::string first_placeholder() const override { return ":v0"; }
  std::string text_ignoring_case() const override {
    // The MariaDB default for utf8mb4, which a store's email column most likely has.
    return mysql() ? "VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci" : "VARCHAR(255) COLLATE NOCASE";
  }

  bool can_cut_connections() const override { return mysql(); }
  void cut_connections() override {
    soci::session& session = admin_->session();
    std::vector<long long> ids;
    soci::rowset<soci::row> rows = (session.prepare << "SELECT ID FROM information_schema.PROCESSLIST"
                                                       " WHERE DB = DATABASE() AND ID <> CONNECTION_ID()");
    for (const soci::row& row : rows) ids.push_back(column_int(row, 0));
    for (long long id : ids) session << "KILL CONNECTION " + std::to_string(id);
    BOOST_TEST_MESSAGE("cut " << ids.size() << " connection(s)");
  }

 private:
  TestStore store_;
  std::unique_ptr<Database> admin_;
};

}  // namespace

std::unique_ptr<ConformanceContext> make_conformance_context() { return std::make_unique<SqlContext>(); }

namespace {

std::string shown(const Row& row) {
  std::string out;
  for (const Value& v : row) {
    out += out.empty() ? "(" : ", ";
    if (is_null(v))
      out += "NULL";
    else if (const auto* i = std::get_if<std::int64_t>(&v))
      out += std::to_string(*i) + "i";
    else if (const auto* d = std::get_if<double>(&v))
      out += std::to_string(*d) + "d";
    else if (const auto* t = std::get_if<std::string>(&v))
      out += "'" + *t + "'";
  }
  return out + ")";
}

std::vector<Row> fetch_where_k(Connector& connector, const std::string& collection,
                               std::vector<std::string> fields, std::vector<std::string> key = {"id"}) {
  FetchStep step;
  step.match.collection = collection;
  step.match.match_field = "k";
  step.match.values = {Value(std::string("k"))};
  step.fields = std::move(fields);
  step.primary_key = std::move(key);
  std::vector<Row> rows;
  const Status status = connector.fetch(step, [&rows](const Row& row) {
    rows.push_back(row);
    return Status::Ok();
  });
  BOOST_REQUIRE_MESSAGE(status.ok(), status.error());
  return rows;
}

void expect_rows(const std::vector<Row>& got, const std::vector<Row>& expected) {
  BOOST_REQUIRE_EQUAL(got.size(), expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    BOOST_TEST((got[i] == expected[i]), "row " << i << ": " << shown(got[i]) << " != " << shown(expected[i]));
  }
}

Value text(const std::string& s) { return Value(s); }
Value integer(std::int64_t i) { return Value(i); }

}  // namespace

// How each engine's own types arrive, beyond what the generic cases can express.
BOOST_AUTO_TEST_SUITE(sql_types)

BOOST_AUTO_TEST_CASE(binary_data_arrives_as_lower_case_hex) {
  SqlContext context;
  context.execute("CREATE TABLE bins (id BIGINT PRIMARY KEY, k VARCHAR(10), b BLOB)");
  context.execute("INSERT INTO bins VALUES (1, 'k', X'00FF10'), (2, 'k', X''), (3, 'k', NULL)");
  auto connector = context.make();
  expect_rows(fetch_where_k(*connector, "bins", {"b"}), {{text("00ff10")}, {text("")}, {Value()}});
}

BOOST_AUTO_TEST_CASE(sqlite_values_keep_their_own_type_whatever_the_declared_one) {
  if (SqlContext::mysql()) return;
  SqlContext context;
  context.execute("CREATE TABLE loose (id INTEGER PRIMARY KEY, k TEXT, n BIGINT, at DATETIME, r REAL)");
  context.execute(
      "INSERT INTO loose VALUES (1, 'k', 'abc', 'not a date', 'x'), "
      "(2, 'k', 5, '2024-01-02 03:04:05', 1.25), (3, 'k', 2.5, 7, NULL)");
  auto connector = context.make();
  expect_rows(fetch_where_k(*connector, "loose", {"n", "at", "r"}),
              {{text("abc"), text("not a date"), text("x")},
               {integer(5), text("2024-01-02 03:04:05"), Value(1.25)},
               {Value(2.5), integer(7), Value()}});
}

BOOST_AUTO_TEST_CASE(mysql_types_arrive_as_documented) {
  if (!SqlContext::mysql()) return;
  SqlContext context;
  context.execute(
      "CREATE TABLE typed (id BIGINT PRIMARY KEY, k VARCHAR(10), dt DATETIME, dt6 DATETIME(6), "
      "da DATE, tm TIME, y YEAR, bits BIT(8), de DECIMAL(10,2), ub BIGINT UNSIGNED, vb VARBINARY(10), "
      "e ENUM('a','b'), ts TIMESTAMP NULL, f FLOAT, i INT, j JSON)");
  context.execute(
      "INSERT INTO typed VALUES (1, 'k', '2024-01-02 03:04:05', '2024-01-02 03:04:05.123456', "
      "'2024-01-02', '-10:11:12', 2024, b'01000001', 3.25, 18446744073709551615, 'ab', 'a', "
      "'2024-01-02 03:04:05', 2.5, -7, '{\"a\": 1}')");
  context.execute("INSERT INTO typed (id, k, da, ub) VALUES (2, 'k', '0000-00-00', 7)");
  auto connector = context.make();
  expect_rows(
      fetch_where_k(*connector, "typed",
                    {"dt", "dt6", "da", "tm", "y", "bits", "de", "ub", "vb", "e", "ts", "f", "i", "j"}),
      {{text("2024-01-02 03:04:05"), text("2024-01-02 03:04:05"), text("2024-01-02 00:00:00"),
        text("-10:11:12"), integer(2024), integer(65), Value(3.25), text("18446744073709551615"),
        text("6162"), text("a"), text("2024-01-02 03:04:05"), Value(2.5), integer(-7), text("{\"a\": 1}")},
       {Value(), Value(), text("0000-00-00 00:00:00"), Value(), Value(), Value(), Value(), integer(7),
        Value(), Value(), Value(), Value(), Value(), Value()}});
}

// The catalog read that check() and every fetch rely on: names that are keywords
// reach the engine quoted, a column is found whatever its case, and what is missing
// is named as before.
BOOST_AUTO_TEST_CASE(check_reads_the_catalog_of_tables_named_like_keywords) {
  SqlContext context;
  const sql::SqlEngine engine = SqlContext::mysql() ? sql::SqlEngine::mysql : sql::SqlEngine::sqlite;
  const auto quoted = [engine](const char* name) { return sql::quote_identifier(engine, name); };
  context.execute("CREATE TABLE " + quoted("order") + " (id BIGINT PRIMARY KEY, " + quoted("group") +
                  " VARCHAR(10), Email VARCHAR(255))");
  context.execute("CREATE TABLE " + quoted("select") + " (id BIGINT PRIMARY KEY)");
  auto connector = context.make("marketing_db");
  const auto collection = [](const char* name, std::vector<std::string> fields) {
    CollectionMapping c;
    c.name = name;
    c.primary_key = {"id"};
    for (auto& field : fields) {
      FieldMapping f;
      f.name = std::move(field);
      c.fields.push_back(f);
    }
    return c;
  };
  DatasetMapping mapping;
  mapping.connector = "marketing_db";
  mapping.collections = {collection("order", {"id", "group", "email"}), collection("select", {"id"})};
  const Status checked = connector->check(mapping);
  BOOST_TEST(checked.ok(), checked.error());

  DatasetMapping broken = mapping;
  broken.collections.front().fields.push_back(collection("x", {"where"}).fields.front());
  broken.collections.push_back(collection("from", {"id"}));
  const Status status = connector->check(broken);
  BOOST_REQUIRE(!status.ok());
  BOOST_TEST(status.error() ==
                 "connector 'marketing_db': collection 'order': field 'where': no such column\n"
                 "connector 'marketing_db': collection 'from': no such table",
             status.error());
  // The table the check found missing is read afresh once it exists.
  context.execute("CREATE TABLE " + quoted("from") + " (id BIGINT PRIMARY KEY, " + quoted("where") + " INT)");
  broken.collections.front().fields.pop_back();
  broken.collections.back().fields.push_back(collection("x", {"where"}).fields.front());
  const Status again = connector->check(broken);
  BOOST_TEST(again.ok(), again.error());
}

// Keys that SOCI cannot carry exactly (bytes, fractional seconds) still page
// without losing or repeating rows: more rows than one MySQL page.
BOOST_AUTO_TEST_CASE(binary_and_fractional_time_keys_page_exactly) {
  SqlContext context;
  context.create_collection("staging", "h VARCHAR(32), t VARCHAR(40)");
  std::vector<Row> rows;
  std::set<std::string> hex_keys;
  std::uint32_t state = 12345;
  for (int i = 0; i < 6000; ++i) {
    state = state * 1103515245u + 12345u;
    char hex[16];
    std::snprintf(hex, sizeof hex, "%08x", static_cast<unsigned>(state));
    if (!hex_keys.insert(hex).second) continue;
    char time[40];
    // Many rows within one second: only the microseconds tell them apart.
    std::snprintf(time, sizeof time, "2024-01-01 00:00:%02d.%06d", i / 1000, (i % 1000) * 7 + 1);
    rows.push_back({Value(std::string(hex)), Value(std::string(time))});
  }
  context.insert("staging", rows);
  if (SqlContext::mysql()) {
    context.execute("CREATE TABLE bin_keys (b VARBINARY(8) NOT NULL PRIMARY KEY, k VARCHAR(10))");
    context.execute("INSERT INTO bin_keys SELECT UNHEX(h), 'k' FROM staging");
    context.execute("CREATE TABLE time_keys (t DATETIME(6) NOT NULL PRIMARY KEY, k VARCHAR(10))");
  } else {
    // SQLite 3.40 has no unhex(); SQLite streams and needs no paging anyway.
    context.execute("CREATE TABLE bin_keys (b TEXT NOT NULL PRIMARY KEY, k VARCHAR(10))");
    context.execute("INSERT INTO bin_keys SELECT h, 'k' FROM staging");
    context.execute("CREATE TABLE time_keys (t TEXT NOT NULL PRIMARY KEY, k VARCHAR(10))");
  }
  context.execute("INSERT INTO time_keys SELECT t, 'k' FROM staging");
  auto connector = context.make();

  const std::vector<Row> bins = fetch_where_k(*connector, "bin_keys", {"b"}, {"b"});
  std::vector<std::string> got;
  for (const Row& row : bins) got.push_back(std::get<std::string>(row.at(0)));
  BOOST_TEST(got.size() == hex_keys.size());
  BOOST_TEST((std::vector<std::string>(hex_keys.begin(), hex_keys.end()) == got),
             "binary keys out of order or lost");

  const std::vector<Row> times = fetch_where_k(*connector, "time_keys", {"k"}, {"t"});
  BOOST_TEST(times.size() == rows.size());
}

// MySQL: LOWER(email) cannot use an index, so a column whose collation ignores case
// gets an indexed `email IN (...)` in front; the rows must be the ones LOWER() selects.
BOOST_AUTO_TEST_CASE(mysql_lowercase_match_is_prefiltered_by_the_index) {
  if (!SqlContext::mysql()) return;
  SqlContext context;
  context.create_collection("people_ci", "id BIGINT PRIMARY KEY, email " + context.text_ignoring_case());
  context.insert("people_ci", {{Value(std::int64_t{1}), text("Kate@Example.com")},
                               // KELVIN SIGN: LOWER() makes it 'k', utf8mb4_general_ci does not
                               {Value(std::int64_t{2}), text("\xE2\x84\xAA" "ate@example.com")},
                               {Value(std::int64_t{3}), text("jane@example.com")},
                               {Value(std::int64_t{4}), text("JANE@example.com")}});
  context.create_index("people_ci", {"email"});
  auto connector = context.make();
  FetchStep step;
  step.match.collection = "people_ci";
  step.match.match_field = "email";
  step.match.mode = MatchMode::lowercase;
  step.fields = {"id"};
  step.primary_key = {"id"};
  const auto found = [&](const std::string& value) {
    step.match.values = {Value(value)};
    std::vector<std::int64_t> ids;
    const Status status = connector->fetch(step, [&ids](const Row& row) {
      ids.push_back(std::get<std::int64_t>(row.at(0)));
      return Status::Ok();
    });
    BOOST_REQUIRE_MESSAGE(status.ok(), status.error());
    const auto counted = connector->count(step.match);
    BOOST_REQUIRE(counted.ok());
    BOOST_TEST(*counted == ids.size());
    return ids;
  };
  step.match.values = {Value(std::string("jane@example.com"))};
  const std::string described = connector->describe(step);
  BOOST_TEST(described.find("`email` IN (:v0) AND LOWER(`email`) IN (CAST(:v0 AS BINARY))") != std::string::npos,
             described);
  BOOST_TEST((found("jane@example.com") == std::vector<std::int64_t>{3, 4}));
  // A value with a 'k' gets no prefilter on this collation, so the Kelvin sign row stays found.
  BOOST_TEST((found("kate@example.com") == std::vector<std::int64_t>{1, 2}));
}

// The table behind the prefilter (dialect.h), against the server: for every
// collation it allows a prefilter on, no character may lower-case to a character
// it lists as safe while the collation tells the two apart.
BOOST_AUTO_TEST_CASE(mysql_prefilter_table_agrees_with_the_server) {
  if (!SqlContext::mysql()) return;
  SqlContext context;
  context.execute("CREATE TABLE code_points (cp INT PRIMARY KEY, s VARCHAR(2) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin)");
  context.execute("SET SESSION max_recursive_iterations = 1200000");
  // Every code point that LOWER() changes (surrogates have no UTF-8 form).
  context.execute(
      "INSERT INTO code_points WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 1114111)"
      " SELECT i, CONVERT(UNHEX(LPAD(HEX(i), 8, '0')) USING utf32) FROM n WHERE i < 55296 OR i > 57343");
  context.execute("DELETE FROM code_points WHERE BINARY LOWER(s) = BINARY s");
  std::vector<std::string> collations;
  {
    soci::session& session = context.session();
    soci::rowset<std::string> names = (session.prepare << "SELECT COLLATION_NAME FROM information_schema.COLLATIONS"
                                                           " WHERE CHARACTER_SET_NAME IN ('utf8mb4', 'utf8mb3')");
    for (const std::string& name : names) collations.push_back(name);
    BOOST_TEST_REQUIRE(collations.size() > 10u);
    std::size_t checked = 0;
    for (const std::string& collation : collations) {
      const auto unsafe = sql::lowercase_prefilter_unsafe(collation);
      if (!unsafe) continue;
      ++checked;
      const std::string charset = collation.substr(0, collation.find('_'));
      const std::string value = "CONVERT(s USING " + charset + ")";
      // Characters the collation does not equate with their lower case, as the
      // lower-cased text (what a normalised value would hold).
      soci::rowset<std::string> lowered =
          (session.prepare << "SELECT CONVERT(LOWER(" + value + ") USING utf8mb4) FROM code_points WHERE " + value +
                                  " = s AND NOT (" + value + " COLLATE " + collation + " = LOWER(" + value +
                                  ") COLLATE " + collation + ")");
      for (const std::string& character : lowered) {
        BOOST_TEST(!sql::lowercase_prefilter_allowed(collation, {character}),
                   collation << " does not equate the lower case " << character << " with its source");
      }
    }
    BOOST_TEST(checked > 10u);
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace dsr::test

// The parts behind the SQL connectors that a store cannot show.
BOOST_AUTO_TEST_SUITE(sql_parts)

using namespace dsr;
using namespace dsr::sql;

BOOST_AUTO_TEST_CASE(identifiers_are_checked_and_quoted_per_engine) {
  BOOST_TEST(is_valid_identifier("subscribers"));
  BOOST_TEST(is_valid_identifier("_x9"));
  BOOST_TEST(is_valid_identifier(std::string(64, 'a')));
  BOOST_TEST(!is_valid_identifier(std::string(65, 'a')));
  BOOST_TEST(!is_valid_identifier(""));
  BOOST_TEST(!is_valid_identifier("9lives"));
  BOOST_TEST(!is_valid_identifier("a b"));
  BOOST_TEST(!is_valid_identifier("a\"b"));
  BOOST_TEST(!is_valid_identifier("a`b"));
  BOOST_TEST(!is_valid_identifier("t;drop"));
  BOOST_TEST(!is_valid_identifier("caf\xc3\xa9"));
  BOOST_TEST(quote_identifier(SqlEngine::sqlite, "t") == "\"t\"");
  BOOST_TEST(quote_identifier(SqlEngine::mysql, "t") == "`t`");
}

BOOST_AUTO_TEST_CASE(lowercase_prefilter_only_where_the_collation_keeps_the_rows) {
  BOOST_TEST(lowercase_prefilter_allowed("utf8mb4_unicode_ci", {"kate@example.com"}));
  BOOST_TEST(lowercase_prefilter_allowed("utf8mb4_general_ci", {"jane@example.com"}));
  BOOST_TEST(!lowercase_prefilter_allowed("utf8mb4_general_ci", {"jane@example.com", "kate@example.com"}));
  BOOST_TEST(!lowercase_prefilter_allowed("utf8mb4_swedish_ci", {"\xC3\xA5sa@example.se"}));
  BOOST_TEST(lowercase_prefilter_allowed("utf8mb4_turkish_ci", {"jane@example.com"}));
  BOOST_TEST(!lowercase_prefilter_allowed("utf8mb4_turkish_ci", {"jim@example.com"}));
  BOOST_TEST(!lowercase_prefilter_allowed("utf8mb4_bin", {"jane@example.com"}));
  BOOST_TEST(!lowercase_prefilter_allowed("utf8mb4_0900_as_cs", {"jane@example.com"}));
  BOOST_TEST(!lowercase_prefilter_allowed("latin1_swedish_ci", {"jane@example.com"}));
  BOOST_TEST(!lowercase_prefilter_allowed("", {"jane@example.com"}));
}

BOOST_AUTO_TEST_CASE(values_are_bound_per_stored_as) {
  MatchSpec spec;
  spec.stored_as = StoredAs::integer;
  spec.values = {Value(std::string("12")),
                 Value(std::int64_t{12}),
                 Value(std::string("012")),
                 Value(std::string("-3")),
                 Value(std::string("1 OR 1=1")),
                 Value(1.5),
                 Value(),
                 Value(std::string("9223372036854775808"))};
  const std::vector<BindValue> integers = bind_values(spec);
  BOOST_TEST((integers == std::vector<BindValue>{12LL, -3LL}));
  spec.stored_as = StoredAs::text;
  const std::vector<BindValue> texts = bind_values(spec);
  BOOST_TEST((texts == std::vector<BindValue>{std::string("12"), std::string("012"), std::string("-3"),
                                              std::string("1 OR 1=1"), std::string("9223372036854775808")}));
  BOOST_TEST(!parse_integer("+-1").has_value());
  BOOST_TEST(!parse_integer("+").has_value());
  BOOST_TEST(*parse_integer("+7") == 7);
  BOOST_TEST(chunked({1LL, 2LL, 3LL, 4LL, 5LL}, 2).size() == 3u);
}

BOOST_AUTO_TEST_CASE(statements_page_by_key_with_placeholders_only) {
  SelectStatement statement;
  statement.table = "`items`";
  statement.columns = {"`owner`", "`seq`", "`tag`"};
  statement.match = match_expression(SqlEngine::mysql, "`tag`", MatchMode::exact, StoredAs::text);
  statement.value_count = 2;
  const KeyExpression owner = key_expression(SqlEngine::mysql, "`owner`", ColumnKind::text);
  const KeyExpression seq = key_expression(SqlEngine::mysql, "`seq`", ColumnKind::integer);
  statement.key_order = {owner.order, seq.order};
  statement.key_forms = {owner.form, seq.form};
  statement.limit = 5000;
  BOOST_TEST(
      select_sql(statement) ==
      "SELECT `owner`, `seq`, `tag` FROM `items` WHERE `tag` IN (CAST(:v0 AS BINARY), CAST(:v1 AS BINARY))"
      " ORDER BY CAST(CONVERT(`owner` USING utf8mb4) AS BINARY), `seq` LIMIT 5000");
  statement.after_key = true;
  BOOST_TEST(
      select_sql(statement) ==
      "SELECT `owner`, `seq`, `tag` FROM `items` WHERE `tag` IN (CAST(:v0 AS BINARY), CAST(:v1 AS BINARY))"
      " AND (CAST(CONVERT(`owner` USING utf8mb4) AS BINARY), `seq`) > (CAST(:k0 AS BINARY), :k1)"
      " ORDER BY CAST(CONVERT(`owner` USING utf8mb4) AS BINARY), `seq` LIMIT 5000");
  const MatchExpression lower =
      match_expression(SqlEngine::sqlite, "\"email\"", MatchMode::lowercase, StoredAs::text);
  BOOST_TEST(count_sql("\"people\"", lower, 1) ==
             "SELECT COUNT(*) FROM \"people\" WHERE LOWER(\"email\") IN (:v0)");
  MatchExpression prefiltered = match_expression(SqlEngine::mysql, "`email`", MatchMode::lowercase, StoredAs::text);
  prefiltered.prefilter = "`email`";
  BOOST_TEST(count_sql("`people`", prefiltered, 2) ==
             "SELECT COUNT(*) FROM `people` WHERE `email` IN (:v0, :v1)"
             " AND LOWER(`email`) IN (CAST(:v0 AS BINARY), CAST(:v1 AS BINARY))");
  const MatchExpression exact =
      match_expression(SqlEngine::sqlite, "\"email\"", MatchMode::exact, StoredAs::text);
  BOOST_TEST(count_sql("\"people\"", exact, 1) ==
             "SELECT COUNT(*) FROM \"people\" WHERE \"email\" COLLATE BINARY IN (:v0)");
}

BOOST_AUTO_TEST_SUITE_END()

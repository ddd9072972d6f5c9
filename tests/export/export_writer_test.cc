#define BOOST_TEST_MODULE export package writer
#include <boost/test/unit_test.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <sys/stat.h>
#include <valijson/adapters/poco_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>
#include <zip.h>

#include <cmath>
#include <limits>
#include <set>

#include "dsr/common/crypto.h"
#include "dsr/common/text.h"
#include "dsr/export/export_writer.h"
#include "dsr/export/hashing_file.h"
#include "tests/export/export_test_support.h"

using namespace dsr;
using namespace dsr::export_test;

namespace {

const std::string kRequestId = "0f8fad5b-d9cb-469f-a165-70867728950e";

std::vector<ExportColumn> contact_columns() {
  return {{"id", "provided"}, {"name", "provided"}, {"note", "observed"}, {"score", "inferred"}, {"active", ""}};
}

// Values that stress each format: separators, quotes, newlines, non-ASCII,
// markup, NULL, invalid UTF-8, and an integer a double could not hold.
std::vector<Row> contact_rows() {
  return {
      {std::int64_t{1}, std::string("Zo\xC3\xAB M\xC3\xBCller, Jr."), std::string("he said \"hi\""), 1.5, true},
      {std::int64_t{-42}, std::string("<script>alert(1)</script>"), std::string("line1\nline2"), 2.0, false},
      {std::monostate{}, std::string("\"&'"), std::string("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E"), std::monostate{},
       std::monostate{}},
      {std::int64_t{9007199254740993}, std::string("bad \xFF\xFE utf8"), std::string("cr\rhere"), 1e20, true},
  };
}

const std::string kReplacement = "\xEF\xBF\xBD";

const std::string kExpectedCsv =
    "id,name,note,score,active\r\n"
    "1,\"Zo\xC3\xAB M\xC3\xBCller, Jr.\",\"he said \"\"hi\"\"\",1.5,true\r\n"
    "-42,<script>alert(1)</script>,\"line1\nline2\",2.0,false\r\n"
    ",\"\"\"&'\",\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E,,\r\n"
    "9007199254740993,bad " + kReplacement + kReplacement + " utf8,\"cr\rhere\",1e+20,true\r\n";

const std::string kExpectedJson =
    "[\n"
    "{\"id\":1,\"name\":\"Zo\xC3\xAB M\xC3\xBCller, Jr.\",\"note\":\"he said \\\"hi\\\"\",\"score\":1.5,\"active\":true},\n"
    "{\"id\":-42,\"name\":\"<script>alert(1)</script>\",\"note\":\"line1\\nline2\",\"score\":2.0,\"active\":false},\n"
    "{\"id\":null,\"name\":\"\\\"&'\",\"note\":\"\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\",\"score\":null,\"active\":null},\n"
    "{\"id\":9007199254740993,\"name\":\"bad " + kReplacement + kReplacement +
    " utf8\",\"note\":\"cr\\rhere\",\"score\":1e+20,\"active\":true}\n"
    "]\n";

// Writes crm/contacts (the tricky rows), crm/orders (empty) and newsletter/subscriptions.
Result<ExportResult> write_sample(const ExportOptions& options, const ExportNotice& notice = sample_notice()) {
  auto writer = ExportWriter::open(options);
  if (!writer) return writer.take_error();
  ExportWriter& w = **writer;
  auto check = [](const Status& s) {
    if (!s) throw std::runtime_error(s.error());
  };
  check(w.begin_collection("crm", "contacts", contact_columns()));
  for (const auto& row : contact_rows()) check(w.add_row(row));
  check(w.end_collection());
  check(w.begin_collection("crm", "orders", {{"order_id", "provided"}, {"total", "provided"}}));
  check(w.end_collection());
  check(w.begin_collection("newsletter", "subscriptions", {{"email", "provided"}, {"since", "observed"}}));
  check(w.add_row({std::string("zoe@example.test"), std::string("2024-05-01")}));
  check(w.end_collection());
  return w.finish(notice);
}

Poco::Dynamic::Var parse_json(const std::string& text) {
  Poco::JSON::Parser parser;
  return parser.parse(text);
}

std::vector<std::string> validate_manifest(const std::string& manifest_text) {
  const Poco::Dynamic::Var schema_json = parse_json(read_file(DSR_EXPORT_MANIFEST_SCHEMA));
  valijson::Schema schema;
  valijson::SchemaParser schema_parser;
  valijson::adapters::PocoJsonAdapter schema_adapter(schema_json);
  schema_parser.populateSchema(schema_adapter, schema);

  const Poco::Dynamic::Var document = parse_json(manifest_text);
  valijson::adapters::PocoJsonAdapter document_adapter(document);
  valijson::Validator validator;
  valijson::ValidationResults results;
  std::vector<std::string> problems;
  if (!validator.validate(schema, document_adapter, &results)) {
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
      std::string where;
      for (const auto& part : error.context) where += part;
      problems.push_back(where + ": " + error.description);
    }
    if (problems.empty()) problems.push_back("invalid");
  }
  return problems;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_CASE(package_holds_exact_csv_json_and_escaped_html) {
  ScratchDir dir;
  auto result = write_sample(options_in(dir.path()));
  BOOST_REQUIRE_MESSAGE(result.ok(), (result.ok() ? "" : result.error()));
  BOOST_TEST(result->zip_path == dir.path() + "/" + kRequestId + ".zip");
  BOOST_TEST(result->password.empty());
  BOOST_TEST(result->total_rows == 5u);

  auto entries = read_zip(result->zip_path);
  BOOST_TEST(entries.at("data/crm/contacts.csv") == kExpectedCsv);
  BOOST_TEST(entries.at("data/crm/contacts.json") == kExpectedJson);
  BOOST_TEST(entries.at("data/crm/orders.csv") == "order_id,total\r\n");
  BOOST_TEST(entries.at("data/crm/orders.json") == "[\n]\n");
  BOOST_TEST(entries.at("data/newsletter/subscriptions.csv") == "email,since\r\nzoe@example.test,2024-05-01\r\n");

  // The JSON reads back with its types.
  const auto rows = parse_json(entries.at("data/crm/contacts.json")).extract<Poco::JSON::Array::Ptr>();
  BOOST_REQUIRE_EQUAL(rows->size(), 4u);
  const auto first = rows->getObject(0);
  BOOST_TEST(first->get("id").isInteger());
  BOOST_TEST(first->get("id").convert<long long>() == 1);
  BOOST_TEST(first->get("score").isNumeric());
  BOOST_TEST(!first->get("score").isInteger());
  BOOST_TEST(first->get("score").convert<double>() == 1.5);
  BOOST_TEST(first->get("active").isBoolean());
  BOOST_TEST(first->get("active").convert<bool>());
  BOOST_TEST(first->get("name").isString());
  const auto third = rows->getObject(2);
  BOOST_TEST(third->isNull("id"));
  BOOST_TEST(third->isNull("score"));
  BOOST_TEST(third->getValue<std::string>("name") == "\"&'");
  BOOST_TEST(rows->getObject(3)->get("id").convert<long long>() == 9007199254740993LL);
  BOOST_TEST(is_valid_utf8(entries.at("data/crm/contacts.json")));

  // Every value is escaped in the collection page.
  const std::string& page = entries.at("data/crm/contacts.html");
  BOOST_TEST(contains(page, "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"));
  BOOST_TEST(!contains(page, "<script>"));
  BOOST_TEST(contains(page, "<td>&quot;&amp;&apos;</td>"));
  BOOST_TEST(contains(page, "<td>Zo\xC3\xAB M\xC3\xBCller, Jr.</td>"));
  BOOST_TEST(contains(page, "<td>he said &quot;hi&quot;</td>"));
  BOOST_TEST(contains(page, "<td class=\"null\"></td>"));
  BOOST_TEST(contains(page, "<td class=\"number\">-42</td>"));
  BOOST_TEST(contains(page, "<th scope=\"col\">score<br><span class=\"category\">inferred</span></th>"));
  BOOST_TEST(contains(page, "<th scope=\"col\">active</th>"));
  BOOST_TEST(contains(page, "<p>4 rows.</p>"));
  BOOST_TEST(contains(page, "bad " + kReplacement + kReplacement + " utf8"));
  BOOST_TEST(is_valid_utf8(page));

  // index.html: Art. 15(1) information first, then counts and links.
  const std::string& index = entries.at("index.html");
  BOOST_TEST(contains(index, "Example &amp; Co &lt;GmbH&gt;"));
  BOOST_TEST(!contains(index, "<GmbH>"));
  BOOST_TEST(contains(index, "privacy@example.test, Hauptstr. 1, 10115 Berlin"));
  BOOST_TEST(contains(index, "Berliner Beauftragte f\xC3\xBCr Datenschutz"));
  BOOST_TEST(contains(index, "<li>Invoicing</li>"));
  BOOST_TEST(contains(index, "<li>Order history</li>"));
  BOOST_TEST(contains(index, "<li>Payment provider</li>"));
  BOOST_TEST(contains(index, "10 years after the last order (tax law)"));
  BOOST_TEST(contains(index, "Our web server logs"));
  for (const char* right : {"Rectification", "Erasure", "Restriction of processing", "Objection", "Data portability",
                            "lodge a complaint with a supervisory authority"}) {
    BOOST_TEST(contains(index, right), right);
  }
  BOOST_TEST(index.find("How your data is processed") < index.find("id=\"your-data\""));
  BOOST_TEST(contains(index, "<a href=\"data/crm/contacts.html\">contacts</a></td><td class=\"number\">4</td>"));
  BOOST_TEST(contains(index, "<a href=\"data/crm/orders.html\">orders</a></td><td class=\"number\">0</td>"));
  BOOST_TEST(contains(index, "<a href=\"data/crm/contacts.json\">JSON</a>"));
  BOOST_TEST(contains(index, "<a href=\"data/crm/contacts.csv\">CSV</a>"));
  BOOST_TEST(contains(index, "No data about you was found here."));  // analytics
  BOOST_TEST(contains(index, "5 rows in total"));

  // Readable offline: no scripts, nothing loaded from elsewhere.
  for (const auto& [name, bytes] : entries) {
    if (name.size() < 5 || name.substr(name.size() - 5) != ".html") continue;
    for (const char* external : {"<script", "src=", "<link", "@import", "url(", "http:", "https:"}) {
      BOOST_TEST(!contains(bytes, external), name << " contains " << external);
    }
    BOOST_TEST(contains(bytes, "<style>"), name);
  }
}

BOOST_AUTO_TEST_CASE(manifest_lists_every_other_file_with_its_real_hash) {
  ScratchDir dir;
  auto result = write_sample(options_in(dir.path()));
  BOOST_REQUIRE_MESSAGE(result.ok(), (result.ok() ? "" : result.error()));
  const auto entries = read_zip(result->zip_path);

  const std::vector<std::string> expected_order = {
      "index.html",
      "manifest.json",
      "data/crm/contacts.json",
      "data/crm/contacts.csv",
      "data/crm/contacts.html",
      "data/crm/orders.json",
      "data/crm/orders.csv",
      "data/crm/orders.html",
      "data/newsletter/subscriptions.json",
      "data/newsletter/subscriptions.csv",
      "data/newsletter/subscriptions.html",
  };
  BOOST_TEST(zip_entry_names(result->zip_path) == expected_order, boost::test_tools::per_element());

  const std::string& manifest_text = entries.at("manifest.json");
  const auto problems = validate_manifest(manifest_text);
  BOOST_TEST(problems.empty(), "schema problems: " << (problems.empty() ? "" : problems.front()));
  BOOST_TEST(result->manifest_sha256 == sha256_hex(manifest_text));

  const auto manifest = parse_json(manifest_text).extract<Poco::JSON::Object::Ptr>();
  BOOST_TEST(manifest->getValue<std::string>("request_id") == kRequestId);
  BOOST_TEST(manifest->getValue<std::string>("request_type") == "access");
  BOOST_TEST(manifest->getValue<std::string>("generated_at") == "2026-03-14T09:26:53Z");
  BOOST_TEST(manifest->getValue<std::string>("dsr_version") == "0.1.0-test");

  const auto files = manifest->getArray("files");
  BOOST_REQUIRE_EQUAL(files->size(), entries.size() - 1);
  BOOST_REQUIRE_EQUAL(result->files.size(), files->size());
  std::set<std::string> listed;
  for (std::size_t i = 0; i < files->size(); ++i) {
    const auto file = files->getObject(static_cast<unsigned>(i));
    const std::string path = file->getValue<std::string>("path");
    BOOST_TEST_CONTEXT(path) {
      BOOST_TEST(path != "manifest.json");
      BOOST_REQUIRE(entries.count(path) == 1u);
      listed.insert(path);
      const std::string& bytes = entries.at(path);
      BOOST_TEST(file->getValue<std::string>("sha256") == sha256_hex(bytes));
      BOOST_TEST(file->getValue<std::uint64_t>("size") == bytes.size());
      BOOST_TEST(result->files[i].path == path);
      BOOST_TEST(result->files[i].sha256 == sha256_hex(bytes));
      BOOST_TEST(result->files[i].size == bytes.size());
      if (path == "index.html") {
        BOOST_TEST(!file->has("rows"));
        BOOST_TEST(!result->files[i].rows.has_value());
      } else {
        const std::uint64_t rows = path.find("contacts") != std::string::npos ? 4 : path.find("orders") != std::string::npos ? 0 : 1;
        BOOST_TEST(file->getValue<std::uint64_t>("rows") == rows);
        BOOST_TEST(result->files[i].rows.value_or(999) == rows);
      }
    }
  }
  BOOST_TEST(listed.size() == entries.size() - 1);

  // The ZIP file itself, as reported for the audit trail.
  const std::string zip_bytes = read_file(result->zip_path);
  BOOST_TEST(result->zip_sha256 == sha256_hex(zip_bytes));
  BOOST_TEST(result->zip_size == zip_bytes.size());

  // Only the final package is left, readable by its owner only.
  BOOST_TEST(list_dir(dir.path()) == std::vector<std::string>{kRequestId + ".zip"}, boost::test_tools::per_element());
  struct stat info {};
  BOOST_REQUIRE(::stat(result->zip_path.c_str(), &info) == 0);
  BOOST_TEST((info.st_mode & 0777) == 0600u);
}

BOOST_AUTO_TEST_CASE(schema_rejects_a_broken_manifest) {
  // Guards the test above against a schema that accepts anything.
  const std::string good =
      "{\"request_id\":\"abc\",\"request_type\":\"access\",\"generated_at\":\"2026-03-14T09:26:53Z\","
      "\"dsr_version\":\"1\",\"files\":[{\"path\":\"index.html\",\"sha256\":\"" + std::string(64, 'a') +
      "\",\"size\":3},{\"path\":\"data/a/b.csv\",\"sha256\":\"" + std::string(64, 'b') + "\",\"size\":3,\"rows\":0}]}";
  BOOST_TEST(validate_manifest(good).empty());
  auto broken = [&](const std::string& from, const std::string& to) {
    std::string text = good;
    text.replace(text.find(from), from.size(), to);
    return !validate_manifest(text).empty();
  };
  BOOST_TEST(broken(std::string(64, 'a'), std::string(63, 'a')));
  BOOST_TEST(broken("\"access\"", "\"erasure\""));
  BOOST_TEST(broken(",\"rows\":0", ""));
  BOOST_TEST(broken("\"size\":3}", "\"size\":3,\"rows\":1}"));
  BOOST_TEST(broken("data/a/b.csv", "data/../b.csv"));
  BOOST_TEST(broken("index.html", "manifest.json"));
  BOOST_TEST(broken("2026-03-14T09:26:53Z", "2026-03-14 09:26:53"));
}

BOOST_AUTO_TEST_CASE(encrypted_package_needs_the_generated_password) {
  ScratchDir dir;
  auto options = options_in(dir.path());
  options.encrypt = true;
  options.request_type = "portability";
  auto result = write_sample(options);
  BOOST_REQUIRE_MESSAGE(result.ok(), (result.ok() ? "" : result.error()));
  const std::string password = result->password;
  BOOST_TEST(password.size() == 32u);
  BOOST_TEST(password.find_first_not_of("abcdefghjkmnpqrstuvwxyz23456789") == std::string::npos);
  BOOST_TEST(!contains(result->zip_path, password));
  BOOST_TEST(!contains(read_file(result->zip_path), password));

  int error = 0;
  zip_t* za = zip_open(result->zip_path.c_str(), ZIP_RDONLY, &error);
  BOOST_REQUIRE(za != nullptr);
  const zip_int64_t count = zip_get_num_entries(za, 0);
  BOOST_TEST(count == 11);
  for (zip_int64_t i = 0; i < count; ++i) {
    zip_stat_t stat;
    BOOST_REQUIRE(zip_stat_index(za, static_cast<zip_uint64_t>(i), 0, &stat) == 0);
    BOOST_TEST(stat.encryption_method == ZIP_EM_AES_256, stat.name);
  }
  // Without the password, or with a wrong one, nothing can be read.
  BOOST_TEST(zip_fopen(za, "data/crm/contacts.csv", 0) == nullptr);
  BOOST_TEST(zip_error_code_zip(zip_get_error(za)) == ZIP_ER_NOPASSWD);
  BOOST_TEST(zip_fopen_encrypted(za, "data/crm/contacts.csv", 0, "not-the-password") == nullptr);
  BOOST_TEST(zip_error_code_zip(zip_get_error(za)) == ZIP_ER_WRONGPASSWD);
  zip_file_t* file = zip_fopen_encrypted(za, "data/crm/contacts.csv", 0, password.c_str());
  BOOST_REQUIRE(file != nullptr);
  std::string bytes(kExpectedCsv.size() + 10, '\0');
  const zip_int64_t n = zip_fread(file, bytes.data(), bytes.size());
  zip_fclose(file);
  zip_discard(za);
  BOOST_REQUIRE(n >= 0);
  bytes.resize(static_cast<std::size_t>(n));
  BOOST_TEST(bytes == kExpectedCsv);

  // The default password opens every entry; the manifest still matches them.
  const auto entries = read_zip(result->zip_path, password);
  BOOST_TEST(entries.at("data/crm/contacts.json") == kExpectedJson);
  BOOST_TEST(validate_manifest(entries.at("manifest.json")).empty());
  BOOST_TEST(contains(entries.at("index.html"), "data portability request"));
  BOOST_TEST(contains(entries.at("manifest.json"), "\"request_type\": \"portability\""));
  BOOST_CHECK_THROW(read_zip(result->zip_path), std::runtime_error);

  // A new package gets a new password.
  ScratchDir other;
  auto options2 = options_in(other.path());
  options2.encrypt = true;
  auto result2 = write_sample(options2);
  BOOST_REQUIRE(result2.ok());
  BOOST_TEST(result2->password != password);
}

BOOST_AUTO_TEST_CASE(writer_destroyed_without_finish_leaves_nothing) {
  ScratchDir dir;
  {
    auto writer = ExportWriter::open(options_in(dir.path()));
    BOOST_REQUIRE(writer.ok());
    BOOST_TEST(list_dir(dir.path()).size() == 1u);  // the private temporary directory
    struct stat info {};
    BOOST_REQUIRE(::stat((dir.path() + "/" + list_dir(dir.path()).front()).c_str(), &info) == 0);
    BOOST_TEST((info.st_mode & 0777) == 0700u);
    BOOST_TEST(list_dir(dir.path()).front().rfind("." + kRequestId + ".export-", 0) == 0u);
    BOOST_REQUIRE((*writer)->begin_collection("crm", "contacts", contact_columns()).ok());
    for (const auto& row : contact_rows()) BOOST_REQUIRE((*writer)->add_row(row).ok());
    BOOST_REQUIRE((*writer)->end_collection().ok());
    BOOST_REQUIRE((*writer)->begin_collection("crm", "orders", {{"order_id", "provided"}}).ok());
    BOOST_REQUIRE((*writer)->add_row({std::int64_t{7}}).ok());
  }
  BOOST_TEST(list_dir(dir.path()).empty());
}

BOOST_AUTO_TEST_CASE(failure_removes_temporary_files_at_once) {
  ScratchDir dir;
  auto writer = ExportWriter::open(options_in(dir.path()));
  BOOST_REQUIRE(writer.ok());
  BOOST_REQUIRE((*writer)->begin_collection("billing", "invoices", {{"number", "provided"}}).ok());
  BOOST_REQUIRE((*writer)->add_row({std::string("2026-001")}).ok());
  BOOST_REQUIRE((*writer)->end_collection().ok());
  auto result = (*writer)->finish(sample_notice());  // the notice does not describe "billing"
  BOOST_REQUIRE(!result.ok());
  BOOST_TEST(contains(result.error(), "'billing'"), result.error());
  BOOST_TEST(list_dir(dir.path()).empty());
  auto again = (*writer)->finish(sample_notice());
  BOOST_REQUIRE(!again.ok());
  BOOST_TEST(contains(again.error(), "failed earlier"), again.error());
}

BOOST_AUTO_TEST_CASE(an_existing_package_is_never_replaced) {
  ScratchDir dir;
  // Two writers for the same request: the second to finish must not swap the
  // package (and so its password) under the first.
  auto first = ExportWriter::open(options_in(dir.path()));
  auto second = ExportWriter::open(options_in(dir.path()));
  BOOST_REQUIRE(first.ok());
  BOOST_REQUIRE(second.ok());
  auto notice = sample_notice();
  auto first_result = (*first)->finish(notice);
  BOOST_REQUIRE_MESSAGE(first_result.ok(), (first_result.ok() ? "" : first_result.error()));
  const std::string before = read_file(first_result->zip_path);
  auto second_result = (*second)->finish(notice);
  BOOST_REQUIRE(!second_result.ok());
  BOOST_TEST(contains(second_result.error(), "already exists"), second_result.error());
  BOOST_TEST(read_file(first_result->zip_path) == before);
  BOOST_TEST(list_dir(dir.path()) == std::vector<std::string>{kRequestId + ".zip"}, boost::test_tools::per_element());

  // And open() says so up front.
  auto third = ExportWriter::open(options_in(dir.path()));
  BOOST_REQUIRE(!third.ok());
  BOOST_TEST(contains(third.error(), "already exists"), third.error());
}

BOOST_AUTO_TEST_CASE(export_without_collections_has_index_and_manifest) {
  ScratchDir dir;
  auto writer = ExportWriter::open(options_in(dir.path(), "req-7"));
  BOOST_REQUIRE(writer.ok());
  auto result = (*writer)->finish(sample_notice());
  BOOST_REQUIRE_MESSAGE(result.ok(), (result.ok() ? "" : result.error()));
  BOOST_TEST(result->total_rows == 0u);
  const auto entries = read_zip(result->zip_path);
  BOOST_TEST(entries.size() == 2u);
  BOOST_TEST(contains(entries.at("index.html"), "0 rows in total"));
  BOOST_TEST(validate_manifest(entries.at("manifest.json")).empty());
  BOOST_TEST(list_dir(dir.path()) == std::vector<std::string>{"req-7.zip"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(non_finite_doubles_stay_valid_json) {
  ScratchDir dir;
  auto writer = ExportWriter::open(options_in(dir.path()));
  BOOST_REQUIRE(writer.ok());
  BOOST_REQUIRE((*writer)->begin_collection("analytics", "scores", {{"value", "inferred"}}).ok());
  for (double v : {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
                   -std::numeric_limits<double>::infinity(), 0.1, -0.0}) {
    BOOST_REQUIRE((*writer)->add_row({v}).ok());
  }
  BOOST_REQUIRE((*writer)->end_collection().ok());
  auto result = (*writer)->finish(sample_notice());
  BOOST_REQUIRE(result.ok());
  const auto entries = read_zip(result->zip_path);
  BOOST_TEST(entries.at("data/analytics/scores.json") ==
             "[\n{\"value\":\"NaN\"},\n{\"value\":\"Infinity\"},\n{\"value\":\"-Infinity\"},\n{\"value\":0.1},\n"
             "{\"value\":-0.0}\n]\n");
  BOOST_CHECK_NO_THROW(parse_json(entries.at("data/analytics/scores.json")));
  BOOST_TEST(entries.at("data/analytics/scores.csv") == "value\r\nNaN\r\nInfinity\r\n-Infinity\r\n0.1\r\n-0.0\r\n");
}

BOOST_AUTO_TEST_CASE(request_ids_are_checked) {
  ScratchDir dir;
  for (const std::string& bad : std::vector<std::string>{"", "ABC", "../etc", "a/b", "-abc", "a b", "a.zip", "\xC3\xA9",
                                                         std::string(65, 'a'), std::string("a\0b", 3)}) {
    auto writer = ExportWriter::open(options_in(dir.path(), bad));
    BOOST_TEST(!writer.ok(), quote_for_message(bad));
    if (!writer.ok()) BOOST_TEST(contains(writer.error(), "request id"), writer.error());
  }
  for (const std::string& good : std::vector<std::string>{"a", kRequestId, std::string(64, 'z')}) {
    auto writer = ExportWriter::open(options_in(dir.path(), good));
    BOOST_TEST(writer.ok(), good);
  }
  BOOST_TEST(list_dir(dir.path()).empty());
}

BOOST_AUTO_TEST_CASE(options_are_checked) {
  ScratchDir dir;
  auto options = options_in(dir.path());
  options.request_type = "erasure";
  auto writer = ExportWriter::open(options);
  BOOST_REQUIRE(!writer.ok());
  BOOST_TEST(contains(writer.error(), "only access and portability"), writer.error());

  options = options_in(dir.path() + "/missing");
  writer = ExportWriter::open(options);
  BOOST_REQUIRE(!writer.ok());
  BOOST_TEST(contains(writer.error(), "No such file or directory"), writer.error());

  options = options_in(dir.path());
  options.dsr_version = "";
  BOOST_TEST(!ExportWriter::open(options).ok());
}

BOOST_AUTO_TEST_CASE(dataset_and_collection_names_are_checked) {
  ScratchDir dir;
  const std::vector<std::string> bad = {"", "..", ".", ".hidden", "a/b", "a\\b", "a..b", "trailing.", "-lead",
                                        "\xC3\xBC", "a b", "a:b", std::string(65, 'x'), std::string("a\0b", 3)};
  for (const auto& name : bad) {
    for (const bool as_dataset : {true, false}) {
      auto writer = ExportWriter::open(options_in(dir.path()));
      BOOST_REQUIRE(writer.ok());
      const auto status = as_dataset ? (*writer)->begin_collection(name, "contacts", contact_columns())
                                     : (*writer)->begin_collection("crm", name, contact_columns());
      BOOST_TEST_CONTEXT(quote_for_message(name) << (as_dataset ? " as dataset" : " as collection")) {
        BOOST_TEST(!status.ok());
        BOOST_TEST(contains(status.error(), as_dataset ? "dataset name" : "collection name"), status.error());
      }
    }
  }
  for (const std::string& good : std::vector<std::string>{"A.b-c_1", "_x", "x", std::string(64, 'y')}) {
    auto writer = ExportWriter::open(options_in(dir.path()));
    BOOST_REQUIRE(writer.ok());
    BOOST_TEST((*writer)->begin_collection(good, good, contact_columns()).ok(), good);
  }
  BOOST_TEST(list_dir(dir.path()).empty());
}

BOOST_AUTO_TEST_CASE(misuse_is_refused_clearly) {
  ScratchDir dir;
  const auto fresh = [&] {
    auto writer = ExportWriter::open(options_in(dir.path()));
    BOOST_REQUIRE(writer.ok());
    return std::move(*writer);
  };
  {
    auto w = fresh();
    BOOST_REQUIRE(w->begin_collection("crm", "contacts", contact_columns()).ok());
    const auto status = w->add_row({std::int64_t{1}});
    BOOST_TEST(contains(status.error(), "a row has 1 values for 5 columns"), status.error());
    const auto later = w->add_row(contact_rows().front());
    BOOST_TEST(contains(later.error(), "failed earlier"), later.error());
  }
  {
    auto w = fresh();
    const auto status = w->begin_collection("crm", "contacts", {{"id", "secret"}});
    BOOST_TEST(contains(status.error(), "category"), status.error());
  }
  {
    auto w = fresh();
    const auto status = w->begin_collection("crm", "contacts", {{"id", ""}, {"id", ""}});
    BOOST_TEST(contains(status.error(), "appears twice"), status.error());
  }
  {
    auto w = fresh();
    const auto status = w->begin_collection("crm", "contacts", {{"bad\xFF", ""}});
    BOOST_TEST(contains(status.error(), "UTF-8"), status.error());
  }
  {
    auto w = fresh();
    BOOST_TEST(!w->begin_collection("crm", "contacts", {}).ok());
  }
  {
    auto w = fresh();
    BOOST_REQUIRE(w->begin_collection("crm", "contacts", contact_columns()).ok());
    BOOST_REQUIRE(w->end_collection().ok());
    const auto status = w->begin_collection("CRM", "Contacts", contact_columns());
    BOOST_TEST(contains(status.error(), "already exported"), status.error());
  }
  {
    auto w = fresh();
    BOOST_REQUIRE(w->begin_collection("crm", "contacts", contact_columns()).ok());
    const auto result = w->finish(sample_notice());
    BOOST_TEST(contains(result.error(), "still open"), result.error());
  }
  {
    auto w = fresh();
    BOOST_TEST(contains(w->add_row({}).error(), "outside a collection"));
  }
  {
    auto w = fresh();
    auto notice = sample_notice();
    notice.supervisory_authority = " ";
    const auto result = w->finish(notice);
    BOOST_TEST(contains(result.error(), "supervisory authority"), result.error());
  }
  {
    auto w = fresh();
    auto notice = sample_notice();
    notice.datasets[0].purposes.clear();
    const auto result = w->finish(notice);
    BOOST_TEST(contains(result.error(), "no purpose"), result.error());
  }
  BOOST_TEST(list_dir(dir.path()).empty());
}

BOOST_AUTO_TEST_CASE(large_values_and_broken_utf8_pass_through_intact) {
  ScratchDir dir;
  auto writer = ExportWriter::open(options_in(dir.path()));
  BOOST_REQUIRE(writer.ok());
  // Longer than the file buffer, so it takes the unbuffered path.
  std::string big;
  for (int i = 0; i < 30000; ++i) big += "0123456,9\n";
  const std::vector<std::pair<std::string, std::string>> broken = {
      {"abc\xE6\x97", "abc" + kReplacement + kReplacement},                          // cut short at the end
      {"\xC0\xAF", kReplacement + kReplacement},                                      // overlong '/'
      {"\xED\xA0\x80", kReplacement + kReplacement + kReplacement},                   // surrogate
      {"\xF4\x90\x80\x80", kReplacement + kReplacement + kReplacement + kReplacement},  // above U+10FFFF
      {"ok \xF0\x9F\x98\x80", "ok \xF0\x9F\x98\x80"},                                 // 4-byte, valid
  };
  BOOST_REQUIRE((*writer)->begin_collection("crm", "notes", {{"text", "provided"}}).ok());
  BOOST_REQUIRE((*writer)->add_row({big}).ok());
  for (const auto& [input, expected] : broken) BOOST_REQUIRE((*writer)->add_row({input}).ok());
  BOOST_REQUIRE((*writer)->end_collection().ok());
  auto result = (*writer)->finish(sample_notice());
  BOOST_REQUIRE_MESSAGE(result.ok(), (result.ok() ? "" : result.error()));

  std::string csv = "text\r\n\"" + big + "\"\r\n";
  std::string json = "[\n{\"text\":\"";
  for (char c : big) json += c == '\n' ? std::string("\\n") : std::string(1, c);
  json += "\"}";
  for (const auto& [input, expected] : broken) {
    csv += expected + "\r\n";
    json += ",\n{\"text\":\"" + expected + "\"}";
  }
  json += "\n]\n";
  const auto entries = read_zip(result->zip_path);
  BOOST_TEST(entries.at("data/crm/notes.csv") == csv);
  BOOST_TEST(entries.at("data/crm/notes.json") == json);
  for (const auto& file : result->files) BOOST_TEST(file.sha256 == sha256_hex(entries.at(file.path)), file.path);
  BOOST_TEST(is_valid_utf8(entries.at("data/crm/notes.html")));

  const auto again = (*writer)->finish(sample_notice());
  BOOST_TEST(contains(again.error(), "already finished"), again.error());
  BOOST_TEST(list_dir(dir.path()) == std::vector<std::string>{kRequestId + ".zip"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_file_within_the_allowance_stays_in_memory) {
  ScratchDir dir;
  InMemoryAllowance allowance(16);
  const std::string path = dir.path() + "/small.txt";
  auto file = HashingFile::create(path, &allowance);
  BOOST_REQUIRE(file.ok());
  (*file)->write("hello, ");
  (*file)->write("world");
  auto written = (*file)->close();
  BOOST_REQUIRE_MESSAGE(written.ok(), (written.ok() ? "" : written.error()));
  BOOST_REQUIRE(written->content != nullptr);
  BOOST_TEST(*written->content == "hello, world");
  BOOST_TEST(written->digest.size == 12u);
  BOOST_TEST(written->digest.sha256 == sha256_hex("hello, world"));
  BOOST_TEST(list_dir(dir.path()).empty());
  // The kept bytes still count against the allowance: 4 are left.
  BOOST_TEST(!allowance.take(5));
  BOOST_TEST(allowance.take(4));
}

BOOST_AUTO_TEST_CASE(a_file_that_outgrows_the_allowance_moves_to_disk_whole) {
  ScratchDir dir;
  InMemoryAllowance allowance(10);
  const std::string path = dir.path() + "/big.txt";
  auto file = HashingFile::create(path, &allowance);
  BOOST_REQUIRE(file.ok());
  (*file)->write("012345");
  BOOST_TEST(list_dir(dir.path()).empty());
  (*file)->write("6789ab");  // 12 bytes: over the allowance
  (*file)->write("cd");
  auto written = (*file)->close();
  BOOST_REQUIRE_MESSAGE(written.ok(), (written.ok() ? "" : written.error()));
  BOOST_TEST(written->content == nullptr);
  BOOST_TEST(read_file(path) == "0123456789abcd");
  BOOST_TEST(written->digest.size == 14u);
  BOOST_TEST(written->digest.sha256 == sha256_hex("0123456789abcd"));
  struct stat info {};
  BOOST_REQUIRE(::stat(path.c_str(), &info) == 0);
  BOOST_TEST((info.st_mode & 0777) == 0600u);
  // What the file had taken is given back when it moved to disk.
  BOOST_TEST(allowance.take(10));
}

BOOST_AUTO_TEST_CASE(a_file_moving_to_disk_refuses_to_replace_one) {
  ScratchDir dir;
  InMemoryAllowance allowance(4);
  const std::string path = dir.path() + "/taken.txt";
  { auto other = HashingFile::create(path); BOOST_REQUIRE(other.ok()); BOOST_REQUIRE((*other)->close().ok()); }
  auto file = HashingFile::create(path, &allowance);
  BOOST_REQUIRE(file.ok());
  (*file)->write("0123456789");
  BOOST_TEST(!(*file)->ok());
  auto written = (*file)->close();
  BOOST_REQUIRE(!written.ok());
  BOOST_TEST(contains(written.error(), "cannot create " + path), written.error());
  BOOST_TEST(read_file(path).empty());
}

// Past the in-memory allowance (4 MiB) the files go to disk, and later small ones
// may still fit: the package holds both kinds, each byte for byte.
BOOST_AUTO_TEST_CASE(an_export_larger_than_the_allowance_mixes_memory_and_disk) {
  ScratchDir dir;
  auto writer = ExportWriter::open(options_in(dir.path()));
  BOOST_REQUIRE(writer.ok());
  const std::string line(120, 'x');
  BOOST_REQUIRE((*writer)->begin_collection("crm", "big", {{"n", "provided"}, {"text", "provided"}}).ok());
  for (std::int64_t i = 0; i < 40000; ++i) BOOST_REQUIRE((*writer)->add_row({i, line}).ok());
  BOOST_REQUIRE((*writer)->end_collection().ok());
  BOOST_REQUIRE((*writer)->begin_collection("crm", "small", {{"text", "provided"}}).ok());
  BOOST_REQUIRE((*writer)->add_row({std::string("tiny")}).ok());
  BOOST_REQUIRE((*writer)->end_collection().ok());
  auto result = (*writer)->finish(sample_notice());
  BOOST_REQUIRE_MESSAGE(result.ok(), (result.ok() ? "" : result.error()));

  const auto entries = read_zip(result->zip_path);
  BOOST_TEST(entries.at("data/crm/small.csv") == "text\r\ntiny\r\n");
  const std::string& big_csv = entries.at("data/crm/big.csv");
  BOOST_TEST(big_csv.size() > (std::size_t{4} << 20));
  BOOST_TEST(big_csv.rfind("n,text\r\n0," + line + "\r\n", 0) == 0u);
  BOOST_TEST(contains(big_csv, "\r\n39999," + line + "\r\n"));
  BOOST_TEST(result->files.size() == 7u);  // index.html and the six data files
  for (const auto& file : result->files) {
    BOOST_TEST(file.sha256 == sha256_hex(entries.at(file.path)), file.path);
    BOOST_TEST(file.size == entries.at(file.path).size(), file.path);
  }
  BOOST_TEST(list_dir(dir.path()) == std::vector<std::string>{kRequestId + ".zip"}, boost::test_tools::per_element());
}

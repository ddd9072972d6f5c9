#define BOOST_TEST_MODULE dataset mappings
#include <boost/test/unit_test.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "dsr/common/json_schema.h"
#include "dsr/mapping/mapping_loader.h"
#include "schemas/embedded_schemas.h"

using namespace dsr;

namespace {

const MappingContext kContext{{"email", "phone", "telegram_id", "username"}, {"marketing_db", "crm"}};

// Every member, one per line, so that a failed comparison shows where they differ.
std::string dump(const DatasetMapping& m) {
  std::ostringstream out;
  auto list = [&out](const std::vector<std::string>& items) {
    out << "[";
    for (const auto& item : items) out << "<" << item << ">";
    out << "]\n";
  };
  out << "file=" << m.file << "\ndataset=" << m.dataset << "\nconnector=" << m.connector
      << "\ndescription=" << m.description << "\npurposes=";
  list(m.purposes);
  out << "recipients=";
  list(m.recipients);
  out << "retention=" << m.retention << "\nsource=" << m.source << "\n";
  for (const auto& c : m.collections) {
    out << "collection " << c.name << " description=" << c.description
        << " skip_unreachable=" << c.skip_unreachable << " erasure=" << to_string(c.erasure.action)
        << " basis=" << c.erasure.basis << " primary_key=";
    list(c.primary_key);
    for (const auto& f : c.fields) {
      out << "  field " << f.name << " identity=" << f.identity.value_or("-")
          << " match=" << to_string(f.match) << " stored_as=" << to_string(f.stored_as)
          << " category=" << to_string(f.category)
          << " references=" << (f.references ? f.references->collection + "." + f.references->field : "-")
          << " mask="
          << (f.mask ? std::string(to_string(f.mask->kind)) + "<" + f.mask->fixed_value + ">" : "-") << "\n";
    }
  }
  return out.str();
}

FieldMapping field(std::string name) {
  FieldMapping f;
  f.name = std::move(name);
  return f;
}

FieldMapping referencing(std::string name, std::string collection, std::string target_field) {
  FieldMapping f = field(std::move(name));
  f.references = FieldReference{std::move(collection), std::move(target_field)};
  return f;
}

// schemas/examples/marketing.dataset.json, written out by hand.
DatasetMapping expected_marketing(const std::string& file) {
  DatasetMapping m;
  m.file = file;
  m.dataset = "marketing";
  m.connector = "marketing_db";
  m.description = "Newsletter and bot subscribers";
  m.purposes = {"newsletter", "campaign analytics"};
  m.recipients = {"Mailgun (EU)"};
  m.retention = "until unsubscribe + 6 months";
  m.source = "Telegram bot sign-up";

  CollectionMapping subscribers;
  subscribers.name = "subscribers";
  subscribers.description = "Your subscription: how we reach you and what we estimate about your interests";
  subscribers.primary_key = {"id"};
  FieldMapping email = field("email");
  email.identity = "email";
  email.match = MatchMode::lowercase;
  email.category = DataCategory::provided;
  FieldMapping telegram_id = field("telegram_id");
  telegram_id.identity = "telegram_id";
  telegram_id.stored_as = StoredAs::integer;
  telegram_id.category = DataCategory::provided;
  FieldMapping lead_score = field("lead_score");
  lead_score.category = DataCategory::inferred;
  subscribers.fields = {field("id"), email, telegram_id, referencing("referred_by", "subscribers", "id"),
                        lead_score};
  subscribers.erasure.action = ErasureRule::Action::delete_rows;

  CollectionMapping clicks;
  clicks.name = "clicks";
  clicks.description = "Links you opened in our newsletters";
  clicks.primary_key = {"id"};
  FieldMapping url = field("url");
  url.category = DataCategory::observed;
  clicks.fields = {field("id"), referencing("subscriber_id", "subscribers", "id"), url};

  CollectionMapping invoices;
  invoices.name = "invoices";
  invoices.description = "Invoices for paid newsletter plans";
  invoices.primary_key = {"id"};
  FieldMapping billing_name = field("billing_name");
  billing_name.category = DataCategory::provided;
  billing_name.mask = MaskRule{MaskRule::Kind::null_value, ""};
  FieldMapping billing_address = field("billing_address");
  billing_address.category = DataCategory::provided;
  billing_address.mask = MaskRule{MaskRule::Kind::fixed, "[erased]"};
  invoices.fields = {field("id"), referencing("subscriber_id", "subscribers", "id"), billing_name,
                     billing_address, field("amount_cents")};
  invoices.erasure = {ErasureRule::Action::retain, "Art. 17(3)(b): commercial and tax records kept 10 years"};

  CollectionMapping tickets;
  tickets.name = "tickets";
  tickets.description = "Messages you sent to our support";
  tickets.primary_key = {"id"};
  FieldMapping subscriber_id = referencing("subscriber_id", "subscribers", "id");
  subscriber_id.mask = MaskRule{MaskRule::Kind::keyed_hash, ""};
  FieldMapping body = field("body");
  body.category = DataCategory::provided;
  body.mask = MaskRule{MaskRule::Kind::fixed, ""};
  tickets.fields = {field("id"), subscriber_id, body};
  tickets.erasure.action = ErasureRule::Action::mask;

  m.collections = {subscribers, clicks, invoices, tickets};
  return m;
}

std::string example_path() { return std::string(DSR_EXAMPLES_DIR) + "/marketing.dataset.json"; }

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A folder under TMPDIR, removed with its files at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (getenv("TMPDIR") ? std::string(getenv("TMPDIR")) : std::string("/tmp")) + "/mapping_test.XXXXXX";
    BOOST_REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TempDir() {
    for (const auto& file : files_) unlink(file.c_str());
    rmdir(path_.c_str());
  }
  std::string write(const std::string& name, const std::string& text) {
    const std::string file = path_ + "/" + name;
    std::ofstream(file, std::ios::binary) << text;
    files_.push_back(file);
    return file;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::vector<std::string> files_;
};

struct Case {
  const char* name;
  const char* json;
  const char* expected;  // the whole error text, or "" when the mapping is valid
};

void run_cases(const std::vector<Case>& cases, const char* file_name = "m.json") {
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT("case: " << c.name) {
      const auto result = parse_mapping(c.json, file_name, kContext);
      if (std::string(c.expected).empty()) {
        BOOST_TEST(result.ok(), (result.ok() ? "" : result.error()));
      } else {
        BOOST_TEST_REQUIRE(!result.ok());
        BOOST_TEST(result.error() == c.expected);
      }
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(example_loads_with_every_member) {
  const auto mapping = load_mapping_file(example_path(), kContext);
  BOOST_TEST_REQUIRE(mapping.ok(), (mapping.ok() ? "" : mapping.error()));
  const DatasetMapping expected = expected_marketing(example_path());
  BOOST_TEST(dump(*mapping) == dump(expected));
  BOOST_TEST((*mapping == expected));  // catches members dump() would miss
}

BOOST_AUTO_TEST_CASE(text_and_file_give_the_same_mapping) {
  const auto from_file = load_mapping_file(example_path(), kContext);
  const auto from_text = parse_mapping(read_file(example_path()), example_path(), kContext);
  BOOST_TEST_REQUIRE(from_file.ok());
  BOOST_TEST_REQUIRE(from_text.ok());
  BOOST_TEST((*from_file == *from_text));
}

BOOST_AUTO_TEST_CASE(accessors) {
  const DatasetMapping m = expected_marketing("x");
  BOOST_TEST_REQUIRE(m.collection("invoices") != nullptr);
  BOOST_TEST(m.collection("invoices")->name == "invoices");
  BOOST_TEST(m.collection("Invoices") == nullptr);
  BOOST_TEST(m.collection("nope") == nullptr);
  const CollectionMapping& subscribers = *m.collection("subscribers");
  BOOST_TEST_REQUIRE(subscribers.field("telegram_id") != nullptr);
  BOOST_TEST((subscribers.field("telegram_id")->stored_as == StoredAs::integer));
  BOOST_TEST(subscribers.field("url") == nullptr);

  BOOST_TEST(to_string(DataCategory::none) == "none");
  BOOST_TEST(to_string(DataCategory::provided) == "provided");
  BOOST_TEST(to_string(DataCategory::observed) == "observed");
  BOOST_TEST(to_string(DataCategory::inferred) == "inferred");
  BOOST_TEST(to_string(MatchMode::exact) == "exact");
  BOOST_TEST(to_string(MatchMode::lowercase) == "lowercase");
  BOOST_TEST(to_string(StoredAs::text) == "text");
  BOOST_TEST(to_string(StoredAs::integer) == "integer");
  BOOST_TEST(to_string(MaskRule::Kind::null_value) == "null");
  BOOST_TEST(to_string(MaskRule::Kind::fixed) == "fixed");
  BOOST_TEST(to_string(MaskRule::Kind::keyed_hash) == "hash");
  BOOST_TEST(to_string(ErasureRule::Action::delete_rows) == "delete");
  BOOST_TEST(to_string(ErasureRule::Action::mask) == "mask");
  BOOST_TEST(to_string(ErasureRule::Action::retain) == "retain");
}

BOOST_AUTO_TEST_CASE(defaults_for_absent_keys) {
  const auto m = parse_mapping(
      R"({"dataset": "d", "connector": "crm",
          "collections": [{"name": "users", "primary_key": ["id"],
                           "fields": [{"name": "id"}, {"name": "email", "identity": "email"}]}]})",
      "d.json", kContext);
  BOOST_TEST_REQUIRE(m.ok(), (m.ok() ? "" : m.error()));
  BOOST_TEST(m->file == "d.json");
  BOOST_TEST(m->description == "");
  BOOST_TEST(m->purposes.empty());
  BOOST_TEST(m->recipients.empty());
  BOOST_TEST(m->retention == "");
  BOOST_TEST(m->source == "");
  const CollectionMapping& users = m->collections.at(0);
  BOOST_TEST(users.description == "");
  BOOST_TEST(!users.skip_unreachable);
  BOOST_TEST((users.erasure == ErasureRule{ErasureRule::Action::delete_rows, ""}));
  const FieldMapping& email = users.fields.at(1);
  BOOST_TEST(*email.identity == "email");
  BOOST_TEST((email.match == MatchMode::exact));
  BOOST_TEST((email.stored_as == StoredAs::text));
  BOOST_TEST((email.category == DataCategory::none));
  BOOST_TEST(!email.references.has_value());
  BOOST_TEST(!email.mask.has_value());
  BOOST_TEST(!users.fields.at(0).identity.has_value());
}

BOOST_AUTO_TEST_CASE(valid_shapes) {
  run_cases({
      {"identity field that also references another field",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "accounts", "primary_key": ["email"], "fields": [{"name": "email", "identity": "email"}]},
           {"name": "profiles", "primary_key": ["email"],
            "fields": [{"name": "email", "identity": "email", "references": "accounts.email"}]}]})",
       ""},
      {"reached by being referenced from a reachable collection",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "users", "primary_key": ["id"],
            "fields": [{"name": "id"}, {"name": "email", "identity": "email"}, {"name": "plan_id", "references": "plans.id"}]},
           {"name": "plans", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "title"}]}]})",
       ""},
      {"reached through a chain of references",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "c", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "b_id", "references": "b.id"}]},
           {"name": "b", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "a_id", "references": "a.id"}]},
           {"name": "a", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "phone", "identity": "phone"}]}]})",
       ""},
      {"reference cycle a -> b -> a",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "a", "primary_key": ["id"],
            "fields": [{"name": "id"}, {"name": "b_id", "references": "b.id"}, {"name": "email", "identity": "email"}]},
           {"name": "b", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "a_id", "references": "a.id"}]}]})",
       ""},
      {"self reference",
       R"({"dataset": "hr", "connector": "crm", "collections": [
           {"name": "employees", "primary_key": ["id"],
            "fields": [{"name": "id"}, {"name": "manager_id", "references": "employees.id"},
                       {"name": "email", "identity": "email", "category": "provided"}]}]})",
       ""},
      {"unreachable but skipped",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "users", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "email", "identity": "email"}]},
           {"name": "audit_log", "primary_key": ["id"], "skip_unreachable": true, "fields": [{"name": "id"}]}]})",
       ""},
      {"hash and fixed masks on fields without a category",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "users", "primary_key": ["id"],
            "fields": [{"name": "id"}, {"name": "email", "identity": "email", "mask": "hash"},
                       {"name": "note", "mask": {"fixed": "[erased]"}}],
            "erasure": {"action": "mask"}}]})",
       ""},
      {"composite primary key and a basis on delete",
       R"j({"dataset": "d", "connector": "crm", "collections": [
           {"name": "memberships", "primary_key": ["user_id", "group_id"],
            "fields": [{"name": "user_id", "identity": "telegram_id", "stored_as": "integer"}, {"name": "group_id"}],
            "erasure": {"action": "delete", "basis": "Art. 17(1)(b)"}}]})j",
       ""},
  });
}

BOOST_AUTO_TEST_CASE(semantic_errors) {
  run_cases({
      {"unknown connector",
       R"({"dataset": "d", "connector": "shop", "collections": [
           {"name": "users", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "email", "identity": "email"}]}]})",
       "m.json: /connector: unknown connector 'shop' (configured: marketing_db, crm)"},
      {"unknown identity kind",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "users", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "email", "identity": "emial"}]}]})",
       "m.json: /collections/0/fields/1/identity: unknown identity kind 'emial' "
       "(known: email, phone, telegram_id, username)"},
      {"duplicate collection",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "users", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "email", "identity": "email"}]},
           {"name": "users", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "phone", "identity": "phone"}]}]})",
       "m.json: /collections/1/name: duplicate collection 'users', first defined at /collections/0"},
      {"collections differing only in case",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "users", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "email", "identity": "email"}]},
           {"name": "Users", "primary_key": ["id"], "fields": [{"name": "id"}]}]})",
       "m.json: /collections/1/name: collection 'Users' differs only in letter case from 'users' at "
       "/collections/0"},
      {"duplicate field",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "users", "primary_key": ["id"],
            "fields": [{"name": "id"}, {"name": "email", "identity": "email"}, {"name": "email", "category": "provided"}]}]})",
       "m.json: /collections/0/fields/2/name: duplicate field 'email' in collection 'users', "
       "first defined at /collections/0/fields/1"},
      {"fields differing only in case",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "users", "primary_key": ["id"],
            "fields": [{"name": "id"}, {"name": "email", "identity": "email"}, {"name": "EMAIL"}]}]})",
       "m.json: /collections/0/fields/2/name: field 'EMAIL' in collection 'users' differs only in letter "
       "case "
       "from 'email' at /collections/0/fields/1"},
      {"primary key names an unknown field",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "users", "primary_key": ["id", "uid"], "fields": [{"name": "id"}, {"name": "email", "identity": "email"}]}]})",
       "m.json: /collections/0/primary_key/1: unknown field 'uid' in collection 'users'"},
      {"primary key field with a mask",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "users", "primary_key": ["id"],
            "fields": [{"name": "id", "mask": "hash"}, {"name": "email", "identity": "email", "mask": "null"}],
            "erasure": {"action": "mask"}}]})",
       "m.json: /collections/0/fields/0/mask: field 'id' is part of the primary key of 'users' and cannot be "
       "masked"},
      {"reference to an unknown field",
       R"({"dataset": "marketing", "connector": "marketing_db", "collections": [
           {"name": "subscribers", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "email", "identity": "email"}]},
           {"name": "clicks", "primary_key": ["id"],
            "fields": [{"name": "id"}, {"name": "subscriber_id", "references": "subscribers.nope"}]}]})",
       "m.json: /collections/1/fields/1/references: unknown field 'nope' in collection 'subscribers'"},
      {"reference without a dot",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "users", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "email", "identity": "email"}]},
           {"name": "clicks", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "user_id", "references": "users_id"}]}]})",
       "m.json: /collections/1/fields/1/references: malformed reference 'users_id': expected "
       "'collection.field'"},
      {"reference with two dots",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "users", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "email", "identity": "email"}]},
           {"name": "clicks", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "user_id", "references": "db.users.id"}]}]})",
       "m.json: /collections/1/fields/1/references: malformed reference 'db.users.id': expected "
       "'collection.field'"},
      {"reference with an empty part",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "users", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "email", "identity": "email"}]},
           {"name": "clicks", "primary_key": ["id"],
            "fields": [{"name": "id"}, {"name": "a", "references": ".id"}, {"name": "b", "references": "users."}]}]})",
       "m.json: /collections/1/fields/1/references: malformed reference '.id': expected 'collection.field'\n"
       "m.json: /collections/1/fields/2/references: malformed reference 'users.': expected "
       "'collection.field'"},
      {"reference text with SQL and control characters is quoted on one line",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "users", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "email", "identity": "email"}]},
           {"name": "clicks", "primary_key": ["id"],
            "fields": [{"name": "id"}, {"name": "user_id", "references": "users.id'; DROP TABLE x\n--"}]}]})",
       "m.json: /collections/1/fields/1/references: unknown field 'id\\x27; DROP TABLE x\\x0a--' in "
       "collection 'users'"},
      {"lowercase match on an integer field",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "users", "primary_key": ["id"],
            "fields": [{"name": "id"}, {"name": "tg", "identity": "telegram_id", "match": "lowercase", "stored_as": "integer"}]}]})",
       "m.json: /collections/0/fields/1/match: 'lowercase' applies to text, but field 'tg' is stored_as "
       "'integer'"},
      {"unreachable collection",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "users", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "email", "identity": "email"}]},
           {"name": "clicks", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "user_id", "references": "users.id"}]},
           {"name": "plans", "primary_key": ["id"], "fields": [{"name": "id"}]},
           {"name": "audit_log", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "plan_id", "references": "plans.id"}]}]})",
       "m.json: /collections/2: collection 'plans' is not reachable from any identity or reference; "
       "mark it \"skip_unreachable\": true to leave it out\n"
       "m.json: /collections/3: collection 'audit_log' is not reachable from any identity or reference; "
       "mark it \"skip_unreachable\": true to leave it out"},
      {"a cycle without an identity is unreachable and does not loop",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "users", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "email", "identity": "email"}]},
           {"name": "a", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "b_id", "references": "b.id"}]},
           {"name": "b", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "a_id", "references": "a.id"}]}]})",
       "m.json: /collections/1: collection 'a' is not reachable from any identity or reference; "
       "mark it \"skip_unreachable\": true to leave it out\n"
       "m.json: /collections/2: collection 'b' is not reachable from any identity or reference; "
       "mark it \"skip_unreachable\": true to leave it out"},
      {"a self reference alone does not make a collection reachable",
       R"({"dataset": "hr", "connector": "crm", "collections": [
           {"name": "employees", "primary_key": ["id"],
            "fields": [{"name": "id"}, {"name": "manager_id", "references": "employees.id"}]}]})",
       "m.json: /collections/0: collection 'employees' is not reachable from any identity or reference; "
       "mark it \"skip_unreachable\": true to leave it out"},
      {"mask action without any mask",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "users", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "email", "identity": "email"}]},
           {"name": "clicks", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "user_id", "references": "users.id"}]},
           {"name": "invoices", "primary_key": ["id"],
            "fields": [{"name": "id"}, {"name": "user_id", "references": "users.id"}, {"name": "billing_name", "category": "provided"}],
            "erasure": {"action": "mask"}}]})",
       "m.json: /collections/2/erasure: action 'mask' but no field of 'invoices' has a mask"},
      {"retain action without any mask",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "users", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "email", "identity": "email"}]},
           {"name": "clicks", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "user_id", "references": "users.id"}],
            "erasure": {"action": "retain", "basis": "Art. 17(3)(b): tax records kept 10 years"}}]})",
       "m.json: /collections/1/erasure: action 'retain' but no field of 'clicks' has a mask"},
  });
}

BOOST_AUTO_TEST_CASE(reference_to_unknown_collection_names_the_file) {
  run_cases({{"brief's example",
              R"({"dataset": "marketing", "connector": "marketing_db", "collections": [
                  {"name": "subscribers", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "email", "identity": "email"}]},
                  {"name": "clicks", "primary_key": ["id"],
                   "fields": [{"name": "id"}, {"name": "subscriber_id", "references": "subscriber.id"}]}]})",
              // clicks is cut off by the typo, but its real problem is already reported.
              "marketing.json: /collections/1/fields/1/references: unknown collection 'subscriber'"}},
            "marketing.json");
}

BOOST_AUTO_TEST_CASE(empty_context) {
  const auto result = parse_mapping(
      R"({"dataset": "d", "connector": "crm", "collections": [
          {"name": "users", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "email", "identity": "email"}]}]})",
      "m.json", MappingContext{});
  BOOST_TEST_REQUIRE(!result.ok());
  BOOST_TEST(result.error() ==
             "m.json: /collections/0/fields/1/identity: unknown identity kind 'email' (no identity kinds are "
             "configured)\n"
             "m.json: /connector: unknown connector 'crm' (no connectors are configured)");
}

BOOST_AUTO_TEST_CASE(all_problems_are_reported_in_pointer_order) {
  run_cases({{"many problems",
              R"({"dataset": "d", "connector": "shop", "collections": [
                  {"name": "users", "primary_key": ["uid"],
                   "fields": [{"name": "id"}, {"name": "email", "identity": "mail"}, {"name": "id"}]},
                  {"name": "a", "primary_key": ["id"], "fields": [{"name": "id"}]},
                  {"name": "b", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "u", "references": "users.x"}],
                   "erasure": {"action": "mask"}},
                  {"name": "c", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "u", "references": "nobody.id"}]},
                  {"name": "d", "primary_key": ["id"], "fields": [{"name": "id"}]},
                  {"name": "e", "primary_key": ["id"], "fields": [{"name": "id"}]},
                  {"name": "f", "primary_key": ["id"], "fields": [{"name": "id"}]},
                  {"name": "g", "primary_key": ["id"], "fields": [{"name": "id"}]},
                  {"name": "h", "primary_key": ["id"], "fields": [{"name": "id"}]},
                  {"name": "i", "primary_key": ["id"], "fields": [{"name": "id"}]},
                  {"name": "j", "primary_key": ["id"], "fields": [{"name": "id"}]}]})",
              "m.json: /collections/0/fields/1/identity: unknown identity kind 'mail' "
              "(known: email, phone, telegram_id, username)\n"
              "m.json: /collections/0/fields/2/name: duplicate field 'id' in collection 'users', "
              "first defined at /collections/0/fields/0\n"
              "m.json: /collections/0/primary_key/0: unknown field 'uid' in collection 'users'\n"
              "m.json: /collections/1: collection 'a' is not reachable from any identity or reference; "
              "mark it \"skip_unreachable\": true to leave it out\n"
              "m.json: /collections/2/erasure: action 'mask' but no field of 'b' has a mask\n"
              "m.json: /collections/2/fields/1/references: unknown field 'x' in collection 'users'\n"
              "m.json: /collections/3/fields/1/references: unknown collection 'nobody'\n"
              "m.json: /collections/4: collection 'd' is not reachable from any identity or reference; "
              "mark it \"skip_unreachable\": true to leave it out\n"
              "m.json: /collections/5: collection 'e' is not reachable from any identity or reference; "
              "mark it \"skip_unreachable\": true to leave it out\n"
              "m.json: /collections/6: collection 'f' is not reachable from any identity or reference; "
              "mark it \"skip_unreachable\": true to leave it out\n"
              "m.json: /collections/7: collection 'g' is not reachable from any identity or reference; "
              "mark it \"skip_unreachable\": true to leave it out\n"
              "m.json: /collections/8: collection 'h' is not reachable from any identity or reference; "
              "mark it \"skip_unreachable\": true to leave it out\n"
              "m.json: /collections/9: collection 'i' is not reachable from any identity or reference; "
              "mark it \"skip_unreachable\": true to leave it out\n"
              "m.json: /collections/10: collection 'j' is not reachable from any identity or reference; "
              "mark it \"skip_unreachable\": true to leave it out\n"
              "m.json: /connector: unknown connector 'shop' (configured: marketing_db, crm)"}});
}

BOOST_AUTO_TEST_CASE(schema_errors) {
  run_cases({
      {"dataset of the wrong type",
       R"({"dataset": 5, "connector": "crm", "collections": [
           {"name": "users", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "email", "identity": "email"}]}]})",
       "m.json: /dataset: expected a string"},
      {"skip_unreachable of the wrong type",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "users", "primary_key": ["id"], "skip_unreachable": "yes",
            "fields": [{"name": "id"}, {"name": "email", "identity": "email"}]}]})",
       "m.json: /collections/0/skip_unreachable: expected true or false"},
      {"fields not an array",
       R"({"dataset": "d", "connector": "crm", "collections": [{"name": "users", "primary_key": ["id"], "fields": {"id": {}}}]})",
       "m.json: /collections/0/fields: expected an array"},
      {"unknown key in a field",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "users", "primary_key": ["id"], "fields": [{"name": "id", "colour": "red"}, {"name": "email", "identity": "email"}]}]})",
       "m.json: /collections/0/fields/0: unknown key 'colour'"},
      {"misspelt top-level key", R"({"dataset": "d", "connector": "crm", "collection": []})",
       "m.json: /: unknown key 'collection'\nm.json: /: missing required key 'collections'"},
      {"unknown key in erasure",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "users", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "email", "identity": "email"}],
            "erasure": {"action": "delete", "then": "mask"}}]})",
       "m.json: /collections/0/erasure: unknown key 'then'"},
      {"collection name with a quote",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "users\"x", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "email", "identity": "email"}]}]})",
       "m.json: /collections/0/name: does not match the pattern ^[A-Za-z_][A-Za-z0-9_]{0,63}$"},
      {"collection name with SQL in it",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "users; DROP TABLE x", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "email", "identity": "email"}]}]})",
       "m.json: /collections/0/name: does not match the pattern ^[A-Za-z_][A-Za-z0-9_]{0,63}$"},
      {"field and key names with SQL and a backtick",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "users", "primary_key": ["id`--"], "fields": [{"name": "id) OR 1=1"}, {"name": "email", "identity": "email"}]}]})",
       "m.json: /collections/0/fields/0/name: does not match the pattern ^[A-Za-z_][A-Za-z0-9_]{0,63}$\n"
       "m.json: /collections/0/primary_key/0: does not match the pattern ^[A-Za-z_][A-Za-z0-9_]{0,63}$"},
      {"dataset name with a path and a newline",
       R"({"dataset": "../etc\n", "connector": "crm", "collections": [
           {"name": "users", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "email", "identity": "email"}]}]})",
       "m.json: /dataset: does not match the pattern ^[A-Za-z_][A-Za-z0-9_]{0,63}$"},
      {"name starting with a digit",
       R"({"dataset": "1st", "connector": "crm", "collections": [
           {"name": "users", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "email", "identity": "email"}]}]})",
       "m.json: /dataset: does not match the pattern ^[A-Za-z_][A-Za-z0-9_]{0,63}$"},
      {"name of 65 characters",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "users", "primary_key": ["id"],
            "fields": [{"name": "id"}, {"name": "email", "identity": "email"},
                       {"name": "a2345678901234567890123456789012345678901234567890123456789012345"}]}]})",
       "m.json: /collections/0/fields/2/name: does not match the pattern ^[A-Za-z_][A-Za-z0-9_]{0,63}$"},
      {"connector name in capitals",
       R"({"dataset": "d", "connector": "CRM", "collections": [
           {"name": "users", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "email", "identity": "email"}]}]})",
       "m.json: /connector: does not match the pattern ^[a-z][a-z0-9_-]{0,63}$"},
      {"identity kind with a space",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "users", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "email", "identity": "e mail"}]}]})",
       "m.json: /collections/0/fields/1/identity: does not match the pattern ^[a-z][a-z0-9_]{0,31}$"},
      {"unknown match mode",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "users", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "email", "identity": "email", "match": "LOWER"}]}]})",
       "m.json: /collections/0/fields/1/match: expected one of: exact, lowercase"},
      {"unknown stored_as and category",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "users", "primary_key": ["id"],
            "fields": [{"name": "id", "stored_as": "bigint"}, {"name": "email", "identity": "email", "category": "personal"}]}]})",
       "m.json: /collections/0/fields/0/stored_as: expected one of: text, integer\n"
       "m.json: /collections/0/fields/1/category: expected one of: provided, observed, inferred"},
      {"unknown erasure action",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "users", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "email", "identity": "email"}],
            "erasure": {"action": "anonymise"}}]})",
       "m.json: /collections/0/erasure/action: expected one of: delete, mask, retain"},
      {"retain without a basis",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "users", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "email", "identity": "email", "mask": "null"}],
            "erasure": {"action": "retain"}}]})",
       "m.json: /collections/0/erasure: missing required key 'basis'"},
      {"unknown mask",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "users", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "email", "identity": "email", "mask": "zero"}]}]})",
       "m.json: /collections/0/fields/1/mask: expected one of: null, hash"},
      {"mask of the wrong type",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "users", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "email", "identity": "email", "mask": true}]}]})",
       // json_schema.h prefers an enum over the type list; the object form goes unmentioned.
       "m.json: /collections/0/fields/1/mask: expected one of: null, hash"},
      {"fixed mask with an unknown key",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "users", "primary_key": ["id"],
            "fields": [{"name": "id"}, {"name": "email", "identity": "email", "mask": {"fixed": "x", "value": "y"}}]}]})",
       "m.json: /collections/0/fields/1/mask: unknown key 'value'"},
      {"fixed mask that is not text",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "users", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "email", "identity": "email", "mask": {"fixed": 0}}]}]})",
       "m.json: /collections/0/fields/1/mask/fixed: expected a string"},
      {"missing fields and primary key",
       R"({"dataset": "d", "connector": "crm", "collections": [{"name": "users"}]})",
       "m.json: /collections/0: missing required key 'fields'\nm.json: /collections/0: missing required key "
       "'primary_key'"},
      {"empty lists", R"({"dataset": "d", "connector": "crm", "collections": []})",
       "m.json: /collections: must not be empty"},
      {"empty reference",
       R"({"dataset": "d", "connector": "crm", "collections": [
           {"name": "users", "primary_key": ["id"], "fields": [{"name": "id", "references": ""}, {"name": "email", "identity": "email"}]}]})",
       "m.json: /collections/0/fields/0/references: must not be empty"},
      {"not an object", R"(["dataset"])", "m.json: /: expected an object"},
  });
}

BOOST_AUTO_TEST_CASE(invalid_json) {
  run_cases({
      {"trailing comma", "{\"dataset\": \"d\",}",
       "m.json: invalid JSON: line 1, column 17: trailing comma before '}'"},
      {"duplicate key", "{\"dataset\": \"d\",\n \"dataset\": \"e\"}",
       "m.json: invalid JSON: line 2, column 2: duplicate key 'dataset'"},
      {"empty text", "", "m.json: invalid JSON: line 1, column 1: the text is empty"},
  });
}

BOOST_AUTO_TEST_CASE(missing_file) {
  const auto result = load_mapping_file("/nonexistent/dir/x.json", kContext);
  BOOST_TEST_REQUIRE(!result.ok());
  BOOST_TEST(result.error() == "/nonexistent/dir/x.json: cannot read: No such file or directory");
}

BOOST_AUTO_TEST_CASE(several_files) {
  TempDir dir;
  auto mapping = [](const std::string& dataset, const std::string& connector) {
    return R"({"dataset": ")" + dataset + R"(", "connector": ")" + connector + R"(", "collections": [
        {"name": "users", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "email", "identity": "email"}]}]})";
  };
  const std::string shop = dir.write("shop.json", mapping("shop", "crm"));
  const std::string shop_again = dir.write("shop2.json", mapping("shop", "crm"));
  const std::string shop_caps = dir.write("shop3.json", mapping("Shop", "crm"));
  const std::string broken = dir.write("broken.json", mapping("broken", "nope"));

  const auto loaded = load_mappings({example_path(), shop}, kContext);
  BOOST_TEST_REQUIRE(loaded.ok(), (loaded.ok() ? "" : loaded.error()));
  BOOST_TEST_REQUIRE(loaded->size() == 2u);
  BOOST_TEST((*loaded)[0].dataset == "marketing");
  BOOST_TEST((*loaded)[1].dataset == "shop");
  BOOST_TEST((*loaded)[1].file == shop);

  const auto clash = load_mappings({shop, example_path(), broken, shop_again, shop_caps}, kContext);
  BOOST_TEST_REQUIRE(!clash.ok());
  BOOST_TEST(clash.error() ==
             broken + ": /connector: unknown connector 'nope' (configured: marketing_db, crm)\n" +
                 shop_again + ": /dataset: dataset 'shop' is already defined in " + shop + "\n" + shop_caps +
                 ": /dataset: dataset 'Shop' differs only in letter case from 'shop' in " + shop);

  const auto none = load_mappings({}, kContext);
  BOOST_TEST_REQUIRE(none.ok());
  BOOST_TEST(none->empty());
}

// The schema is the reference for people writing mappings: every property says
// what it is for, and no object accepts keys it does not describe.
BOOST_AUTO_TEST_CASE(schema_documents_every_property) {
  const auto text = embedded_schema("dataset.schema.json");
  BOOST_TEST_REQUIRE(text.has_value());
  BOOST_TEST_REQUIRE(JsonSchema::from_text(*text, "dataset.schema.json").ok());
  const auto parsed = parse_json_text(*text, "dataset.schema.json");
  BOOST_TEST_REQUIRE(parsed.ok());

  std::vector<std::string> undocumented, open;
  std::function<void(const Poco::Dynamic::Var&, const std::string&)> walk =
      [&](const Poco::Dynamic::Var& node, const std::string& where) {
        if (node.type() == typeid(Poco::JSON::Array::Ptr)) {
          const auto array = node.extract<Poco::JSON::Array::Ptr>();
          for (unsigned i = 0; i < array->size(); ++i) walk(array->get(i), where + "/" + std::to_string(i));
          return;
        }
        if (node.type() != typeid(Poco::JSON::Object::Ptr)) return;
        const auto object = node.extract<Poco::JSON::Object::Ptr>();
        if (object->has("properties") && where.find("/if") == std::string::npos) {
          if (!object->has("additionalProperties") ||
              object->get("additionalProperties").toString() != "false") {
            open.push_back(where);
          }
          for (const auto& [key, property] : *object->getObject("properties")) {
            const auto schema = property.extract<Poco::JSON::Object::Ptr>();
            if (!schema->has("description")) {
              undocumented.push_back(where + "/properties/" + key);
            }
          }
        }
        for (const auto& [key, child] : *object) walk(child, where + "/" + key);
      };
  walk(*parsed, "");
  BOOST_TEST(
      undocumented.empty(),
      "undocumented: " << undocumented.size() << (undocumented.empty() ? "" : " first " + undocumented[0]));
  BOOST_TEST(open.empty(), "without additionalProperties false: " << (open.empty() ? "" : open[0]));
}

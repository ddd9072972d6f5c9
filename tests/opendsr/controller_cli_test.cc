#define BOOST_TEST_MODULE dsr controller commands
#include <boost/test/unit_test.hpp>

#include <Poco/JSON/Parser.h>
#include <Poco/Path.h>

#include <sys/stat.h>

#include <fstream>

#include "dsr/common/crypto.h"
#include "tests/support/run_dsr.h"
#include "tests/support/test_store.h"

using namespace dsr;
using test::DsrRun;

namespace {

struct Installation {
  test::TestStore store;
  std::string config = Poco::Path(store.folder(), "dsr.json").toString();

  Installation() {
    std::ofstream file(config);
    file << "{\"state\": ";
    if (store.engine() == StoreEngine::sqlite) {
      file << "{\"engine\": \"sqlite\", \"sqlite\": \"state.sqlite\"}";
    } else {
      file << "{\"engine\": \"mysql\", \"mysql\": \"" << store.connection().mysql_connection << "\"}";
    }
    file << ", \"opendsr\": {\"private_key_file\": \"keys/processor.pem\"}}\n";
    file.close();
    DsrRun init = dsr({"init"});
    BOOST_REQUIRE_MESSAGE(init.code == 0, init.err);
  }

  DsrRun dsr(std::vector<std::string> args) {
    args.insert(args.begin(), {"--config", config});
    return test::run_dsr(args);
  }

  std::string stored_key_hash(const std::string& id) {
    auto db = store.open();
    std::string hash;
    db->session() << "SELECT key_hash FROM opendsr_controllers WHERE id = :id", soci::into(hash), soci::use(id);
    return hash;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(adding_a_controller_prints_its_key_once_and_stores_only_the_hash, Installation) {
  DsrRun added = dsr({"--json", "controller", "add", "acme", "--callback-domain", "Callbacks.ACME.example"});
  BOOST_TEST_REQUIRE(added.code == 0, added.err);
  Poco::JSON::Parser parser;
  auto printed = parser.parse(added.out).extract<Poco::JSON::Object::Ptr>();
  const std::string key = printed->getValue<std::string>("api_key");
  BOOST_TEST(key.size() == 64u);
  BOOST_TEST(key.find_first_not_of("0123456789abcdef") == std::string::npos);
  BOOST_TEST(stored_key_hash("acme") == sha256_hex(key));

  DsrRun listed = dsr({"--json", "controller", "list"});
  BOOST_TEST_REQUIRE(listed.code == 0, listed.err);
  BOOST_TEST(listed.out.find(key) == std::string::npos);
  auto list = Poco::JSON::Parser().parse(listed.out).extract<Poco::JSON::Array::Ptr>();
  BOOST_TEST_REQUIRE(list->size() == 1u);
  BOOST_TEST(list->getObject(0)->getValue<std::string>("callback_domain") == "callbacks.acme.example");

  // A second controller gets a different key.
  DsrRun second = dsr({"controller", "add", "globex", "--callback-domain", "globex.example"});
  BOOST_TEST_REQUIRE(second.code == 0, second.err);
  BOOST_TEST(second.out.find(key) == std::string::npos);
  BOOST_TEST(stored_key_hash("globex") != stored_key_hash("acme"));
}

BOOST_FIXTURE_TEST_CASE(bad_controller_input_is_refused_with_the_place_named, Installation) {
  BOOST_TEST(dsr({"controller", "add", "acme", "--callback-domain", "acme.example"}).code == 0);
  DsrRun again = dsr({"controller", "add", "acme", "--callback-domain", "acme.example"});
  BOOST_TEST(again.code == 1);
  BOOST_TEST(again.err.find("controller acme: already registered") != std::string::npos);
  DsrRun no_domain = dsr({"controller", "add", "initech"});
  BOOST_TEST(no_domain.code == 2);
  BOOST_TEST(no_domain.err.find("--callback-domain") != std::string::npos);
  DsrRun bad_domain = dsr({"controller", "add", "initech", "--callback-domain", "https://initech.example/x"});
  BOOST_TEST(bad_domain.code == 1);
  BOOST_TEST(bad_domain.err.find("callback domain") != std::string::npos);
  DsrRun bad_name = dsr({"controller", "add", "Init Tech", "--callback-domain", "initech.example"});
  BOOST_TEST(bad_name.code == 1);
  BOOST_TEST(bad_name.err.find("controller 'Init\\x20Tech'") != std::string::npos);
  BOOST_TEST(stored_key_hash("initech").empty());
}

BOOST_FIXTURE_TEST_CASE(the_processor_key_is_created_once_private_and_its_public_half_printed, Installation) {
  DsrRun first = dsr({"controller", "key"});
  BOOST_TEST_REQUIRE(first.code == 0, first.err);
  BOOST_TEST(first.out.starts_with("-----BEGIN PUBLIC KEY-----"));
  BOOST_TEST(first.err.find("created the processor key") != std::string::npos);
  const std::string path = store.folder() + "/keys/processor.pem";
  struct stat info {};
  BOOST_TEST_REQUIRE(::stat(path.c_str(), &info) == 0);
  BOOST_TEST((info.st_mode & 0777) == 0600u);
  DsrRun second = dsr({"controller", "key"});
  BOOST_TEST(second.code == 0);
  BOOST_TEST(second.out == first.out);
  BOOST_TEST(second.err.empty());

  // With no OpenDSR request there is no callback to send.
  DsrRun callbacks = dsr({"controller", "callbacks"});
  BOOST_TEST(callbacks.code == 0, callbacks.err);
  BOOST_TEST(callbacks.out == "callbacks: 0 sent, 0 delivered, 0 to retry\n");
}

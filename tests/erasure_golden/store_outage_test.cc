#define BOOST_TEST_MODULE erasure when a store goes down
// A MariaDB store that goes down in the middle of an erasure. The test starts its own
// server (scripts/test-services/mariadb), holds a row lock on one of the subject's
// rows in the second chunk, and stops the server once dsr's DELETE of that chunk
// waits for the lock: so the first chunk is committed and the rest is not, every
// time, without sleeping. The request must not complete, and must say which
// connector and collection failed; with the server back, erasing again completes
// and the stores end exactly as the golden scenario expects.

#include <boost/test/unit_test.hpp>

#include <Poco/Process.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "tests/erasure_golden/erasure_scenario.h"
#include "tests/erasure_golden/installation.h"
#include "tests/support/test_store.h"

namespace fs = std::filesystem;
using namespace dsr;
using namespace dsr::erasure_golden;

namespace {

// The scenario's subject has five attachments; in chunks of two, row 42 is in the second.
const std::string kScenario = "deep_chain_and_self_reference";
const std::string kLockedTable = "attachments";
const std::string kLockedKey = "42";
const std::vector<std::string> kFirstChunk = {"40", "41"};

std::string read_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A port the kernel just handed out on loopback: outside the range the test MariaDB
// script probes, so that a fixture server starting at the same moment cannot take it.
std::string ephemeral_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  const bool bound = fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                     ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  if (fd >= 0) ::close(fd);
  return bound ? std::to_string(ntohs(address.sin_port)) : "";
}

// A private MariaDB in the test's folder, stopped whatever happens.
class PrivateServer {
 public:
  explicit PrivateServer(std::string dir) : dir_(std::move(dir)) {
    // Another process may still take the port between the probe and the server's bind.
    for (int attempt = 0; attempt < 3 && base_.empty(); ++attempt) {
      port_ = ephemeral_port();
      if (script("start", {{"DSR_TEST_MYSQL_PORT", port_}}) == 0) read_connection();
    }
    BOOST_TEST_REQUIRE(!base_.empty(), "the private MariaDB did not start");
  }
  ~PrivateServer() { stop(); }

  // Back on the port the configuration names.
  void restart() {
    BOOST_TEST_REQUIRE(script("start", {{"DSR_TEST_MYSQL_PORT", port_}}) == 0, "the private MariaDB did not restart");
  }

  void stop() { script("stop", {}); }

  const std::string& base() const { return base_; }

 private:
  void read_connection() { base_ = read_line(dir_ + "/connection"); }

  int script(const std::string& action, const Poco::Process::Env& env) {
    Poco::Process::Args args = {action, dir_};
    Poco::ProcessHandle handle = Poco::Process::launch(DSR_MARIADB_SCRIPT, args, fs::current_path().string(), nullptr,
                                                       nullptr, nullptr, env);
    return handle.wait();
  }

  std::string dir_;
  std::string port_;
  std::string base_;
};

std::unique_ptr<Database> connect(const std::string& connection) {
  auto db = Database::open({StoreEngine::mysql, "", connection});
  BOOST_TEST_REQUIRE(db.ok(), (db.ok() ? "" : db.error()));
  return std::move(*db);
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_store_that_goes_down_mid_erasure_fails_the_run_and_a_rerun_completes_it) {
  const Scenario scenario = load_scenario(std::string(DSR_ERASURE_SCENARIOS) + "/" + kScenario + ".json");
  test::TestStore folder;  // a scratch folder (and an unused SQLite state file)
  PrivateServer server(folder.folder() + "/mariadb");
  connect(server.base())->session() << "CREATE DATABASE outage CHARACTER SET utf8mb4";
  const std::string connection = server.base() + " db=outage";

  Installation installation(scenario, folder.folder(), StoreEngine::mysql, connection);
  installation.create();
  const ScenarioRequest& request = scenario.requests.front();
  const StoreSnapshot before = installation.snapshot();
  const StoreSnapshot expected = installation.expected_after(before, request.expect);
  const std::string id = installation.submit_erasure(request.identities);

  auto holder = connect(connection);
  holder->session() << "START TRANSACTION";
  holder->session() << "SELECT id FROM " + kLockedTable + " WHERE id = " + kLockedKey + " FOR UPDATE";

  std::future<test::DsrRun> run = std::async(std::launch::async, [&] { return installation.dsr({"run", id}); });

  // dsr's DELETE of the second chunk waits for the lock the holder has.
  auto watcher = connect(connection);
  bool waiting = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(40);
  while (!waiting && std::chrono::steady_clock::now() < deadline &&
         run.wait_for(std::chrono::milliseconds(20)) != std::future_status::ready) {
    // The first chunk is committed (the watcher reads committed rows) and a DELETE of the
    // same collection runs: the second chunk's, which cannot finish while row 42 is locked.
    int first_chunk_left = 0, deleting = 0;
    watcher->session() << "SELECT COUNT(*) FROM " + kLockedTable + " WHERE id IN (" + kFirstChunk[0] + ", " +
                              kFirstChunk[1] + ")",
        soci::into(first_chunk_left);
    watcher->session() << "SELECT COUNT(*) FROM information_schema.processlist WHERE info LIKE 'DELETE FROM `" +
                              kLockedTable + "`%'",
        soci::into(deleting);
    waiting = first_chunk_left == 0 && deleting > 0;
  }
  std::string connections;
  if (!waiting) {
    soci::rowset<soci::row> rows = watcher->session().prepare
                                   << "SELECT COALESCE(state, ''), COALESCE(info, '') FROM information_schema.processlist";
    for (const auto& row : rows) connections += "\n  " + column_text(row, 0) + ": " + column_text(row, 1);
  }
  BOOST_TEST_REQUIRE(waiting, "dsr never waited on the locked row; connections:" << connections << "\nits run: "
                                  << (run.wait_for(std::chrono::seconds(0)) == std::future_status::ready
                                          ? run.get().err
                                          : std::string("still running")));
  watcher.reset();
  server.stop();
  const test::DsrRun failed_run = run.get();
  holder.reset();

  BOOST_TEST(failed_run.code != 0, "dsr run succeeded with its store gone: " << failed_run.out);
  BOOST_TEST_MESSAGE("with the store down: " << failed_run.err);
  server.restart();
  const auto [status, reason] = installation.status_of(id);
  BOOST_TEST(status != "completed");
  BOOST_TEST((status == "failed" || status == "approved"), "status " << status);
  BOOST_TEST(contains(reason, "connector 'work_db'"), "the reason does not name the connector: " << reason);
  BOOST_TEST(contains(reason, "'" + kLockedTable + "'"), "the reason does not name the collection: " << reason);
  BOOST_TEST(!fs::exists(installation.folder() + "/exports/" + id + ".certificate.json"));

  // The outage came between the chunks: the first is gone, the locked row is not.
  const StoreSnapshot halfway = installation.snapshot();
  for (const auto& key : kFirstChunk) BOOST_TEST(halfway.at(kLockedTable).rows.count(key) == 0u, key << " is still there");
  BOOST_TEST(halfway.at(kLockedTable).rows.count(kLockedKey) == 1u);
  BOOST_TEST(halfway.at("accounts").rows.count("1") == 1u, "the subject's account went before its children");

  // The rerun: the same request when it went back to the queue, otherwise erasing the subject again.
  const std::string rerun = status == "approved" ? id : installation.submit_erasure(request.identities);
  const test::DsrRun completed_run = installation.dsr({"run", rerun});
  BOOST_TEST_REQUIRE(completed_run.code == 0, "rerun: " << completed_run.err);
  BOOST_TEST(installation.status_of(rerun).first == "completed");
  const auto diff = differences(expected, installation.snapshot());
  std::string lines;
  for (const auto& line : diff) lines += "\n  " + line;
  BOOST_TEST(diff.empty(), "after the rerun the stores differ from the golden expectation:" << lines);
  const auto certificate = installation.check_certificate(rerun, request, nullptr);
  BOOST_TEST(certificate->getValue<bool>("verification_passed"));
  const test::DsrRun verified = installation.dsr({"audit", "verify"});
  BOOST_TEST(verified.code == 0, "audit verify: " << verified.out << verified.err);
}

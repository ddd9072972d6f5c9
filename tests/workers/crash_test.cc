#define BOOST_TEST_MODULE batch killed at random points
#include <boost/test/unit_test.hpp>

#include <signal.h>
#include <sys/wait.h>

#include <Poco/JSON/Parser.h>

#include <fstream>
#include <iostream>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "tests/support/run_dsr.h"
#include "tests/workers/installation.h"

using namespace dsr;

namespace {

constexpr int kMinimumKills = 20;
constexpr std::size_t kChunkRows = 2;  // small chunks: many commits, many places to die

// How far the runs have got: rows journaled by erasure chunks plus finished requests.
// Grows with every chunk a batch commits, so waiting for it to grow by a random amount
// picks a random point in the middle of the work.
long long progress(Database& db) {
  long long rows = 0, finished = 0;
  const Status s = db.read([&] {
    // Summed here: SUM() comes back as DECIMAL from MariaDB.
    soci::rowset<soci::row> steps = db.session().prepare << "SELECT row_count FROM run_steps";
    for (const auto& row : steps) rows += column_int(row, 0);
    db.session() << "SELECT COUNT(*) FROM requests WHERE status IN ('completed', 'failed')", soci::into(finished);
    return Status::Ok();
  });
  BOOST_REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error()));
  return rows + finished;
}

bool exited(long long pid, int& status) { return ::waitpid(static_cast<pid_t>(pid), &status, WNOHANG) == pid; }

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The certificate's per-collection figures, without its time and request id.
std::string certificate_counts(const std::string& path) {
  auto root = Poco::JSON::Parser().parse(read_file(path)).extract<Poco::JSON::Object::Ptr>();
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(root->get("stores"), out);
  return out.str();
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_request_completes_exactly_once_and_the_stores_end_as_without_kills) {
  test::Installation crashed({200, kChunkRows, 300, ""});
  std::mt19937 random(std::random_device{}());
  std::vector<std::string> emails = crashed.subscriber_emails(150);
  std::size_t approved = 0;
  std::vector<std::string> ids;
  const auto approve_more = [&](std::size_t n) {
    std::vector<std::string> next(emails.begin() + static_cast<long>(approved),
                                  emails.begin() + static_cast<long>(std::min(emails.size(), approved + n)));
    for (auto& id : crashed.approve_erasures(next)) ids.push_back(id);
    approved += next.size();
  };
  approve_more(20);

  int kills = 0, finished_runs = 0;
  for (int round = 0; kills < kMinimumKills && round < 200; ++round) {
    if (test::audit_counts(crashed.db(), crashed.key(), "request.status", "completed").size() == ids.size()) {
      BOOST_REQUIRE_MESSAGE(approved < emails.size(), "ran out of subjects before " << kMinimumKills << " kills");
      approve_more(10);
    }
    const long long start = progress(crashed.db());
    const long long target = start + std::uniform_int_distribution<long long>(1, 40)(random);
    const long long pid = crashed.launch({"batch"});
    int status = 0;
    bool done = false;
    while (!(done = exited(pid, status)) && progress(crashed.db()) < target) std::this_thread::yield();
    if (done) {
      ++finished_runs;
      continue;
    }
    ::kill(static_cast<pid_t>(pid), SIGKILL);
    BOOST_REQUIRE(::waitpid(static_cast<pid_t>(pid), &status, 0) == pid);
    ++kills;
  }
  BOOST_REQUIRE(kills >= kMinimumKills);

  // The last run, left alone, finishes whatever the killed ones left.
  const test::DsrRun last = test::run_dsr({"--config", crashed.config_path(), "batch"});
  BOOST_TEST(last.code == 0, last.out << last.err);

  const auto completions = test::audit_counts(crashed.db(), crashed.key(), "request.status", "completed");
  const auto failures = test::audit_counts(crashed.db(), crashed.key(), "request.status", "failed");
  const auto takeovers = test::audit_counts(crashed.db(), crashed.key(), "run.takeover");
  std::size_t exactly_once = 0, more_than_once = 0, takeover_count = 0;
  for (const auto& id : ids) {
    const int done = completions.count(id) ? completions.at(id) : 0;
    BOOST_TEST(done == 1, id << " completed " << done << " times");
    exactly_once += done == 1;
    more_than_once += done > 1;
  }
  for (const auto& [id, n] : takeovers) takeover_count += static_cast<std::size_t>(n);
  BOOST_TEST(failures.empty());
  const test::DsrRun verify = test::run_dsr({"--config", crashed.config_path(), "audit", "verify"});
  BOOST_TEST(verify.code == 0, verify.out << verify.err);

  // The same erasures without kills, with the same key (so keyed-hash masks agree).
  test::Installation calm({200, kChunkRows, 300, crashed.key_path()});
  const auto calm_ids = calm.approve_erasures(std::vector<std::string>(emails.begin(), emails.begin() + static_cast<long>(approved)));
  const test::DsrRun calm_run = test::run_dsr({"--config", calm.config_path(), "batch"});
  BOOST_REQUIRE_MESSAGE(calm_run.code == 0, calm_run.out << calm_run.err);
  BOOST_TEST(crashed.dump_data() == calm.dump_data(), "the data store differs from an uninterrupted run");

  // Certificates: counts as in the uninterrupted run, wherever the kills fell (the first
  // attempt records what it found before erasing, so a chunk committed in the data store
  // just before a kill is still certified).
  std::size_t same_certificates = 0;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const std::string crashed_counts = certificate_counts(crashed.export_dir() + "/" + ids[i] + ".certificate.json");
    const std::string calm_counts = certificate_counts(calm.export_dir() + "/" + calm_ids[i] + ".certificate.json");
    BOOST_TEST(crashed_counts == calm_counts, "request " << i << ": certificate counts differ from an uninterrupted run:\n"
                                                          << crashed_counts << "\n" << calm_counts);
    same_certificates += crashed_counts == calm_counts;
  }
  std::cout << "crash (" << test::engine_name() << "): " << ids.size() << " erasure requests, " << kills
            << " kills (kill -9), " << finished_runs << " runs ended before their kill point, " << takeover_count
            << " takeovers; completed exactly once: " << exactly_once << ", more than once: " << more_than_once
            << "; data store equal to an uninterrupted run: "
            << (crashed.dump_data() == calm.dump_data() ? "yes" : "no") << "; certificates with the same counts: "
            << same_certificates << "/" << ids.size() << "; audit: " << test::trimmed(verify.out) << std::endl;
}

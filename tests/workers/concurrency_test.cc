#define BOOST_TEST_MODULE batch workers sharing one state store
#include <boost/test/unit_test.hpp>

#include <sys/wait.h>

#include <iostream>
#include <sstream>

#include "dsr/audit/audit_log.h"
#include "tests/support/run_dsr.h"
#include "tests/workers/installation.h"

using namespace dsr;

// Four `dsr batch` processes work through 500 approved erasure requests at once.
// Each request must be run exactly once: one claim (approved -> running), one
// completion, no takeover (nobody died), and the audit trail must verify.
BOOST_AUTO_TEST_CASE(four_batch_processes_run_each_request_exactly_once) {
  constexpr std::size_t kRequests = 500;
  constexpr int kWorkers = 4;
  test::Installation installation({kRequests * 2, 1000, 300, ""});
  const auto ids = installation.approve_erasures(installation.subscriber_emails(kRequests));

  std::vector<long long> pids;
  for (int w = 0; w < kWorkers; ++w) pids.push_back(installation.launch({"batch"}));
  int failed_workers = 0;
  for (long long pid : pids) {
    int status = 0;
    BOOST_REQUIRE(::waitpid(static_cast<pid_t>(pid), &status, 0) == pid);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) ++failed_workers;
  }
  BOOST_TEST(failed_workers == 0);
  if (failed_workers) {
    std::string errors;
    std::istringstream lines(installation.worker_log());
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind("dsr:", 0) == 0) errors += line + "\n";
    }
    std::cout << "worker errors:\n" << errors;
  }

  const auto claims = test::audit_counts(installation.db(), installation.key(), "request.status", "running");
  const auto completions = test::audit_counts(installation.db(), installation.key(), "request.status", "completed");
  const auto takeovers = test::audit_counts(installation.db(), installation.key(), "run.takeover");
  std::size_t once = 0, twice_or_more = 0;
  for (const auto& id : ids) {
    const int ran = claims.count(id) ? claims.at(id) : 0;
    const int done = completions.count(id) ? completions.at(id) : 0;
    BOOST_TEST(ran == 1, id << " was claimed " << ran << " times");
    BOOST_TEST(done == 1, id << " was completed " << done << " times");
    if (ran == 1 && done == 1) ++once;
    if (ran > 1 || done > 1) ++twice_or_more;
  }
  BOOST_TEST(takeovers.empty());

  // Which worker ran what, from the actors of the completions.
  std::map<std::string, int> per_worker;
  SystemClock clock;
  BOOST_REQUIRE(AuditLog(installation.db(), installation.key(), clock).for_each([&](const AuditEntry& e) {
    if (e.action == "request.status" && e.detail.find("\"to\":\"completed\"") != std::string::npos) ++per_worker[e.actor];
    return true;
  }).ok());
  const test::DsrRun verify = test::run_dsr({"--config", installation.config_path(), "audit", "verify"});
  BOOST_TEST(verify.code == 0, verify.out << verify.err);

  std::cout << "concurrency (" << test::engine_name() << "): " << ids.size() << " requests, " << kWorkers
            << " batch processes, " << once << " executed exactly once, " << twice_or_more
            << " executed more than once; completions per worker:";
  for (const auto& [worker, n] : per_worker) std::cout << " " << n;
  std::cout << "; audit: " << test::trimmed(verify.out) << std::endl;
}

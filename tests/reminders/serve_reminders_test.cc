#define BOOST_TEST_MODULE dsr serve : deadline reminders in the scheduler
#include <boost/test/unit_test.hpp>

#include <Poco/Path.h>

#include <fstream>
#include <sstream>

#include "dsr/app/serve_site.h"
#include "tests/support/run_dsr.h"
#include "tests/support/test_store.h"
#include "tests/web/in_process_site.h"

using namespace dsr;

namespace {

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

}  // namespace

BOOST_AUTO_TEST_CASE(each_scheduler_round_reminds_once_per_threshold) {
  test::TestStore store;
  const std::string config = Poco::Path(store.folder(), "dsr.json").toString();
  std::ofstream(config) << R"({"state": {"engine": "sqlite", "sqlite": "state.sqlite"},
                               "workers": {"due_soon_days": 5},
                               "serve": {"batch_interval_minutes": 0}})";
  const auto dsr = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--config", config});
    return test::run_dsr(args);
  };
  BOOST_REQUIRE(dsr({"init"}).code == 0);
  auto submitted =
      dsr({"submit", "--type", "access", "--identity", "email=late.case@example.com", "--verified"});
  BOOST_REQUIRE_MESSAGE(submitted.code == 0, submitted.err);
  const std::string id = test::trimmed(submitted.out);

  // The site's clock starts today and is moved past the deadline below.
  FixedClock clock(SystemClock().now());
  std::ostringstream log;
  auto site = cli::Site::open(test::in_process_site(config, log, clock));
  BOOST_REQUIRE_MESSAGE(site.ok(), (site.ok() ? std::string() : site.error()));

  (*site)->run_jobs_once();
  BOOST_TEST(count(log.str(), "\"event\":\"deadline_reminder\"") == 0u, log.str());
  BOOST_TEST(log.str().find("0 reminders") != std::string::npos, log.str());

  clock.set(add_days(clock.now(), 40));
  (*site)->run_jobs_once();
  (*site)->run_jobs_once();
  const std::string text = log.str();
  BOOST_TEST(count(text, "\"event\":\"deadline_reminder\"") == 1u, text);
  BOOST_TEST(text.find("\"threshold\":\"overdue\"") != std::string::npos, text);
  BOOST_TEST(text.find(id) != std::string::npos);
  BOOST_TEST(text.find("late.case") == std::string::npos);

  auto trail = dsr({"audit", "export"});
  BOOST_REQUIRE(trail.code == 0);
  BOOST_TEST(count(trail.out, "request.deadline_reminder") == 1u, trail.out);
  BOOST_TEST(dsr({"audit", "verify"}).code == 0);
}

#define BOOST_TEST_MODULE work queue
#include <boost/test/unit_test.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "dsr/requests/officer_service.h"
#include "dsr/requests/request_service.h"
#include "dsr/run/work_queue.h"
#include "dsr/state/run_step_store.h"
#include "tests/support/test_store.h"

using namespace dsr;

namespace {

const std::vector<RequestType> kRunnable = {RequestType::access, RequestType::portability, RequestType::erasure};

WorkerIdentity worker(const std::string& name, long long pid = 0) {
  WorkerIdentity w = this_worker();
  w.name = name;
  if (pid) w.pid = pid;
  return w;
}

struct Fixture {
  test::TestStore store;
  std::unique_ptr<Database> db = store.open_initialised();
  SubjectKey key = SubjectKey::from_secret(std::string(64, 'c'));
  FixedClock clock{*parse_utc("2026-03-01T09:00:00Z")};
  RequestService service{*db, key, clock};

  Fixture() {
    BOOST_REQUIRE(AuditLog(*db, key, clock).initialise().ok());
    BOOST_REQUIRE(OfficerService(*db, key, clock).add("olga", OfficerRole::officer, "correct horse battery", "t").ok());
  }

  std::string approved(RequestType type, const std::string& email, const std::string& received) {
    SubmitInput input;
    input.type = type;
    input.identities = {{"email", email}};
    input.identities_proven = true;
    input.received_at = *parse_utc(received);
    auto outcome = service.submit(input);
    BOOST_REQUIRE_MESSAGE(outcome.ok(), (outcome.ok() ? "" : outcome.error()));
    BOOST_REQUIRE(service.approve(outcome->id, "olga", "").ok());
    return outcome->id;
  }

  long long audit_count(const std::string& action, const std::string& id) {
    long long n = 0;
    BOOST_REQUIRE(AuditLog(*db, key, clock).for_each([&](const AuditEntry& e) {
      if (e.action == action && e.request_id == id) ++n;
      return true;
    }).ok());
    return n;
  }
};

std::string error_of(const Status& s) { return s.ok() ? "" : s.error(); }

}  // namespace

BOOST_FIXTURE_TEST_CASE(claims_take_the_oldest_due_request_once, Fixture) {
  const std::string later = approved(RequestType::access, "a@example.com", "2026-02-20T00:00:00Z");
  const std::string earlier = approved(RequestType::erasure, "b@example.com", "2026-02-10T00:00:00Z");
  approved(RequestType::objection, "c@example.com", "2026-02-01T00:00:00Z");  // not runnable: never claimed

  WorkQueue first(*db, key, clock, worker("worker:one"), std::chrono::seconds(60));
  auto a = first.claim_next(kRunnable);
  BOOST_REQUIRE(a.ok());
  BOOST_REQUIRE(a->has_value());
  BOOST_TEST((*a)->request_id == earlier);
  BOOST_TEST((*a)->attempt == 1);
  BOOST_TEST(!(*a)->takeover);
  BOOST_TEST(service.get(earlier)->status == RequestStatus::running);

  auto second_db = store.open();
  WorkQueue second(*second_db, key, clock, worker("worker:two"), std::chrono::seconds(60));
  auto b = second.claim_next(kRunnable);
  BOOST_REQUIRE(b.ok());
  BOOST_REQUIRE(b->has_value());
  BOOST_TEST((*b)->request_id == later);
  auto none = second.claim_next(kRunnable);
  BOOST_REQUIRE(none.ok());
  BOOST_TEST(!none->has_value());

  // A live worker's request cannot be claimed by id either.
  auto busy = second.claim(earlier, kRunnable);
  BOOST_TEST(!busy.ok());
  BOOST_TEST(busy.error().find("already running") != std::string::npos);

  BOOST_TEST(first.finish(**a, RequestStatus::completed, "", nullptr).ok());
  BOOST_TEST(service.get(earlier)->status == RequestStatus::completed);
}

BOOST_FIXTURE_TEST_CASE(an_expired_lease_is_taken_over_and_the_old_worker_cannot_finish, Fixture) {
  const std::string id = approved(RequestType::erasure, "a@example.com", "2026-02-20T00:00:00Z");
  // A pid that is alive (this process) on another host: only expiry frees it.
  WorkerIdentity elsewhere = worker("worker:elsewhere");
  elsewhere.host = "another-host.invalid";
  WorkQueue old_worker(*db, key, clock, elsewhere, std::chrono::seconds(60));
  auto old_claim = old_worker.claim_next(kRunnable);
  BOOST_REQUIRE(old_claim.ok() && old_claim->has_value());

  WorkQueue successor(*db, key, clock, worker("worker:successor"), std::chrono::seconds(60));
  auto too_early = successor.claim_next(kRunnable);
  BOOST_REQUIRE(too_early.ok());
  BOOST_TEST(!too_early->has_value());

  clock.set(clock.now() + std::chrono::seconds(61));
  auto taken = successor.claim_next(kRunnable);
  BOOST_REQUIRE(taken.ok() && taken->has_value());
  BOOST_TEST((*taken)->request_id == id);
  BOOST_TEST((*taken)->takeover);
  BOOST_TEST((*taken)->attempt == 2);
  BOOST_TEST(audit_count("run.takeover", id) == 1);

  // The old worker wakes up: it may neither record progress nor complete.
  const Status renewed = old_worker.renew(**old_claim);
  BOOST_TEST(is_lost_claim(error_of(renewed)));
  const Status finished = old_worker.finish(**old_claim, RequestStatus::completed, "", nullptr);
  BOOST_TEST(is_lost_claim(error_of(finished)));
  BOOST_TEST(service.get(id)->status == RequestStatus::running);
  BOOST_TEST(audit_count("request.status", id) == 3);  // received->?, approved, running; no completion

  BOOST_TEST(successor.finish(**taken, RequestStatus::completed, "", nullptr).ok());
  BOOST_TEST(service.get(id)->status == RequestStatus::completed);
}

BOOST_FIXTURE_TEST_CASE(a_dead_worker_on_this_host_is_taken_over_at_once, Fixture) {
  const std::string id = approved(RequestType::access, "a@example.com", "2026-02-20T00:00:00Z");
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  BOOST_REQUIRE(child > 0);
  int status = 0;
  BOOST_REQUIRE(::waitpid(child, &status, 0) == child);

  WorkQueue dead(*db, key, clock, worker("worker:dead", child), std::chrono::seconds(3600));
  auto claim = dead.claim_next(kRunnable);
  BOOST_REQUIRE(claim.ok() && claim->has_value());

  WorkQueue alive(*db, key, clock, worker("worker:alive"), std::chrono::seconds(3600));
  auto taken = alive.claim(id, kRunnable);
  BOOST_REQUIRE_MESSAGE(taken.ok(), (taken.ok() ? "" : taken.error()));
  BOOST_TEST(taken->takeover);
  BOOST_TEST(taken->attempt == 2);
}

// The run uses the request the claim read instead of reading it again: it must be the
// request as stored once the claim committed, identities and all.
BOOST_FIXTURE_TEST_CASE(a_claim_by_id_hands_over_the_request_as_stored, Fixture) {
  SubmitInput input;
  input.type = RequestType::access;
  input.identities = {{"email", "jane.doe@example.com"}, {"telegram_id", "100000001"}};
  input.identities_proven = true;
  input.received_at = *parse_utc("2026-02-20T00:00:00Z");
  auto submitted = service.submit(input);
  BOOST_REQUIRE_MESSAGE(submitted.ok(), (submitted.ok() ? "" : submitted.error()));
  const std::string id = submitted->id;
  BOOST_REQUIRE(service.approve(id, "olga", "").ok());
  const auto same_as_stored = [&](const Request& handed) {
    auto stored = service.get(id);
    BOOST_REQUIRE(stored.ok());
    BOOST_TEST(handed.id == stored->id);
    BOOST_TEST(handed.type == stored->type);
    BOOST_TEST(handed.status == stored->status);
    BOOST_TEST(handed.status == RequestStatus::running);
    BOOST_TEST(handed.subject == stored->subject);
    BOOST_TEST((handed.received_at == stored->received_at));
    BOOST_TEST(handed.status_reason == stored->status_reason);
    BOOST_REQUIRE_EQUAL(handed.identities.size(), 2u);
    BOOST_REQUIRE_EQUAL(handed.identities.size(), stored->identities.size());
    for (std::size_t i = 0; i < handed.identities.size(); ++i) {
      BOOST_TEST(handed.identities[i].kind == stored->identities[i].kind);
      BOOST_TEST(handed.identities[i].value == stored->identities[i].value);
      BOOST_TEST(handed.identities[i].pseudonym == stored->identities[i].pseudonym);
      BOOST_TEST(handed.identities[i].proven);
    }
  };

  WorkerIdentity elsewhere = worker("worker:elsewhere");
  elsewhere.host = "another-host.invalid";
  WorkQueue first(*db, key, clock, elsewhere, std::chrono::seconds(60));
  Request claimed;
  auto claim = first.claim(id, kRunnable, &claimed);
  BOOST_REQUIRE_MESSAGE(claim.ok(), (claim.ok() ? "" : claim.error()));
  same_as_stored(claimed);

  // Taken over once the lease ran out: running before and after.
  clock.set(clock.now() + std::chrono::seconds(61));
  WorkQueue successor(*db, key, clock, worker("worker:successor"), std::chrono::seconds(60));
  Request taken_over;
  auto taken = successor.claim(id, kRunnable, &taken_over);
  BOOST_REQUIRE_MESSAGE(taken.ok(), (taken.ok() ? "" : taken.error()));
  BOOST_TEST(taken->takeover);
  same_as_stored(taken_over);

  // A claim that fails hands nothing over.
  Request untouched;
  BOOST_TEST(!first.claim(id, kRunnable, &untouched).ok());
  BOOST_TEST(untouched.id.empty());
  BOOST_TEST(successor.finish(*taken, RequestStatus::completed, "", nullptr).ok());
}

BOOST_FIXTURE_TEST_CASE(concurrent_workers_claim_each_request_exactly_once, Fixture) {
  std::set<std::string> ids;
  for (int i = 0; i < 40; ++i) {
    ids.insert(approved(RequestType::access, "s" + std::to_string(i) + "@example.com",
                        "2026-02-" + std::string(i % 28 < 9 ? "0" : "") + std::to_string(i % 28 + 1) + "T00:00:00Z"));
  }
  std::mutex mutex;
  std::map<std::string, int> claimed;
  std::vector<std::string> errors;
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&, w] {
      auto own_db = store.open();
      SystemClock real_clock;
      WorkQueue queue(*own_db, key, real_clock, worker("worker:t" + std::to_string(w)), std::chrono::seconds(600));
      for (;;) {
        auto claim = queue.claim_next(kRunnable);
        std::lock_guard<std::mutex> lock(mutex);
        if (!claim) {
          errors.push_back(claim.error());
          return;
        }
        if (!claim->has_value()) return;
        ++claimed[(*claim)->request_id];
      }
    });
  }
  for (auto& t : workers) t.join();
  BOOST_TEST(errors.empty(), (errors.empty() ? "" : errors.front()));
  BOOST_TEST(claimed.size() == ids.size());
  for (const auto& [id, times] : claimed) BOOST_TEST(times == 1, id << " claimed " << times << " times");
}

BOOST_FIXTURE_TEST_CASE(journal_writes_need_the_claim, Fixture) {
  const std::string id = approved(RequestType::erasure, "a@example.com", "2026-02-20T00:00:00Z");
  WorkQueue queue(*db, key, clock, worker("worker:one"), std::chrono::seconds(60));
  auto claim = queue.claim_next(kRunnable);
  BOOST_REQUIRE(claim.ok() && claim->has_value());
  BOOST_TEST(db->in_transaction([&]() -> Status {
                 if (Status s = queue.hold(**claim); !s) return s;
                 RunStepStore(*db).add_rows(id, "erase:d.c", 10, clock.now());
                 RunStepStore(*db).add_rows(id, "erase:d.c", 4, clock.now());
                 return Status::Ok();
               }).ok());
  std::optional<RunStep> step;
  BOOST_REQUIRE(db->read([&] {
                    step = RunStepStore(*db).find(id, "erase:d.c");
                    return Status::Ok();
                  }).ok());
  BOOST_REQUIRE(step.has_value());
  BOOST_TEST(step->rows == 14u);
  BOOST_TEST(step->largest_transaction == 10u);
  BOOST_TEST(!step->done);
}

#define BOOST_TEST_MODULE dsr serve : web interface and REST API
#include <boost/test/unit_test.hpp>

#include <Poco/JSON/Parser.h>
#include <Poco/Path.h>

#include <atomic>
#include <fstream>
#include <regex>
#include <sstream>

#include "dsr/app/serve_site.h"
#include "tests/support/run_dsr.h"
#include "tests/support/test_store.h"
#include "tests/web/in_process_site.h"
#include "tests/web/web_client.h"

using namespace dsr;
using test::HttpResponse;
using test::WebClient;

namespace {

constexpr const char* kPassword = "a long enough password";

// Moves only when a test says so: session idle time without waiting.
class TestClock : public Clock {
 public:
  TestClock() : seconds_(SystemClock().now().time_since_epoch().count()) {}
  TimePoint now() const override { return TimePoint(std::chrono::seconds(seconds_.load())); }
  void advance(std::chrono::minutes by) {
    seconds_ += std::chrono::duration_cast<std::chrono::seconds>(by).count();
  }

 private:
  std::atomic<long long> seconds_;
};

Poco::JSON::Object::Ptr json(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

// One installation for the whole module (officer passwords are slow Argon2id hashes),
// with its server listening on a free loopback port.
struct Installation {
  test::TestStore store;
  std::string config = Poco::Path(store.folder(), "dsr.json").toString();
  std::string log_path = Poco::Path(store.folder(), "serve.log").toString();
  std::ofstream log{log_path};
  TestClock clock;
  std::unique_ptr<cli::Site> site;
  std::map<std::string, std::string> tokens;

  Installation() {
    std::ofstream file(config);
    file << "{\"state\": ";
    if (store.engine() == StoreEngine::sqlite) {
      file << R"({"engine": "sqlite", "sqlite": "state.sqlite"})";
    } else {
      file << R"({"engine": "mysql", "mysql": ")" << store.connection().mysql_connection << "\"}";
    }
    file << R"(,
               "controller": {"name": "Test Shop Ltd", "contact": "privacy@shop.test", "supervisory_authority": "Test DPA"},
               "serve": {"erasure_two_officers": true, "batch_interval_minutes": 0, "session_idle_minutes": 30}})";
    file.close();
    auto init = dsr({"init"});
    BOOST_REQUIRE_MESSAGE(init.code == 0, init.err);
    for (const auto& [name, role] : std::vector<std::pair<std::string, std::string>>{{"olga", "officer"},
                                                                                     {"oscar", "officer"},
                                                                                     {"audrey", "auditor"},
                                                                                     {"adam", "admin"},
                                                                                     {"tina", "officer"}}) {
      auto added = dsr({"officer", "add", name, "--role", role}, std::string(kPassword) + "\n");
      BOOST_REQUIRE_MESSAGE(added.code == 0, added.err);
      auto token = dsr({"officer", "token", name});
      BOOST_REQUIRE_MESSAGE(token.code == 0, token.err);
      tokens[name] = test::trimmed(token.out);
    }
    auto opened = cli::Site::open(test::in_process_site(config, log, clock));
    BOOST_REQUIRE_MESSAGE(opened.ok(), (opened.ok() ? std::string() : opened.error()));
    site = std::move(*opened);
    Status started = site->start();
    BOOST_REQUIRE_MESSAGE(started.ok(), started.error());
  }

  test::DsrRun dsr(std::vector<std::string> args, const std::string& input = "") {
    args.insert(args.begin(), {"--config", config});
    return test::run_dsr(args, input);
  }

  std::string submit(const std::string& identity, const std::string& type = "access",
                     const std::string& officer = "") {
    std::vector<std::string> args{"submit", "--type", type, "--identity", identity, "--verified"};
    if (!officer.empty()) args.insert(args.end(), {"--officer", officer});
    auto r = dsr(args);
    BOOST_REQUIRE_MESSAGE(r.code == 0, r.err);
    return test::trimmed(r.out);
  }

  WebClient client() { return WebClient(site->port()); }

  HttpResponse api(const std::string& method, const std::string& path, const std::string& officer,
                   const std::string& body = "") {
    std::map<std::string, std::string> headers;
    if (!officer.empty()) headers["Authorization"] = "Bearer " + tokens.at(officer);
    return client().send(method, path, body, body.empty() ? "" : "application/json", headers);
  }

  std::string status_of(const std::string& id) {
    auto r = api("GET", "/api/v1/requests/" + id, "audrey");
    BOOST_REQUIRE_EQUAL(r.status, 200);
    return json(r.body)->getValue<std::string>("status");
  }

  WebClient logged_in(const std::string& name) {
    WebClient c = client();
    auto r = c.login(name, kPassword);
    BOOST_REQUIRE_EQUAL(r.status, 303);
    return c;
  }
};

Installation& installation() {
  static Installation instance;
  return instance;
}

}  // namespace

BOOST_AUTO_TEST_CASE(login_sets_a_strict_http_only_cookie_and_shows_the_queue) {
  auto& site = installation();
  const std::string id = site.submit("email=queue.person@example.com");
  WebClient c = site.client();
  BOOST_TEST(c.get("/queue").status == 303);  // not logged in: to the login page
  auto login = c.login("olga", kPassword);
  BOOST_TEST(login.status == 303);
  BOOST_TEST(login.headers["location"] == "/queue");
  bool strict = false;
  for (const auto& cookie : login.set_cookies) {
    if (cookie.rfind("dsr_session=", 0) == 0) {
      strict = cookie.find("HttpOnly") != std::string::npos &&
               cookie.find("SameSite=Strict") != std::string::npos &&
               cookie.find("Secure") == std::string::npos;  // plain HTTP here
    }
  }
  BOOST_TEST(strict);
  BOOST_TEST(c.cookies()["dsr_session"].size() == 64u);
  auto queue = c.get("/queue");
  BOOST_TEST(queue.status == 200);
  BOOST_TEST(queue.body.find("/requests/" + id) != std::string::npos);
  BOOST_TEST(queue.body.find("<svg") != std::string::npos);
  BOOST_TEST(queue.body.find("queue.person@example.com") == std::string::npos);
  BOOST_TEST(queue.headers["content-security-policy"].find("default-src 'none'") != std::string::npos);

  auto page = c.get("/requests/" + id);
  BOOST_TEST(page.status == 200);
  BOOST_TEST(page.body.find("pending_approval") != std::string::npos);
  BOOST_TEST(page.body.find("queue.person@example.com") == std::string::npos);
  BOOST_TEST(page.body.find("q***********@e******.com") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_login_form_needs_its_token) {
  auto& site = installation();
  WebClient c = site.client();
  c.get("/login");
  auto r = c.post_form("/login", {{"name", "olga"}, {"password", kPassword}});
  BOOST_TEST(r.status == 403);
  BOOST_TEST(c.cookies().count("dsr_session") == 0u);
}

BOOST_AUTO_TEST_CASE(wrong_passwords_are_throttled_per_account) {
  auto& site = installation();
  WebClient c = site.client();
  for (int i = 0; i < 5; ++i) BOOST_TEST(c.login("tina", "not the password at all").status == 401);
  // Now even the right password is refused without being checked.
  auto blocked = c.login("tina", kPassword);
  BOOST_TEST(blocked.status == 429);
  BOOST_TEST(c.cookies().count("dsr_session") == 0u);
  // Another account from the same address is not locked out by tina's failures.
  BOOST_TEST(site.client().login("oscar", kPassword).status == 303);
  // After the window the account may try again.
  site.clock.advance(std::chrono::minutes(16));
  BOOST_TEST(c.login("tina", kPassword).status == 303);
}

BOOST_AUTO_TEST_CASE(an_auditor_may_look_but_not_approve) {
  auto& site = installation();
  const std::string id = site.submit("email=auditor.case@example.com");
  WebClient c = site.logged_in("audrey");
  const std::string csrf = c.csrf_from("/requests/" + id);
  BOOST_REQUIRE(!csrf.empty());
  BOOST_TEST(c.get("/requests/" + id).body.find("id=\"approve\"") == std::string::npos);
  auto r = c.post_form("/requests/" + id + "/approve", {{"csrf", csrf}, {"reason", ""}});
  BOOST_TEST(r.status == 403);
  BOOST_TEST(site.status_of(id) == "pending_approval");
  auto api = site.api("POST", "/api/v1/requests/" + id + "/approve", "audrey", "{}");
  BOOST_TEST(api.status == 403);
  BOOST_TEST(json(api.body)->getObject("error")->getValue<std::string>("code") == "forbidden");
  BOOST_TEST(site.status_of(id) == "pending_approval");
  // Only admins manage officers.
  BOOST_TEST(c.get("/officers").status == 403);
}

BOOST_AUTO_TEST_CASE(state_changing_forms_need_the_sessions_csrf_token) {
  auto& site = installation();
  const std::string id = site.submit("email=csrf.case@example.com");
  WebClient c = site.logged_in("olga");
  BOOST_TEST(c.post_form("/requests/" + id + "/approve", {{"reason", "ok"}}).status == 403);
  BOOST_TEST(c.post_form("/requests/" + id + "/approve", {{"csrf", std::string(64, 'a')}, {"reason", "ok"}})
                 .status == 403);
  // Another session's token is not this session's.
  WebClient other = site.logged_in("oscar");
  const std::string foreign = other.csrf_from("/queue");
  BOOST_TEST(c.post_form("/requests/" + id + "/approve", {{"csrf", foreign}, {"reason", "ok"}}).status ==
             403);
  BOOST_TEST(site.status_of(id) == "pending_approval");

  const std::string csrf = c.csrf_from("/requests/" + id);
  auto done = c.post_form("/requests/" + id + "/approve", {{"csrf", csrf}, {"reason", "identity proven"}});
  BOOST_TEST(done.status == 303);
  BOOST_TEST(done.headers["location"] == "/requests/" + id + "?done=approved");
  BOOST_TEST(site.status_of(id) == "approved");
  BOOST_TEST(c.get(done.headers["location"]).body.find("Approved.") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_session_ends_after_the_idle_timeout) {
  auto& site = installation();
  WebClient c = site.logged_in("olga");
  site.clock.advance(std::chrono::minutes(20));
  BOOST_TEST(c.get("/queue").status == 200);  // used within 30 minutes: still alive, and renewed
  site.clock.advance(std::chrono::minutes(20));
  BOOST_TEST(c.get("/queue").status == 200);
  site.clock.advance(std::chrono::minutes(31));
  auto expired = c.get("/queue");
  BOOST_TEST(expired.status == 303);
  BOOST_TEST(expired.headers["location"] == "/login");
}

BOOST_AUTO_TEST_CASE(logout_ends_the_session) {
  auto& site = installation();
  WebClient c = site.logged_in("oscar");
  const std::string session = c.cookies()["dsr_session"];
  BOOST_TEST(c.post_form("/logout", {{"csrf", c.csrf_from("/queue")}}).status == 303);
  WebClient replay = site.client();
  replay.cookies()["dsr_session"] = session;
  BOOST_TEST(replay.get("/queue").status == 303);
}

BOOST_AUTO_TEST_CASE(the_api_needs_a_valid_bearer_token) {
  auto& site = installation();
  const std::string id = site.submit("email=api.case@example.com");
  auto missing = site.api("GET", "/api/v1/requests", "");
  BOOST_TEST(missing.status == 401);
  BOOST_TEST(missing.headers["www-authenticate"] == "Bearer");
  auto wrong = site.client().send("GET", "/api/v1/requests/" + id, "", "",
                                  {{"Authorization", "Bearer dsr_" + std::string(64, '0')}});
  BOOST_TEST(wrong.status == 401);
  BOOST_TEST(json(wrong.body)->getObject("error")->getValue<std::string>("code") == "unauthenticated");
  // A session cookie is not a bearer token.
  WebClient c = site.logged_in("olga");
  BOOST_TEST(c.get("/api/v1/requests").status == 401);

  auto one = site.api("GET", "/api/v1/requests/" + id, "olga");
  BOOST_TEST(one.status == 200);
  BOOST_TEST(one.body.find("api.case@example.com") == std::string::npos);
  auto request = json(one.body);
  BOOST_TEST(request->getValue<std::string>("status") == "pending_approval");
  BOOST_TEST(request->getArray("identities")->getObject(0)->getValue<std::string>("masked") ==
             "a*******@e******.com");
  auto list = site.api("GET", "/api/v1/requests?status=pending_approval", "olga");
  BOOST_TEST(list.status == 200);
  BOOST_TEST(list.body.find(id) != std::string::npos);
  BOOST_TEST(site.api("GET", "/api/v1/requests?status=bogus", "olga").status == 400);
  BOOST_TEST(site.api("GET", "/api/v1/requests/not-an-id", "olga").status == 404);
  BOOST_TEST(site.api("POST", "/api/v1/requests/" + id + "/reject", "olga", "{}").status == 400);
  BOOST_TEST(site.status_of(id) == "pending_approval");
  auto rejected =
      site.api("POST", "/api/v1/requests/" + id + "/reject", "olga", R"({"reason": "not our customer"})");
  BOOST_TEST(rejected.status == 200);
  BOOST_TEST(site.status_of(id) == "rejected");
  BOOST_TEST(site.api("POST", "/api/v1/requests/" + id + "/approve", "olga", "{}").status == 409);
}

BOOST_AUTO_TEST_CASE(nobody_approves_what_they_entered) {
  auto& site = installation();
  const std::string id = site.submit("email=self.case@example.com", "access", "olga");
  auto self = site.api("POST", "/api/v1/requests/" + id + "/approve", "olga", "{}");
  BOOST_TEST(self.status == 403);
  BOOST_TEST(json(self.body)->getObject("error")->getValue<std::string>("code") == "self_approval");
  WebClient c = site.logged_in("olga");
  BOOST_TEST(c.post_form("/requests/" + id + "/approve", {{"csrf", c.csrf_from("/queue")}}).status == 403);
  BOOST_TEST(site.status_of(id) == "pending_approval");
  BOOST_TEST(site.api("POST", "/api/v1/requests/" + id + "/approve", "oscar", "{}").status == 200);
  BOOST_TEST(site.status_of(id) == "approved");
}

BOOST_AUTO_TEST_CASE(an_erasure_needs_two_different_officers) {
  auto& site = installation();
  const std::string id = site.submit("email=erase.me@example.com", "erasure");
  auto first = site.api("POST", "/api/v1/requests/" + id + "/approve", "olga", "{}");
  BOOST_TEST(first.status == 200);
  BOOST_TEST(site.status_of(id) == "pending_approval");
  auto again = site.api("POST", "/api/v1/requests/" + id + "/approve", "olga", "{}");
  BOOST_TEST(again.status == 409);
  BOOST_TEST(site.status_of(id) == "pending_approval");
  WebClient c = site.logged_in("oscar");
  auto second =
      c.post_form("/requests/" + id + "/approve", {{"csrf", c.csrf_from("/queue")}, {"reason", "checked"}});
  BOOST_TEST(second.status == 303);
  BOOST_TEST(site.status_of(id) == "approved");
  const std::string timeline = c.get("/requests/" + id).body;
  BOOST_TEST(timeline.find("first_approval") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_extension_is_granted_once) {
  auto& site = installation();
  const std::string id = site.submit("email=extend.case@example.com");
  auto first = site.api("POST", "/api/v1/requests/" + id + "/extend", "oscar", R"({"reason": "complex"})");
  BOOST_TEST(first.status == 200);
  BOOST_TEST(json(first.body)->getObject("request")->getValue<std::string>("extended_at").size() == 20u);
  BOOST_TEST(
      site.api("POST", "/api/v1/requests/" + id + "/extend", "oscar", R"({"reason": "again"})").status ==
      409);
}

BOOST_AUTO_TEST_CASE(an_admin_manages_officers) {
  auto& site = installation();
  WebClient admin = site.logged_in("adam");
  const std::string csrf = admin.csrf_from("/officers");
  BOOST_TEST(admin
                 .post_form("/officers",
                            {{"csrf", csrf}, {"name", "nina"}, {"role", "officer"}, {"password", kPassword}})
                 .status == 303);
  BOOST_TEST(admin.get("/officers").body.find("nina") != std::string::npos);
  WebClient nina = site.logged_in("nina");
  BOOST_TEST(nina.get("/queue").status == 200);
  BOOST_TEST(admin.post_form("/officers/nina/disable", {{"csrf", csrf}}).status == 303);
  BOOST_TEST(nina.get("/queue").status == 303);  // a disabled officer's session no longer works
  BOOST_TEST(site.client().login("nina", kPassword).status == 401);
  BOOST_TEST(
      admin.post_form("/officers", {{"name", "eve"}, {"role", "admin"}, {"password", kPassword}}).status ==
      403);
}

BOOST_AUTO_TEST_CASE(health_and_metrics) {
  auto& site = installation();
  auto health = site.client().get("/healthz");
  BOOST_TEST(health.status == 200);
  BOOST_TEST(health.body == "ok\n");
  BOOST_TEST(site.client().get("/no/such/page").status == 404);
  BOOST_TEST(site.client().send("DELETE", "/healthz", "", "").status == 405);

  auto list = json(site.api("GET", "/api/v1/requests?status=approved&type=access", "audrey").body);
  const std::size_t approved_access = list->getArray("requests")->size();
  BOOST_REQUIRE(approved_access > 0);
  auto metrics = site.client().get("/metrics");
  BOOST_TEST(metrics.status == 200);
  BOOST_TEST(metrics.headers["content-type"].find("text/plain; version=0.0.4") == 0u);
  BOOST_TEST(metrics.body.find("dsr_requests{status=\"approved\",type=\"access\"} " +
                               std::to_string(approved_access) + "\n") != std::string::npos);
  BOOST_TEST(metrics.body.find("dsr_requests_overdue 0\n") != std::string::npos);
  std::smatch unauthorised;
  BOOST_TEST(std::regex_search(metrics.body, unauthorised,
                               std::regex("dsr_http_responses_total\\{code=\"401\"\\} ([0-9]+)")));
  BOOST_TEST(std::stoi(unauthorised[1].str()) >= 2);
}

BOOST_AUTO_TEST_CASE(the_log_holds_no_personal_data) {
  auto& site = installation();
  site.client().get("/healthz");
  std::ifstream in(site.log_path);
  std::stringstream text;
  text << in.rdbuf();
  const std::string log = text.str();
  BOOST_TEST(log.find("\"event\":\"listening\"") != std::string::npos);
  BOOST_TEST(log.find("\"route\":\"/requests/{}\"") != std::string::npos);
  BOOST_TEST(log.find("example.com") == std::string::npos);
  BOOST_TEST(log.find(kPassword) == std::string::npos);
  for (const auto& [name, token] : site.tokens) BOOST_TEST(log.find(token) == std::string::npos);
  // Every line is one JSON object.
  std::istringstream lines(log);
  std::string line;
  while (std::getline(lines, line)) BOOST_TEST(json(line)->has("event"));
}

BOOST_AUTO_TEST_CASE(the_scheduler_runs_approved_requests_and_times_them) {
  auto& site = installation();
  const std::string id = site.submit("email=scheduled.case@example.com");
  BOOST_REQUIRE(site.api("POST", "/api/v1/requests/" + id + "/approve", "oscar", "{}").status == 200);
  site.site->run_jobs_once();
  // This installation has no stores: the run starts, and fails saying so (the browser
  // test runs requests against the sample store).
  BOOST_TEST(site.status_of(id) == "failed");
  BOOST_TEST(site.dsr({"show", id}).out.find("no dataset mappings configured") != std::string::npos);
  const std::string metrics = site.client().get("/metrics").body;
  BOOST_TEST(metrics.find("dsr_batch_passes_total 1\n") != std::string::npos);
  std::smatch count;
  BOOST_TEST(std::regex_search(
      metrics, count,
      std::regex("dsr_run_duration_seconds_count\\{type=\"access\",outcome=\"failed\"\\} ([0-9]+)")));
  BOOST_TEST(std::stoi(count[1].str()) >= 1);
}

BOOST_AUTO_TEST_CASE(the_audit_page_verifies_the_chain) {
  auto& site = installation();
  WebClient c = site.logged_in("audrey");
  auto page = c.get("/audit");
  BOOST_TEST(page.status == 200);
  BOOST_TEST(page.body.find("request.first_approval") != std::string::npos);
  BOOST_TEST(page.body.find("id=\"verification\"") == std::string::npos);
  auto verified = c.get("/audit?verify=1");
  BOOST_TEST(verified.status == 200);
  std::smatch entries;
  BOOST_REQUIRE(std::regex_search(verified.body, entries, std::regex("Intact: ([0-9]+) entries")));
  BOOST_TEST(std::stoi(entries[1].str()) > 10);
  BOOST_TEST(verified.body.find("example.com") == std::string::npos);
}

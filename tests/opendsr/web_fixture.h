#pragma once
// A dsr installation for the OpenDSR and download tests: a state store (the test
// engine), the demo's sample store as the one data source, a config with the
// downloads and opendsr sections, a processor key, a fixed clock, and a real Poco
// HTTP server on a free loopback port whose factory asks make_opendsr_handler and
// make_download_handler, as `dsr serve` does. Requests go through a real HTTP client.

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPServer.h>

#include <map>
#include <memory>
#include <mutex>
#include <vector>
#include <string>

#include "dsr/audit/subject_key.h"
#include "dsr/common/time.h"
#include "dsr/config/config.h"
#include "dsr/downloads/http.h"
#include "dsr/model/identity.h"
#include "dsr/opendsr/http.h"
#include "dsr/state/database.h"
#include "tests/support/test_store.h"

namespace dsr::test {

struct HttpReply {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names as sent

  Poco::JSON::Object::Ptr json() const;
  std::string header(const std::string& name) const;
};

// One HTTP/1.1 exchange with a fresh connection. `target` is a full URL or a path on `base`.
HttpReply http_call(const std::string& method, const std::string& url, const std::string& body = "",
                    const std::map<std::string, std::string>& headers = {});

class WebFixture {
 public:
  // pooled: the handlers borrow connections through lend_database, as from dsr serve's
  // pool, instead of opening one per request.
  explicit WebFixture(bool pooled = false);
  ~WebFixture();

  // http://127.0.0.1:PORT
  const std::string& base_url() const { return base_url_; }
  HttpReply call(const std::string& method, const std::string& path, const std::string& body = "",
                 const std::string& api_key = "");

  // A fresh connection to the state store.
  std::unique_ptr<Database> open_db() const;
  // Audit entries with this action.
  long long audit_count(const std::string& action) const;
  // Approves a request as the test officer and runs it with RequestRunner.
  void approve(const std::string& request_id);
  void run(const std::string& request_id);

  TestStore store;
  FixedClock clock{std::chrono::sys_days{std::chrono::year{2026} / 11 / 29} + std::chrono::hours{8}};
  SubjectKey key = SubjectKey::from_secret(std::string(64, 'a'));
  Config config;
  IdentityNormaliser identities;
  std::string processor_key_file;
  std::string public_pem;
  // Controllers "acme" and "other", both with callbacks to 127.0.0.1.
  std::string acme_key, other_key;

 private:
  bool officer_added_ = false;
  void lend(const std::function<void(Database&)>& work);
  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<Database>> idle_;
  std::unique_ptr<opendsr::HttpContext> opendsr_context_;
  std::unique_ptr<downloads::HttpContext> downloads_context_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  std::string base_url_;
};

// The sample store's known subject as an OpenDSR request body.
std::string request_body(const std::string& subject_request_id, const std::string& type = "access",
                         const std::string& callback_url = "");

}  // namespace dsr::test

#define BOOST_TEST_MODULE OpenDSR status callbacks
#include <boost/test/unit_test.hpp>

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <mutex>
#include <vector>

#include "dsr/opendsr/callbacks.h"
#include "dsr/opendsr/processor_key.h"
#include "tests/opendsr/web_fixture.h"

using namespace dsr;

namespace {

constexpr const char* kId = "0f8e2c1a-3b4d-4e5f-8a9b-0c1d2e3f4a5b";

struct Received {
  std::string method, path, signature, processor_domain, content_type, body;
};

// The controller's side: records each callback, answers 500 while told to fail.
class Endpoint {
 public:
  Endpoint() {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    url_ = "http://127.0.0.1:" + std::to_string(socket.address().port()) + "/opendsr/status";
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket, new Poco::Net::HTTPServerParams);
    server_->start();
  }
  ~Endpoint() { server_->stopAll(true); }

  const std::string& url() const { return url_; }
  std::vector<Received> received() {
    std::lock_guard lock(mutex_);
    return received_;
  }
  std::atomic<int> failures_to_give{0};

 private:
  class Handler : public Poco::Net::HTTPRequestHandler {
   public:
    explicit Handler(Endpoint& endpoint) : endpoint_(endpoint) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
      Received r;
      r.method = request.getMethod();
      r.path = request.getURI();
      r.signature = request.get("X-OpenDSR-Signature", "");
      r.processor_domain = request.get("X-OpenDSR-Processor-Domain", "");
      r.content_type = request.getContentType();
      Poco::StreamCopier::copyToString(request.stream(), r.body);
      {
        std::lock_guard lock(endpoint_.mutex_);
        endpoint_.received_.push_back(r);
      }
      const bool fail = endpoint_.failures_to_give.fetch_sub(1) > 0;
      response.setStatus(fail ? Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR : Poco::Net::HTTPResponse::HTTP_OK);
      response.setContentLength(0);
      response.send();
    }

   private:
    Endpoint& endpoint_;
  };
  class Factory : public Poco::Net::HTTPRequestHandlerFactory {
   public:
    explicit Factory(Endpoint& endpoint) : endpoint_(endpoint) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
      return new Handler(endpoint_);
    }

   private:
    Endpoint& endpoint_;
  };

  std::mutex mutex_;
  std::vector<Received> received_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  std::string url_;
};

Poco::JSON::Object::Ptr parse(const std::string& body) {
  Poco::JSON::Parser parser;
  return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
}

struct Fixture : test::WebFixture {
  Fixture() : test::WebFixture(true) {}
  Endpoint endpoint;

  opendsr::CallbackReport deliver() {
    auto db = open_db();
    auto report = opendsr::deliver_pending_callbacks({*db, key, clock, config, identities});
    BOOST_REQUIRE_MESSAGE(report.ok(), (report.ok() ? "" : report.error()));
    return *report;
  }

  std::string request_id() {
    auto db = open_db();
    std::string id;
    const std::string subject_request_id = kId;
    db->session() << "SELECT request_id FROM opendsr_requests WHERE subject_request_id = :s", soci::into(id),
        soci::use(subject_request_id);
    return id;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(each_status_change_is_posted_once_signed_with_the_processor_key, Fixture) {
  auto created = call("POST", "/opendsr/v1/requests", test::request_body(kId, "access", endpoint.url()), acme_key);
  BOOST_TEST_REQUIRE(created.status == 201, created.body);

  // Pending is what the controller already knows from the receipt: nothing to send.
  BOOST_TEST(deliver().attempted == 0u);
  BOOST_TEST(endpoint.received().empty());

  approve(request_id());
  auto report = deliver();
  BOOST_TEST(report.attempted == 1u);
  BOOST_TEST(report.delivered == 1u);
  auto received = endpoint.received();
  BOOST_REQUIRE(received.size() == 1u);
  const Received& first = received[0];
  BOOST_TEST(first.method == "POST");
  BOOST_TEST(first.path == "/opendsr/status");
  BOOST_TEST(first.processor_domain == "dsr.test");
  BOOST_TEST(first.content_type == "application/json");
  auto body = parse(first.body);
  BOOST_TEST(body->getValue<std::string>("request_status") == "in_progress");
  BOOST_TEST(body->getValue<std::string>("subject_request_id") == kId);
  BOOST_TEST(body->getValue<std::string>("controller_id") == "acme");
  BOOST_TEST(body->getValue<std::string>("status_callback_url") == endpoint.url());

  // The controller checks the signature with the certificate from discovery.
  const std::string certificate_url =
      call("GET", "/opendsr/v1/discovery").json()->getValue<std::string>("processor_certificate");
  const std::string certificate = test::http_call("GET", certificate_url).body;
  BOOST_TEST(opendsr::verify_signature(certificate, first.body, first.signature));
  std::string tampered = first.body;
  tampered.replace(tampered.find("in_progress"), 11, "completed\"x");
  BOOST_TEST(!opendsr::verify_signature(certificate, tampered, first.signature));
  std::string flipped = first.body;
  flipped.back() = flipped.back() == '}' ? ' ' : '}';
  BOOST_TEST(!opendsr::verify_signature(certificate, flipped, first.signature));
  std::cout << "verified callback (signature checked with " << certificate_url << "):\n"
            << "POST " << first.path << " HTTP/1.1\n"
            << "Content-Type: " << first.content_type << "\n"
            << "X-OpenDSR-Processor-Domain: " << first.processor_domain << "\n"
            << "X-OpenDSR-Signature: " << first.signature << "\n\n"
            << first.body << "\n"
            << "tampered body verifies: " << std::boolalpha
            << opendsr::verify_signature(certificate, tampered, first.signature) << "\n";
  // For a check outside this code: openssl dgst -sha256 -verify processor.pub.pem
  //   -signature <(base64 -d callback.sig) callback.json
  if (const char* dump = std::getenv("DSR_CALLBACK_DUMP")) {
    std::ofstream(std::string(dump) + "/callback.json", std::ios::binary) << first.body;
    std::ofstream(std::string(dump) + "/callback.sig") << first.signature << "\n";
    std::ofstream(std::string(dump) + "/processor.pub.pem") << certificate;
  }

  // Nothing new, nothing sent.
  BOOST_TEST(deliver().attempted == 0u);

  run(request_id());
  BOOST_TEST(deliver().delivered == 1u);
  received = endpoint.received();
  BOOST_REQUIRE(received.size() == 2u);
  auto completed = parse(received[1].body);
  BOOST_TEST(completed->getValue<std::string>("request_status") == "completed");
  BOOST_TEST(completed->getValue<std::string>("results_url").starts_with(base_url() + "/download/"));
  BOOST_TEST(opendsr::verify_signature(certificate, received[1].body, received[1].signature));
  BOOST_TEST(test::http_call("GET", completed->getValue<std::string>("results_url")).status == 200);
  BOOST_TEST(deliver().attempted == 0u);
}

BOOST_FIXTURE_TEST_CASE(a_failed_callback_is_kept_and_retried_after_the_delay, Fixture) {
  BOOST_TEST_REQUIRE(
      call("POST", "/opendsr/v1/requests", test::request_body(kId, "access", endpoint.url()), acme_key).status == 201);
  BOOST_TEST(call("DELETE", std::string("/opendsr/v1/requests/") + kId, "", acme_key).status == 202);

  endpoint.failures_to_give = 2;
  auto report = deliver();
  BOOST_TEST(report.attempted == 1u);
  BOOST_TEST(report.failed == 1u);
  // Not yet due again: the outbox waits the configured 5 minutes.
  BOOST_TEST(deliver().attempted == 0u);
  clock.set(clock.now() + std::chrono::minutes{5});
  BOOST_TEST(deliver().failed == 1u);
  // The second failure doubles the wait.
  clock.set(clock.now() + std::chrono::minutes{5});
  BOOST_TEST(deliver().attempted == 0u);
  clock.set(clock.now() + std::chrono::minutes{5});
  // A restart changes nothing: the state is in the store, read afresh by each pass.
  report = deliver();
  BOOST_TEST(report.delivered == 1u);
  auto received = endpoint.received();
  BOOST_REQUIRE(received.size() == 3u);
  for (const auto& r : received) {
    BOOST_TEST(parse(r.body)->getValue<std::string>("request_status") == "cancelled");
    BOOST_TEST(opendsr::verify_signature(public_pem, r.body, r.signature));
  }
  BOOST_TEST(deliver().attempted == 0u);
}

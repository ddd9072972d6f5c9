#include "tests/opendsr/web_fixture.h"

#include <Poco/File.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <fstream>
#include <sys/stat.h>
#include <stdexcept>

#include "connectors/core/registry.h"
#include "dsr/audit/audit_log.h"
#include "dsr/demo/sample_store.h"
#include "dsr/opendsr/controllers.h"
#include "dsr/opendsr/processor_key.h"
#include "dsr/requests/officer_service.h"
#include "dsr/requests/request_service.h"
#include "dsr/run/request_runner.h"

namespace dsr::test {

namespace {

void require(const Status& status, const std::string& what) {
  if (!status) throw std::runtime_error(what + ": " + status.error());
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error(path + ": cannot write");
}

class NotFound : public Poco::Net::HTTPRequestHandler {
 public:
  void handleRequest(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& response) override {
    response.setStatus(Poco::Net::HTTPResponse::HTTP_NOT_FOUND);
    response.setContentLength(0);
    response.send();
  }
};

// The same order `dsr serve` asks: OpenDSR, then downloads, then the rest.
class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Factory(const opendsr::HttpContext& o, const downloads::HttpContext& d) : opendsr_(o), downloads_(d) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override {
    if (auto handler = opendsr::make_opendsr_handler(request, opendsr_)) return handler.release();
    if (auto handler = downloads::make_download_handler(request, downloads_)) return handler.release();
    return new NotFound;
  }

 private:
  const opendsr::HttpContext& opendsr_;
  const downloads::HttpContext& downloads_;
};

std::string config_text(const TestStore& store) {
  Poco::JSON::Object::Ptr state = new Poco::JSON::Object;
  if (store.engine() == StoreEngine::sqlite) {
    state->set("engine", std::string("sqlite"));
    state->set("sqlite", store.connection().sqlite_path);
  } else {
    state->set("engine", std::string("mysql"));
    state->set("mysql", store.connection().mysql_connection);
  }
  std::ostringstream state_text;
  state->stringify(state_text);
  return R"({
  "state": )" + state_text.str() + R"(,
  "key_file": "dsr.key",
  "export_dir": "exports",
  "regulation": "gdpr",
  "controller": {"name": "Example Marketing GmbH", "contact": "privacy@example.com",
                 "supervisory_authority": "Example DPA"},
  "connectors": [{"name": "marketing_db", "kind": "sqlite", "path": "marketing.sqlite"}],
  "mappings": ["marketing.json"],
  "downloads": {"base_url": "http://127.0.0.1:0", "expiry_days": 7},
  "opendsr": {"base_url": "http://127.0.0.1:0", "processor_domain": "dsr.test", "private_key_file": "processor.pem",
              "allow_http_callbacks": true, "callback_retry_minutes": 5}
})";
}

}  // namespace

Poco::JSON::Object::Ptr HttpReply::json() const {
  Poco::JSON::Parser parser;
  return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
}

std::string HttpReply::header(const std::string& name) const {
  for (const auto& [key, value] : headers) {
    if (Poco::icompare(key, name) == 0) return value;
  }
  return "";
}

HttpReply http_call(const std::string& method, const std::string& url, const std::string& body,
                    const std::map<std::string, std::string>& headers) {
  const Poco::URI uri(url);
  Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
  session.setTimeout(Poco::Timespan(30, 0));
  Poco::Net::HTTPRequest request(method, uri.getPathAndQuery(), Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [name, value] : headers) request.set(name, value);
  if (!body.empty() || method == "POST") {
    request.setContentType("application/json");
    request.setContentLength(static_cast<std::streamsize>(body.size()));
  }
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  HttpReply reply;
  reply.status = static_cast<int>(response.getStatus());
  Poco::StreamCopier::copyToString(in, reply.body);
  for (const auto& [name, value] : response) reply.headers[name] = value;
  return reply;
}

WebFixture::WebFixture(bool pooled) {
  const std::string dir = store.folder();
  auto db = store.open_initialised();
  require(AuditLog(*db, key, clock).initialise(), "audit head");
  SampleOptions sample;
  sample.subjects = 50;
  require(create_sample_sqlite(dir + "/marketing.sqlite", sample), "sample store");
  write_file(dir + "/marketing.json", sample_mapping_json("marketing_db"));
  Poco::File(dir + "/exports").createDirectories();
  processor_key_file = dir + "/processor.pem";
  // One RSA key per test process: generating one per test case costs more than the case.
  static const std::string private_pem = [&] {
    const std::string first = dir + "/first-processor.pem";
    require(opendsr::create_processor_key(first), "processor key");
    std::ifstream in(first);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }();
  {
    std::ofstream out(processor_key_file, std::ios::binary);
    out << private_pem;
  }
  ::chmod(processor_key_file.c_str(), 0600);
  auto loaded_key = opendsr::ProcessorKey::load(processor_key_file);
  require(loaded_key ? Status::Ok() : loaded_key.take_error(), "processor key");
  public_pem = loaded_key->public_pem();

  // The server's port is known only once it listens; the config names it after that.
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  base_url_ = "http://127.0.0.1:" + std::to_string(socket.address().port());
  std::string text = config_text(store);
  for (auto pos = text.find("http://127.0.0.1:0"); pos != std::string::npos; pos = text.find("http://127.0.0.1:0")) {
    text.replace(pos, 18, base_url_);
  }
  auto parsed = parse_config(text, dir + "/dsr.json");
  if (!parsed) throw std::runtime_error(parsed.error());
  config = *parsed;
  identities = IdentityNormaliser(config.identities);

  auto added = opendsr::add_controller(*db, key, clock, "acme", "127.0.0.1", "test");
  require(added ? Status::Ok() : added.take_error(), "controller acme");
  acme_key = *added;
  added = opendsr::add_controller(*db, key, clock, "other", "127.0.0.1", "test");
  require(added ? Status::Ok() : added.take_error(), "controller other");
  other_key = *added;

  const auto open = [this]() -> Result<std::unique_ptr<Database>> { return store.open(); };
  opendsr_context_.reset(new opendsr::HttpContext{config, open, key, clock, identities});
  downloads_context_.reset(new downloads::HttpContext{config, open, key, clock});
  if (pooled) {
    const auto lend = [this](const std::function<void(Database&)>& work) { this->lend(work); };
    opendsr_context_->lend_database = lend;
    downloads_context_->lend_database = lend;
  }
  Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(4);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*opendsr_context_, *downloads_context_), socket, params);
  server_->start();
}

void WebFixture::lend(const std::function<void(Database&)>& work) {
  std::unique_ptr<Database> db;
  {
    std::lock_guard lock(pool_mutex_);
    if (!idle_.empty()) {
      db = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!db) db = store.open();
  work(*db);
  std::lock_guard lock(pool_mutex_);
  idle_.push_back(std::move(db));
}

WebFixture::~WebFixture() {
  if (server_) server_->stopAll(true);
}

HttpReply WebFixture::call(const std::string& method, const std::string& path, const std::string& body,
                           const std::string& api_key) {
  std::map<std::string, std::string> headers;
  if (!api_key.empty()) headers["Authorization"] = "Bearer " + api_key;
  return http_call(method, base_url_ + path, body, headers);
}

std::unique_ptr<Database> WebFixture::open_db() const { return store.open(); }

long long WebFixture::audit_count(const std::string& action) const {
  auto db = open_db();
  long long count = 0;
  db->session() << "SELECT COUNT(*) FROM audit_entries WHERE action = :a", soci::into(count), soci::use(action);
  return count;
}

void WebFixture::approve(const std::string& request_id) {
  auto db = open_db();
  // Added on first use: hashing its password (Argon2id) is the slowest part of a set-up.
  if (!officer_added_) {
    require(OfficerService(*db, key, clock).add("olivia", OfficerRole::officer, "correct horse battery", "test"),
            "officer");
    officer_added_ = true;
  }
  require(RequestService(*db, key, clock).approve(request_id, "olivia", ""), "approve");
}

void WebFixture::run(const std::string& request_id) {
  auto db = open_db();
  ConnectorRegistry registry;
  register_builtin_connectors(registry);
  WorkerIdentity worker = this_worker();
  worker.name = "worker:test";
  RequestRunner runner({config, *db, key, clock, registry, identities, worker, "test"});
  auto outcome = runner.run(request_id);
  require(outcome ? Status::Ok() : outcome.take_error(), "run");
  if (outcome->status != RequestStatus::completed) throw std::runtime_error("run failed: " + outcome->failure);
}

std::string request_body(const std::string& subject_request_id, const std::string& type,
                         const std::string& callback_url) {
  const KnownSubject subject;
  std::string body = R"({"subject_request_id": ")" + subject_request_id + R"(", "subject_request_type": ")" + type +
                     R"(", "submitted_time": "2026-11-28T10:00:00Z", "api_version": "1.0", "subject_identities": [)"
                     R"({"identity_type": "email", "identity_value": ")" + subject.email +
                     R"(", "identity_format": "raw"}, {"identity_type": "telegram_id", "identity_value": ")" +
                     std::to_string(subject.telegram_id) + R"(", "identity_format": "raw"}])";
  if (!callback_url.empty()) body += R"(, "status_callback_urls": [")" + callback_url + R"("])";
  return body + "}";
}

}  // namespace dsr::test

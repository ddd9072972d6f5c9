#define BOOST_TEST_MODULE OpenDSR v1 and downloads over HTTP
#include <boost/test/unit_test.hpp>

#include <Poco/Base64Decoder.h>
#include <Poco/JSON/Array.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <latch>
#include <sstream>
#include <thread>
#include <vector>

#include "dsr/downloads/links.h"
#include "dsr/opendsr/processor_key.h"
#include "dsr/state/request_store.h"
#include "tests/opendsr/web_fixture.h"

using namespace dsr;
using test::WebFixture;

namespace {

constexpr const char* kId1 = "0f8e2c1a-3b4d-4e5f-8a9b-0c1d2e3f4a5b";
constexpr const char* kId2 = "1a2b3c4d-5e6f-4a0b-9c1d-2e3f4a5b6c7d";
constexpr const char* kId3 = "2b3c4d5e-6f7a-4b1c-8d2e-3f4a5b6c7d8e";

std::string base64_decode(const std::string& text) {
  std::istringstream in(text);
  Poco::Base64Decoder decoder(in);
  return std::string((std::istreambuf_iterator<char>(decoder)), std::istreambuf_iterator<char>());
}

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The error shape every OpenDSR failure must have.
void check_error_shape(const test::HttpReply& reply, int code) {
  BOOST_TEST(reply.status == code);
  BOOST_TEST(reply.header("Content-Type").starts_with("application/json"));
  auto error = reply.json()->getObject("error");
  BOOST_REQUIRE(error);
  BOOST_TEST(error->getValue<int>("code") == code);
  BOOST_TEST(!error->getValue<std::string>("message").empty());
  auto errors = error->getArray("errors");
  BOOST_REQUIRE(errors);
  BOOST_TEST(errors->size() >= 1u);
  BOOST_TEST(!errors->getObject(0)->getValue<std::string>("reason").empty());
}

std::string request_id_of(WebFixture& f, const std::string& controller, const std::string& subject_request_id) {
  auto db = f.open_db();
  std::string id;
  db->session() << "SELECT request_id FROM opendsr_requests WHERE controller_id = :c AND subject_request_id = :s",
      soci::into(id), soci::use(controller), soci::use(subject_request_id);
  return id;
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(discovery_lists_what_dsr_accepts_and_the_certificate_url, WebFixture) {
  auto reply = call("GET", "/opendsr/v1/discovery");
  BOOST_TEST(reply.status == 200);
  auto body = reply.json();
  BOOST_TEST(body->getValue<std::string>("api_version") == "1.0");
  auto types = body->getArray("supported_subject_request_types");
  BOOST_TEST(types->size() == 3u);
  BOOST_TEST(types->getElement<std::string>(0) == "access");
  bool email_raw = false;
  auto identities = body->getArray("supported_identities");
  for (unsigned i = 0; i < identities->size(); ++i) {
    auto entry = identities->getObject(i);
    email_raw |= entry->getValue<std::string>("identity_type") == "email" &&
                 entry->getValue<std::string>("identity_format") == "raw";
  }
  BOOST_TEST(email_raw);
  const std::string certificate_url = body->getValue<std::string>("processor_certificate");
  BOOST_TEST(certificate_url == base_url() + "/opendsr/v1/processor-certificate.pem");
  auto certificate = test::http_call("GET", certificate_url);
  BOOST_TEST(certificate.status == 200);
  BOOST_TEST(certificate.body == public_pem);
  BOOST_TEST(certificate.body.starts_with("-----BEGIN PUBLIC KEY-----"));
}

BOOST_FIXTURE_TEST_CASE(a_valid_request_is_accepted_with_a_signed_receipt, WebFixture) {
  const std::string body = test::request_body(kId1);
  auto reply = call("POST", "/opendsr/v1/requests", body, acme_key);
  BOOST_TEST_REQUIRE(reply.status == 201, reply.body);
  auto receipt = reply.json();
  BOOST_TEST(receipt->getValue<std::string>("controller_id") == "acme");
  BOOST_TEST(receipt->getValue<std::string>("subject_request_id") == kId1);
  // Deadlines count from the person's request (submitted_time), one month under the GDPR.
  BOOST_TEST(receipt->getValue<std::string>("expected_completion_time") == "2026-12-28T10:00:00Z");
  BOOST_TEST(receipt->getValue<std::string>("received_time") == format_utc(clock.now()));
  BOOST_TEST(base64_decode(receipt->getValue<std::string>("encoded_request")) == body);
  BOOST_TEST(reply.header("X-OpenDSR-Processor-Domain") == "dsr.test");
  BOOST_TEST(opendsr::verify_signature(public_pem, reply.body, reply.header("X-OpenDSR-Signature")));

  // A dsr request, entered through the opendsr channel, waiting for an officer.
  auto db = open_db();
  auto stored = RequestStore(*db).find(request_id_of(*this, "acme", kId1));
  BOOST_REQUIRE(stored);
  BOOST_TEST(stored->channel == "opendsr");
  BOOST_TEST(stored->status == RequestStatus::pending_approval);
  BOOST_TEST(stored->identities.size() == 2u);

  auto status = call("GET", std::string("/opendsr/v1/requests/") + kId1, "", acme_key);
  BOOST_TEST(status.status == 200);
  BOOST_TEST(status.json()->getValue<std::string>("request_status") == "pending");
  BOOST_TEST(!status.json()->has("results_url"));

  // The same id again is a conflict, not a second request.
  check_error_shape(call("POST", "/opendsr/v1/requests", body, acme_key), 409);
}

BOOST_FIXTURE_TEST_CASE(missing_or_wrong_api_keys_are_refused_in_opendsr_shape, WebFixture) {
  const std::string body = test::request_body(kId1);
  auto missing = call("POST", "/opendsr/v1/requests", body);
  check_error_shape(missing, 401);
  BOOST_TEST(missing.header("WWW-Authenticate").starts_with("Bearer"));
  std::string wrong = acme_key;
  wrong[0] = wrong[0] == 'a' ? 'b' : 'a';
  check_error_shape(call("POST", "/opendsr/v1/requests", body, wrong), 401);
  check_error_shape(call("GET", std::string("/opendsr/v1/requests/") + kId1, "", "not-a-key"), 401);
  BOOST_TEST(request_id_of(*this, "acme", kId1).empty());
}

BOOST_FIXTURE_TEST_CASE(bad_requests_name_the_place, WebFixture) {
  auto not_json = call("POST", "/opendsr/v1/requests", "{\"subject_request_id\": ", acme_key);
  check_error_shape(not_json, 400);

  std::string body = test::request_body(kId1);
  body.replace(body.find("\"access\""), 8, "\"gossip\"");
  auto bad_type = call("POST", "/opendsr/v1/requests", body, acme_key);
  check_error_shape(bad_type, 400);
  BOOST_TEST(bad_type.body.find("/subject_request_type") != std::string::npos);

  body = test::request_body(kId1);
  body.replace(body.find("\"raw\""), 5, "\"md5\"");
  auto hashed = call("POST", "/opendsr/v1/requests", body, acme_key);
  check_error_shape(hashed, 400);
  BOOST_TEST(hashed.body.find("/subject_identities/0/identity_format") != std::string::npos);

  check_error_shape(call("POST", "/opendsr/v1/requests", std::string(70 * 1024, ' '), acme_key), 413);
  check_error_shape(call("PUT", "/opendsr/v1/requests", "", acme_key), 405);
  check_error_shape(call("GET", "/opendsr/v1/nothing-here", "", acme_key), 404);

  auto foreign_callback = call("POST", "/opendsr/v1/requests",
                               test::request_body(kId1, "access", "http://evil.example/cb"), acme_key);
  check_error_shape(foreign_callback, 400);
  BOOST_TEST(foreign_callback.body.find("/status_callback_urls/0") != std::string::npos);
  BOOST_TEST(request_id_of(*this, "acme", kId1).empty());
}

BOOST_FIXTURE_TEST_CASE(another_controllers_request_is_not_found, WebFixture) {
  BOOST_TEST_REQUIRE(call("POST", "/opendsr/v1/requests", test::request_body(kId1), acme_key).status == 201);
  const std::string path = std::string("/opendsr/v1/requests/") + kId1;
  check_error_shape(call("GET", path, "", other_key), 404);
  check_error_shape(call("DELETE", path, "", other_key), 404);
  // Unknown to everyone looks the same.
  check_error_shape(call("GET", std::string("/opendsr/v1/requests/") + kId2, "", acme_key), 404);
  BOOST_TEST(call("GET", path, "", acme_key).json()->getValue<std::string>("request_status") == "pending");
}

BOOST_FIXTURE_TEST_CASE(delete_cancels_while_pending_and_is_refused_after_approval, WebFixture) {
  BOOST_TEST_REQUIRE(call("POST", "/opendsr/v1/requests", test::request_body(kId1), acme_key).status == 201);
  BOOST_TEST_REQUIRE(call("POST", "/opendsr/v1/requests", test::request_body(kId2, "erasure"), acme_key).status == 201);

  auto cancelled = call("DELETE", std::string("/opendsr/v1/requests/") + kId1, "", acme_key);
  BOOST_TEST(cancelled.status == 202);
  BOOST_TEST(cancelled.json()->getValue<std::string>("request_status") == "cancelled");
  auto db = open_db();
  BOOST_TEST(RequestStore(*db).find(request_id_of(*this, "acme", kId1))->status == RequestStatus::cancelled);

  approve(request_id_of(*this, "acme", kId2));
  auto refused = call("DELETE", std::string("/opendsr/v1/requests/") + kId2, "", acme_key);
  check_error_shape(refused, 409);
  BOOST_TEST(call("GET", std::string("/opendsr/v1/requests/") + kId2, "", acme_key)
                 .json()
                 ->getValue<std::string>("request_status") == "in_progress");
  BOOST_TEST(RequestStore(*db).find(request_id_of(*this, "acme", kId2))->status == RequestStatus::approved);
}

BOOST_FIXTURE_TEST_CASE(a_completed_request_has_a_results_url_that_downloads_the_zip, WebFixture) {
  BOOST_TEST_REQUIRE(call("POST", "/opendsr/v1/requests", test::request_body(kId1), acme_key).status == 201);
  const std::string request_id = request_id_of(*this, "acme", kId1);
  approve(request_id);
  run(request_id);

  const std::string path = std::string("/opendsr/v1/requests/") + kId1;
  auto status = call("GET", path, "", acme_key);
  BOOST_TEST_REQUIRE(status.status == 200);
  auto document = status.json();
  BOOST_TEST(document->getValue<std::string>("request_status") == "completed");
  BOOST_REQUIRE(document->has("results_url"));
  const std::string results_url = document->getValue<std::string>("results_url");
  BOOST_TEST(results_url.starts_with(base_url() + "/download/"));
  BOOST_TEST(results_url.size() == (base_url() + "/download/").size() + 64);
  // Asked again, the same link: no second token.
  BOOST_TEST(call("GET", path, "", acme_key).json()->getValue<std::string>("results_url") == results_url);
  // The database holds the token's hash, never the token.
  const std::string token = results_url.substr(results_url.rfind('/') + 1);
  {
    auto db = open_db();
    long long with_token = 0, with_hash = 0;
    db->session() << "SELECT COUNT(*) FROM download_links WHERE token_hash = :t OR link_id = :u", soci::into(with_token),
        soci::use(token), soci::use(token);
    const std::string hash = downloads::token_hash(token);
    db->session() << "SELECT COUNT(*) FROM download_links WHERE token_hash = :h", soci::into(with_hash), soci::use(hash);
    BOOST_TEST(with_token == 0);
    BOOST_TEST(with_hash == 1);
  }

  const long long served_before = audit_count("download.served");
  auto download = test::http_call("GET", results_url);
  BOOST_TEST(download.status == 200);
  BOOST_TEST(download.header("Content-Type") == "application/zip");
  BOOST_TEST(download.body.starts_with("PK"));
  BOOST_TEST(download.body == file_bytes(downloads::export_file(config, request_id)));
  BOOST_TEST(audit_count("download.served") == served_before + 1);
  BOOST_TEST(test::http_call("GET", results_url).status == 200);
  BOOST_TEST(audit_count("download.served") == served_before + 2);

  // A week later the link is gone, and the refusal is audited too.
  clock.set(add_days(clock.now(), 8));
  const long long refused_before = audit_count("download.refused");
  auto expired = test::http_call("GET", results_url);
  BOOST_TEST(expired.status == 410);
  BOOST_TEST(audit_count("download.refused") == refused_before + 1);
  BOOST_TEST(audit_count("download.served") == served_before + 2);
  // The status call then makes a fresh link.
  const std::string fresh = call("GET", path, "", acme_key).json()->getValue<std::string>("results_url");
  BOOST_TEST(fresh != results_url);
  BOOST_TEST(test::http_call("GET", fresh).status == 200);
}

BOOST_FIXTURE_TEST_CASE(a_single_use_link_works_once_and_unknown_tokens_are_not_found, WebFixture) {
  BOOST_TEST_REQUIRE(call("POST", "/opendsr/v1/requests", test::request_body(kId3), acme_key).status == 201);
  const std::string request_id = request_id_of(*this, "acme", kId3);
  approve(request_id);
  run(request_id);
  auto db = open_db();
  auto link = downloads::create_link(*db, key, clock, config, request_id, {std::nullopt, true});
  BOOST_TEST_REQUIRE(link.ok(), (link.ok() ? "" : link.error()));
  BOOST_TEST(link->url == base_url() + "/download/" + link->token);
  BOOST_TEST(format_utc(link->expires_at) == format_utc(add_days(clock.now(), 7)));

  const long long served = audit_count("download.served"), refused = audit_count("download.refused");
  BOOST_TEST(test::http_call("GET", link->url).status == 200);
  BOOST_TEST(test::http_call("GET", link->url).status == 410);
  BOOST_TEST(audit_count("download.served") == served + 1);
  BOOST_TEST(audit_count("download.refused") == refused + 1);

  std::string unknown = link->token;
  unknown[5] = unknown[5] == '0' ? '1' : '0';
  BOOST_TEST(call("GET", "/download/" + unknown).status == 404);
  BOOST_TEST(call("GET", "/download/not-a-token").status == 404);
  BOOST_TEST(call("POST", "/download/" + link->token).status == 405);

  // No link for a request without an export.
  BOOST_TEST(!downloads::create_link(*db, key, clock, config, "00000000-0000-4000-8000-000000000000").ok());

  // Once retention has removed the export, a live link answers 410 as well, and no new one is made.
  auto reusable = downloads::create_link(*db, key, clock, config, request_id);
  BOOST_TEST_REQUIRE(reusable.ok());
  std::remove(downloads::export_file(config, request_id).c_str());
  BOOST_TEST(test::http_call("GET", reusable->url).status == 410);
  BOOST_TEST(audit_count("download.refused") == refused + 2);
  BOOST_TEST(!downloads::create_link(*db, key, clock, config, request_id).ok());
  auto status = call("GET", std::string("/opendsr/v1/requests/") + kId3, "", acme_key).json();
  BOOST_TEST(status->getValue<std::string>("request_status") == "completed");
}

BOOST_FIXTURE_TEST_CASE(audit_entries_of_downloads_hold_no_token_and_no_identity, WebFixture) {
  BOOST_TEST_REQUIRE(call("POST", "/opendsr/v1/requests", test::request_body(kId1), acme_key).status == 201);
  const std::string request_id = request_id_of(*this, "acme", kId1);
  approve(request_id);
  run(request_id);
  const std::string url = call("GET", std::string("/opendsr/v1/requests/") + kId1, "", acme_key)
                              .json()
                              ->getValue<std::string>("results_url");
  BOOST_TEST(test::http_call("GET", url).status == 200);
  const std::string token = url.substr(url.rfind('/') + 1);
  auto db = open_db();
  soci::rowset<soci::row> rows = db->session().prepare << "SELECT detail FROM audit_entries";
  std::size_t entries = 0;
  for (const auto& row : rows) {
    const std::string detail = column_text(row, 0);
    BOOST_TEST(detail.find(token) == std::string::npos);
    BOOST_TEST(detail.find("example.com") == std::string::npos);
    BOOST_TEST(detail.find("100000001") == std::string::npos);
    ++entries;
  }
  BOOST_TEST(entries > 5u);
}

BOOST_FIXTURE_TEST_CASE(concurrent_posts_of_one_id_make_one_request, WebFixture) {
  constexpr int kClients = 4;
  std::vector<int> codes(kClients, 0);
  std::latch start(kClients);
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      start.arrive_and_wait();
      codes[static_cast<std::size_t>(i)] = call("POST", "/opendsr/v1/requests", test::request_body(kId1), acme_key).status;
    });
  }
  for (auto& client : clients) client.join();
  BOOST_TEST(std::count(codes.begin(), codes.end(), 201) == 1);
  BOOST_TEST(std::count(codes.begin(), codes.end(), 409) == kClients - 1);
  // Every dsr request made on the way but not linked is withdrawn.
  auto db = open_db();
  long long open_requests = 0;
  db->session() << "SELECT COUNT(*) FROM requests WHERE channel = 'opendsr' AND status <> 'cancelled'",
      soci::into(open_requests);
  BOOST_TEST(open_requests == 1);
  BOOST_TEST(RequestStore(*db).find(request_id_of(*this, "acme", kId1))->status == RequestStatus::pending_approval);
}

#define BOOST_TEST_MODULE OpenDSR rules
#include <boost/test/unit_test.hpp>

#include "dsr/downloads/settings.h"
#include "dsr/opendsr/api.h"
#include "dsr/opendsr/controllers.h"
#include "dsr/opendsr/rfc3339.h"
#include "dsr/opendsr/settings.h"

using namespace dsr;
using namespace dsr::opendsr;

namespace {

std::string utc(const std::string& text) {
  auto t = parse_rfc3339(text);
  return t ? format_utc(*t) : "invalid";
}

}  // namespace

BOOST_AUTO_TEST_CASE(rfc3339_times_with_offsets_and_fractions_become_utc) {
  BOOST_TEST(utc("2026-11-29T08:00:00Z") == "2026-11-29T08:00:00Z");
  BOOST_TEST(utc("2026-11-29T09:30:00.123456+01:30") == "2026-11-29T08:00:00Z");
  BOOST_TEST(utc("2026-11-28T23:00:00-09:00") == "2026-11-29T08:00:00Z");
  BOOST_TEST(utc("2028-02-29t08:00:00z") == "2028-02-29T08:00:00Z");
  for (const char* bad : {"2026-11-29", "2026-11-29 08:00:00Z", "2026-02-29T08:00:00Z", "2026-11-29T24:00:00Z",
                          "2026-11-29T08:00:00+1:00", "2026-11-29T08:00:00", "yesterday", ""}) {
    BOOST_TEST(utc(bad) == "invalid", bad);
  }
}

BOOST_AUTO_TEST_CASE(every_dsr_status_maps_to_one_of_the_four_opendsr_statuses) {
  BOOST_TEST(opendsr_status(RequestStatus::received) == "pending");
  BOOST_TEST(opendsr_status(RequestStatus::awaiting_verification) == "pending");
  BOOST_TEST(opendsr_status(RequestStatus::pending_approval) == "pending");
  BOOST_TEST(opendsr_status(RequestStatus::approved) == "in_progress");
  BOOST_TEST(opendsr_status(RequestStatus::running) == "in_progress");
  BOOST_TEST(opendsr_status(RequestStatus::completed) == "completed");
  BOOST_TEST(opendsr_status(RequestStatus::failed) == "cancelled");
  BOOST_TEST(opendsr_status(RequestStatus::rejected) == "cancelled");
  BOOST_TEST(opendsr_status(RequestStatus::cancelled) == "cancelled");
}

BOOST_AUTO_TEST_CASE(callback_hosts_must_lie_in_the_registered_domain) {
  BOOST_TEST(host_within_domain("acme.example", "acme.example"));
  BOOST_TEST(host_within_domain("hooks.ACME.example", "acme.example"));
  BOOST_TEST(!host_within_domain("evilacme.example", "acme.example"));
  BOOST_TEST(!host_within_domain("acme.example.evil.test", "acme.example"));
  BOOST_TEST(!host_within_domain(".acme.example", "acme.example"));
  BOOST_TEST(!host_within_domain("", "acme.example"));

  BOOST_TEST(*normalise_callback_domain(" Hooks.Acme.Example ") == "hooks.acme.example");
  BOOST_TEST(*normalise_callback_domain("127.0.0.1") == "127.0.0.1");
  for (const char* bad : {"", "https://acme.example", "acme..example", "-acme.example", "acme.example/", "a b"}) {
    BOOST_TEST(!normalise_callback_domain(bad).ok(), bad);
  }
  BOOST_TEST(check_controller_id("acme-eu.1").ok());
  BOOST_TEST(!check_controller_id("Acme").ok());
  BOOST_TEST(!check_controller_id(std::string(65, 'a')).ok());
  BOOST_TEST(!check_controller_id("-acme").ok());
}

BOOST_AUTO_TEST_CASE(errors_have_the_opendsr_shape) {
  const ApiReply reply = error_reply(400, "invalid_request", "bad", {"/a: one", "/b: two"});
  BOOST_TEST(reply.status == 400);
  auto error = reply.body->getObject("error");
  BOOST_TEST(error->getValue<int>("code") == 400);
  BOOST_TEST(error->getValue<std::string>("message") == "bad");
  BOOST_TEST(error->getArray("errors")->size() == 2u);
  BOOST_TEST(error->getArray("errors")->getObject(1)->getValue<std::string>("message") == "/b: two");
  BOOST_TEST(error->getArray("errors")->getObject(0)->getValue<std::string>("domain") == "OpenDSR");
}

BOOST_AUTO_TEST_CASE(settings_have_defaults_and_resolve_the_key_path) {
  auto bare = parse_config("{}", "/srv/dsr/dsr.json");
  BOOST_TEST_REQUIRE(bare.ok(), (bare.ok() ? "" : bare.error()));
  const Settings none = read_settings(*bare);
  BOOST_TEST(none.private_key_file == "/srv/dsr/opendsr-processor.pem");
  BOOST_TEST(none.base_url.empty());
  BOOST_TEST(!none.allow_http_callbacks);
  BOOST_TEST(none.callback_retry_minutes == 5);
  const downloads::Settings no_downloads = downloads::read_settings(*bare);
  BOOST_TEST(no_downloads.expiry_days == 7);
  BOOST_TEST(!no_downloads.single_use);

  auto full = parse_config(R"({"opendsr": {"base_url": "https://dsr.example.com/", "processor_domain": "dsr.example.com",
      "private_key_file": "keys/p.pem", "callback_retry_minutes": 2},
      "downloads": {"base_url": "https://dsr.example.com", "expiry_days": 3, "single_use": true}})",
                           "/srv/dsr/dsr.json");
  BOOST_TEST_REQUIRE(full.ok(), (full.ok() ? "" : full.error()));
  const Settings set = read_settings(*full);
  BOOST_TEST(set.base_url == "https://dsr.example.com");
  BOOST_TEST(set.private_key_file == "/srv/dsr/keys/p.pem");
  BOOST_TEST(set.callback_retry_minutes == 2);
  BOOST_TEST(downloads::read_settings(*full).expiry_days == 3);
  BOOST_TEST(downloads::read_settings(*full).single_use);

  auto bad = parse_config(R"({"downloads": {"expiry_days": 0, "base_url": "ftp://x"}, "opendsr": {"colour": 1}})",
                          "dsr.json");
  BOOST_TEST_REQUIRE(!bad.ok());
  BOOST_TEST(bad.error().find("dsr.json: /downloads/expiry_days") != std::string::npos);
  BOOST_TEST(bad.error().find("dsr.json: /downloads/base_url") != std::string::npos);
  BOOST_TEST(bad.error().find("dsr.json: /opendsr") != std::string::npos);
}

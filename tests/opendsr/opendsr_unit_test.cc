#define BOOST_TEST_MODULE OpenDSR rules
#include <boost/test/unit_test.hpp>

#include "dsr/opendsr/api.h"
#include "dsr/opendsr/controllers.h"
#include "dsr/opendsr/rfc3339.h"

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

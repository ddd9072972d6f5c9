#define BOOST_TEST_MODULE request model
#include <boost/test/unit_test.hpp>

#include <set>

#include "dsr/model/masking.h"
#include "dsr/model/request.h"

using namespace dsr;

BOOST_AUTO_TEST_CASE(transition_table_is_exactly_the_documented_one) {
  using S = RequestStatus;
  const S all[] = {S::received, S::awaiting_verification, S::pending_approval, S::approved, S::running,
                   S::completed, S::failed, S::rejected, S::cancelled};
  const std::set<std::pair<S, S>> allowed = {
      {S::received, S::awaiting_verification},  {S::received, S::pending_approval},
      {S::received, S::rejected},               {S::received, S::cancelled},
      {S::awaiting_verification, S::pending_approval}, {S::awaiting_verification, S::rejected},
      {S::awaiting_verification, S::cancelled}, {S::pending_approval, S::approved},
      {S::pending_approval, S::rejected},       {S::pending_approval, S::cancelled},
      {S::approved, S::running},                {S::running, S::completed},
      {S::running, S::failed},                  {S::running, S::approved},
  };
  for (S from : all) {
    for (S to : all) {
      BOOST_TEST_CONTEXT(to_string(from) << " -> " << to_string(to)) {
        BOOST_TEST(can_transition(from, to) == (allowed.count({from, to}) == 1));
      }
    }
  }
  for (S s : {S::completed, S::failed, S::rejected, S::cancelled}) BOOST_TEST(is_terminal(s));
  for (S s : {S::received, S::awaiting_verification, S::pending_approval}) BOOST_TEST(is_waiting(s));
}

BOOST_AUTO_TEST_CASE(names_round_trip_and_unknown_names_are_errors) {
  for (auto t : {RequestType::access, RequestType::portability, RequestType::erasure, RequestType::objection,
                 RequestType::unknown}) {
    BOOST_TEST((*parse_request_type(to_string(t)) == t));
  }
  auto bad = parse_request_type("delete");
  BOOST_TEST(!bad.ok());
  BOOST_TEST(bad.error() == "unknown request type (expected one of: access, portability, erasure, objection, unknown)");
  BOOST_TEST(!parse_request_status("done").ok());
  BOOST_TEST(!parse_regulation("lgpd").ok());
}

BOOST_AUTO_TEST_CASE(deadlines) {
  struct Case {
    const char* received;
    Regulation regulation;
    const char* due;
    const char* extended;
  } cases[] = {
      {"2026-01-31T12:00:00Z", Regulation::gdpr, "2026-02-28T12:00:00Z", "2026-04-30T12:00:00Z"},
      {"2028-01-31T00:00:00Z", Regulation::gdpr, "2028-02-29T00:00:00Z", "2028-04-30T00:00:00Z"},
      {"2026-11-29T06:00:00Z", Regulation::gdpr, "2026-12-29T06:00:00Z", "2027-02-28T06:00:00Z"},
      {"2026-01-01T00:00:00Z", Regulation::ccpa, "2026-02-15T00:00:00Z", "2026-04-01T00:00:00Z"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.received << " " << to_string(c.regulation)) {
      const TimePoint received = *parse_utc(c.received);
      BOOST_TEST(format_utc(initial_due(c.regulation, received)) == c.due);
      BOOST_TEST(format_utc(extended_due(c.regulation, received)) == c.extended);
    }
  }
}

BOOST_AUTO_TEST_CASE(days_until_rounds_away_from_zero_and_overdue_needs_an_open_request) {
  const TimePoint due = *parse_utc("2026-12-29T06:00:00Z");
  BOOST_TEST(days_until(due, *parse_utc("2026-11-29T07:00:00Z")) == 30);  // 29 days 23 hours
  BOOST_TEST(days_until(due, *parse_utc("2026-12-29T06:00:00Z")) == 0);
  BOOST_TEST(days_until(due, *parse_utc("2026-12-29T07:00:00Z")) == -1);  // late by an hour
  BOOST_TEST(days_until(due, *parse_utc("2026-12-31T06:00:00Z")) == -2);
  const TimePoint late = *parse_utc("2026-12-29T06:00:01Z");
  BOOST_TEST(is_overdue(RequestStatus::approved, due, late));
  BOOST_TEST(!is_overdue(RequestStatus::approved, due, due));
  BOOST_TEST(!is_overdue(RequestStatus::completed, due, late));
}

BOOST_AUTO_TEST_CASE(time_parsing_rejects_nonsense) {
  for (const char* bad : {"", "2026-02-30", "2026-13-01", "2026-01-01T25:00:00Z", "2026-01-01 00:00:00",
                          "2026-01-01T00:00:00+01:00", "yesterday"}) {
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST(!parse_utc(bad).ok()); }
  }
  BOOST_TEST(format_utc(*parse_utc("2026-01-01")) == "2026-01-01T00:00:00Z");
}

BOOST_AUTO_TEST_CASE(masking_hides_most_of_a_value) {
  BOOST_TEST(mask_identity({"email", "jane.doe@example.com"}) == "j*******@e******.com");
  BOOST_TEST(mask_identity({"phone", "+4915112345678"}) == "+49*********78");
  BOOST_TEST(mask_identity({"telegram_id", "123456789"}) == "1*******9");
  BOOST_TEST(mask_identity({"username", "ab"}) == "a*");
  // Non-ASCII values are masked by code point, never split inside a character.
  BOOST_TEST(mask_identity({"username", "\xC3\xA4\xC3\xB6\xC3\xBC"}) == "\xC3\xA4**");
}

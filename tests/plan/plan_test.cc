#define BOOST_TEST_MODULE traversal plan
#include <boost/test/unit_test.hpp>

#include "dsr/mapping/mapping_loader.h"
#include "dsr/plan/plan.h"

using namespace dsr;

namespace {

// A chat business: subscribers, their messages in chats (some shared), replies between
// messages, orders and their invoices, and who referred whom.
constexpr const char* kMapping = R"({
  "dataset": "chat", "connector": "db", "purposes": ["support"],
  "collections": [
    {"name": "subscribers", "primary_key": ["id"], "fields": [
      {"name": "id"}, {"name": "email", "identity": "email", "category": "provided"},
      {"name": "telegram_id", "identity": "telegram_id", "stored_as": "integer"},
      {"name": "referred_by", "references": "subscribers.id"}]},
    {"name": "chats", "primary_key": ["id"], "fields": [{"name": "id"}, {"name": "title", "category": "provided"}]},
    {"name": "messages", "primary_key": ["id"], "fields": [
      {"name": "id"}, {"name": "chat_id", "references": "chats.id"},
      {"name": "sender_id", "references": "subscribers.id"},
      {"name": "reply_to", "references": "messages.id"}, {"name": "text", "category": "provided"}]},
    {"name": "orders", "primary_key": ["id"], "fields": [
      {"name": "id"}, {"name": "subscriber_id", "references": "subscribers.id"}]},
    {"name": "invoices", "primary_key": ["id"], "fields": [
      {"name": "id"}, {"name": "order_id", "references": "orders.id"}]}
  ]})";

DatasetMapping mapping() {
  auto parsed = parse_mapping(kMapping, "chat.json", {{"email", "telegram_id", "phone"}, {"db"}});
  BOOST_REQUIRE_MESSAGE(parsed.ok(), (parsed.ok() ? "" : parsed.error()));
  return *parsed;
}

std::vector<std::string> describe(const std::vector<PlanStep>& plan) {
  std::vector<std::string> out;
  for (const auto& s : plan) {
    std::string line = s.collection + "." + s.match_field + " " + std::string(to_string(s.reached_by));
    if (s.reached_by == ReachedBy::identity) line += " " + s.identity_kind;
    else line += " from " + s.from_collection + "." + s.from_field;
    out.push_back(line);
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(traversal_follows_ownership_down_and_context_up) {
  const auto plan = describe(make_plan(mapping(), {"email"}));
  const std::vector<std::string> expected = {
      "subscribers.email identity email",
      "messages.sender_id down from subscribers.id",
      "orders.subscriber_id down from subscribers.id",
      "chats.id up from messages.chat_id",
      "invoices.order_id down from orders.id",
  };
  BOOST_TEST(plan == expected, boost::test_tools::per_element());
  for (const auto& line : plan) BOOST_TEST_MESSAGE(line);
}

BOOST_AUTO_TEST_CASE(every_matching_identity_field_is_a_starting_point) {
  const auto plan = describe(make_plan(mapping(), {"email", "telegram_id"}));
  BOOST_TEST(plan.at(0) == "subscribers.email identity email");
  BOOST_TEST(plan.at(1) == "subscribers.telegram_id identity telegram_id");
  BOOST_TEST(plan.size() == 6u);
}

BOOST_AUTO_TEST_CASE(unknown_kinds_reach_nothing) {
  BOOST_TEST(make_plan(mapping(), {"phone"}).empty());
  BOOST_TEST(reached_collections(mapping(), make_plan(mapping(), {"phone"})).empty());
}

BOOST_AUTO_TEST_CASE(shared_and_other_peoples_rows_are_not_reached) {
  const DatasetMapping m = mapping();
  const auto refs = references_of(m);
  for (const auto& r : refs) {
    BOOST_TEST_CONTEXT(r.child << "." << r.child_field << " -> " << r.parent << "." << r.parent_field) {
      // Self references lead to other people: the referred friend, the message replied to.
      if (r.child == r.parent) {
        BOOST_TEST(!follows_down(m, r));
        BOOST_TEST(!follows_up(m, r));
      }
      // Upward into a collection of people would pull in whoever a row points at.
      if (r.parent == "subscribers") BOOST_TEST(!follows_up(m, r));
    }
  }
  // chats are reached only upward, as context: no step goes from chats down to messages.
  for (const auto& step : make_plan(m, {"email"})) {
    BOOST_TEST(!(step.reached_by == ReachedBy::down && step.from_collection == "chats"));
  }
  const auto reached = reached_collections(m, make_plan(m, {"email"}));
  const std::vector<std::string> expected = {"subscribers", "chats", "messages", "orders", "invoices"};
  BOOST_TEST(reached == expected, boost::test_tools::per_element());
}

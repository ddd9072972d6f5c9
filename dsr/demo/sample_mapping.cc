// The dataset mapping of the sample store: what a controller running this business
// would write for dsr. Kept beside the generator so that the two change together.

#include <string>
#include <string_view>

#include "dsr/demo/sample_store.h"

namespace dsr {

namespace {

constexpr std::string_view kConnectorSlot = "@CONNECTOR@";

constexpr std::string_view kMapping = R"json({
  "dataset": "marketing",
  "connector": "@CONNECTOR@",
  "description": "Subscribers of our Telegram shop bot and newsletter: your subscription, consent history, chats with the bot and in our groups, newsletter links you opened, orders and invoices",
  "purposes": [
    "sending the newsletter and bot messages you subscribed to (consent, Art. 6(1)(a))",
    "answering your questions in the bot and in our group chats",
    "measuring which newsletter links are opened (campaign analytics)",
    "estimating interest in our offers (lead score)",
    "processing, invoicing and delivering your orders (contract, Art. 6(1)(b))"
  ],
  "recipients": [
    "Telegram FZ-LLC (delivers bot and group messages; outside the EU, standard contractual clauses)",
    "Mailgun Technologies, Inc. (sends the newsletter from its EU region)",
    "our tax advisor (invoices)"
  ],
  "retention": "Subscription, consent history, chats and link clicks: until you unsubscribe, plus 6 months. Orders and invoices: 10 years from the end of the year of the order (commercial and tax law).",
  "source": "You, when you subscribed through our Telegram bot or web form and when you wrote to us; Telegram (your Telegram id, username and language); our servers (link clicks and IP addresses). We calculate the lead score ourselves.",
  "collections": [
    {
      "name": "subscribers",
      "description": "Your subscription: how we reach you and what we estimate about your interest",
      "primary_key": ["id"],
      "fields": [
        {"name": "id"},
        {"name": "telegram_id", "identity": "telegram_id", "stored_as": "integer", "category": "provided"},
        {"name": "username", "identity": "username", "match": "lowercase", "category": "provided"},
        {"name": "first_name", "category": "provided"},
        {"name": "last_name", "category": "provided"},
        {"name": "email", "identity": "email", "match": "lowercase", "category": "provided"},
        {"name": "phone", "identity": "phone", "category": "provided"},
        {"name": "language_code", "category": "observed"},
        {"name": "signup_ip", "category": "observed"},
        {"name": "created_at", "category": "observed"},
        {"name": "lead_score", "category": "inferred"}
      ],
      "erasure": {"action": "delete"}
    },
    {
      "name": "opt_ins",
      "description": "Whether you agreed to hear from us, per channel",
      "primary_key": ["id"],
      "fields": [
        {"name": "id"},
        {"name": "subscriber_id", "references": "subscribers.id"},
        {"name": "channel", "category": "provided"},
        {"name": "opted_in", "category": "provided"},
        {"name": "changed_at", "category": "observed"}
      ],
      "erasure": {"action": "delete"},
      "objection": {"set": {"opted_in": 0}}
    },
    {
      "name": "consent_log",
      "description": "The history of your consent: when you gave, confirmed, changed or withdrew it",
      "primary_key": ["id"],
      "fields": [
        {"name": "id"},
        {"name": "subscriber_id", "references": "subscribers.id"},
        {"name": "action", "category": "provided"},
        {"name": "at", "category": "observed"},
        {"name": "source", "category": "observed"}
      ],
      "erasure": {"action": "delete"}
    },
    {
      "name": "chats",
      "description": "The chats your messages were written in: your private chat with our bot and our group chats",
      "primary_key": ["id"],
      "fields": [
        {"name": "id"},
        {"name": "kind", "category": "observed"},
        {"name": "title", "category": "observed"}
      ]
    },
    {
      "name": "messages",
      "description": "Messages you wrote to our bot and in our group chats",
      "primary_key": ["id"],
      "fields": [
        {"name": "id"},
        {"name": "chat_id", "references": "chats.id"},
        {"name": "sender_id", "references": "subscribers.id"},
        {"name": "text", "category": "provided"},
        {"name": "sent_at", "category": "observed"}
      ],
      "erasure": {"action": "delete"}
    },
    {
      "name": "campaigns",
      "description": "The newsletters whose links you opened",
      "primary_key": ["id"],
      "skip_unreachable": false,
      "fields": [
        {"name": "id"},
        {"name": "name", "category": "observed"},
        {"name": "sent_at", "category": "observed"}
      ]
    },
    {
      "name": "link_clicks",
      "description": "Links you opened in our newsletters, with the IP address they were opened from",
      "primary_key": ["id"],
      "fields": [
        {"name": "id"},
        {"name": "subscriber_id", "references": "subscribers.id"},
        {"name": "campaign_id", "references": "campaigns.id"},
        {"name": "url", "category": "observed"},
        {"name": "clicked_at", "category": "observed"},
        {"name": "ip", "category": "observed"}
      ],
      "erasure": {"action": "delete"}
    },
    {
      "name": "orders",
      "description": "Your orders",
      "primary_key": ["id"],
      "fields": [
        {"name": "id"},
        {"name": "subscriber_id", "references": "subscribers.id", "mask": "null"},
        {"name": "total_cents", "category": "provided"},
        {"name": "currency", "category": "provided"},
        {"name": "created_at", "category": "observed"}
      ],
      "erasure": {"action": "retain", "basis": "Art. 17(3)(b): commercial and tax records kept 10 years"}
    },
    {
      "name": "invoices",
      "description": "Invoices for your orders",
      "primary_key": ["id"],
      "fields": [
        {"name": "id"},
        {"name": "order_id", "references": "orders.id"},
        {"name": "billing_name", "category": "provided", "mask": {"fixed": "[erased]"}},
        {"name": "billing_address", "category": "provided", "mask": {"fixed": "[erased]"}},
        {"name": "amount_cents", "category": "observed"},
        {"name": "issued_at", "category": "observed"}
      ],
      "erasure": {"action": "retain", "basis": "Art. 17(3)(b): commercial and tax records kept 10 years"}
    }
  ]
}
)json";

// The name goes into a JSON string: escape what JSON requires, so any name gives
// valid JSON and the loader, not a parse error, judges it.
std::string json_string_body(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      (out += '\\') += c;
    } else if (byte < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      ((out += "\\u00") += kHex[byte >> 4]) += kHex[byte & 0xf];
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string sample_mapping_json(const std::string& connector_name) {
  std::string json(kMapping);
  json.replace(json.find(kConnectorSlot), kConnectorSlot.size(), json_string_body(connector_name));
  return json;
}

}  // namespace dsr

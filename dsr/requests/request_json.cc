#include "dsr/requests/request_json.h"

#include <Poco/JSON/Array.h>

#include "dsr/model/masking.h"

namespace dsr {

Poco::JSON::Object::Ptr request_json(const Request& r, TimePoint now) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  const auto optional = [](const std::string& text) {
    return text.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(text);
  };
  o->set("id", r.id);
  o->set("type", std::string(to_string(r.type)));
  o->set("status", std::string(to_string(r.status)));
  o->set("regulation", std::string(to_string(r.regulation)));
  o->set("channel", r.channel);
  o->set("received_at", format_utc(r.received_at));
  o->set("due_at", format_utc(r.due_at));
  o->set("days_left", static_cast<Poco::Int64>(days_until(r.due_at, now)));
  o->set("overdue", is_overdue(r.status, r.due_at, now));
  o->set("extended_at", r.extended_at ? Poco::Dynamic::Var(format_utc(*r.extended_at)) : Poco::Dynamic::Var());
  o->set("duplicate_of", optional(r.duplicate_of));
  o->set("submitted_by", optional(r.submitted_by));
  o->set("approved_by", optional(r.approved_by));
  o->set("status_reason", r.status_reason);
  Poco::JSON::Array::Ptr identities = new Poco::JSON::Array;
  for (const auto& identity : r.identities) {
    Poco::JSON::Object::Ptr i = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    i->set("kind", identity.kind);
    i->set("masked", mask_identity({identity.kind, identity.value}));
    i->set("proven", identity.proven);
    identities->add(i);
  }
  o->set("identities", identities);
  return o;
}

}  // namespace dsr

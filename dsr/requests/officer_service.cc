#include "dsr/requests/officer_service.h"

#include "dsr/requests/password.h"
#include "dsr/state/officer_email_store.h"

namespace dsr {

Status OfficerService::add(const std::string& name, OfficerRole role, const std::string& password,
                           const std::string& actor, const std::string& email) {
  if (Status s = check_officer_name(name); !s) return s;
  auto hash = hash_password(password);
  if (!hash) return hash.take_error();
  return db_.in_transaction([&]() -> Status {
    OfficerStore store(db_);
    if (store.find(name)) return fail("officer " + name + ": already registered");
    store.insert({name, role, *hash, clock_.now(), false});
    if (!email.empty()) OfficerEmailStore(db_).set(name, email, clock_.now());
    Poco::JSON::Object::Ptr detail = new Poco::JSON::Object;
    detail->set("officer", name);
    detail->set("role", std::string(to_string(role)));
    // Whether reminders can reach the officer; the address itself stays out of the trail.
    if (!email.empty()) detail->set("email", true);
    return audit_.append({"officer.added", actor, "", "", detail});
  });
}

Status OfficerService::set_email(const std::string& name, const std::string& email, const std::string& actor) {
  if (Status s = check_officer_name(name); !s) return s;
  return db_.in_transaction([&]() -> Status {
    if (!OfficerStore(db_).find(name)) return fail("officer " + name + ": not registered");
    OfficerEmailStore addresses(db_);
    if (email.empty()) {
      addresses.clear(name);
    } else {
      addresses.set(name, email, clock_.now());
    }
    Poco::JSON::Object::Ptr detail = new Poco::JSON::Object;
    detail->set("officer", name);
    detail->set("email", !email.empty());
    return audit_.append({"officer.email_changed", actor, "", "", detail});
  });
}

Status OfficerService::set_disabled(const std::string& name, bool disabled, const std::string& actor) {
  if (Status s = check_officer_name(name); !s) return s;
  return db_.in_transaction([&]() -> Status {
    OfficerStore store(db_);
    if (!store.find(name)) return fail("officer " + name + ": not registered");
    store.set_disabled(name, disabled);
    Poco::JSON::Object::Ptr detail = new Poco::JSON::Object;
    detail->set("officer", name);
    return audit_.append({disabled ? "officer.disabled" : "officer.enabled", actor, "", "", detail});
  });
}

Result<std::vector<Officer>> OfficerService::list() {
  std::vector<Officer> out;
  Status read = db_.read([&] {
    out = OfficerStore(db_).list();
    return Status::Ok();
  });
  if (!read) return read.take_error();
  return out;
}

Result<Officer> OfficerService::authenticate(const std::string& name, const std::string& password) {
  std::optional<Officer> found;
  Status read = db_.read([&] {
    found = OfficerStore(db_).find(name);
    return Status::Ok();
  });
  if (!read) return read.take_error();
  // Same answer for an unknown name and a wrong password: no account enumeration.
  if (!found || found->disabled || !verify_password(password, found->password_hash)) {
    return fail("wrong name or password");
  }
  return std::move(*found);
}

}  // namespace dsr

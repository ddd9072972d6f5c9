#include "dsr/requests/request_service.h"

#include <Poco/JSON/Array.h>
#include <Poco/UUIDGenerator.h>

#include <algorithm>

#include "dsr/common/text.h"

namespace dsr {

namespace {

constexpr std::size_t kMaxReasonBytes = 2000;

Status check_text(const std::string& text, const std::string& what, bool required) {
  if (required && trim(text).empty()) return fail(what + " is required");
  if (text.size() > kMaxReasonBytes) return fail(what + ": longer than " + std::to_string(kMaxReasonBytes) + " bytes");
  if (!is_valid_utf8(text)) return fail(what + ": not valid UTF-8");
  for (unsigned char c : text) {
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) return fail(what + ": contains control characters");
  }
  return Status::Ok();
}

std::string officer_actor(const std::string& officer) { return "officer:" + officer; }

Poco::JSON::Object::Ptr object() { return new Poco::JSON::Object; }

}  // namespace

Status check_request_id(const std::string& id) {
  const bool shaped = id.size() == 36 && id[8] == '-' && id[13] == '-' && id[18] == '-' && id[23] == '-' &&
                      std::all_of(id.begin(), id.end(), [](char c) {
                        return c == '-' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                      });
  if (!shaped) return fail("request id: expected a lower-case UUID like 0f8e2c1a-3b4d-4e5f-8a9b-0c1d2e3f4a5b");
  return Status::Ok();
}

Result<SubmitOutcome> RequestService::submit(const SubmitInput& input) {
  if (input.identities.empty()) return fail("a request needs at least one identity");
  const TimePoint now = clock_.now();
  const TimePoint received = input.received_at.value_or(now);
  if (received > now) return fail("received time: in the future");
  if (!input.submitted_by.empty()) {
    if (Status s = check_officer_name(input.submitted_by); !s) return s.take_error();
  }

  Request request;
  request.id = Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
  request.type = input.type;
  request.status = RequestStatus::received;
  request.regulation = input.regulation;
  request.channel = input.channel;
  request.received_at = received;
  request.due_at = initial_due(input.regulation, received);
  request.submitted_by = input.submitted_by;
  request.updated_at = now;
  std::vector<std::string> pseudonyms;
  for (const auto& identity : input.identities) {
    const std::string pseudonym = key_.pseudonym(identity);
    if (std::find(pseudonyms.begin(), pseudonyms.end(), pseudonym) != pseudonyms.end()) continue;
    pseudonyms.push_back(pseudonym);
    request.identities.push_back({identity.kind, identity.value, pseudonym, input.identities_proven});
  }
  request.subject = pseudonyms.front();

  SubmitOutcome outcome;
  outcome.id = request.id;
  outcome.due_at = request.due_at;
  Status done = db_.in_transaction([&]() -> Status {
    // The head lock serialises submissions, so two processes cannot both miss each other's duplicate.
    if (Status s = audit_.lock_head(); !s) return s;
    RequestStore store(db_);
    if (auto original = store.find_open_duplicate(request.type, pseudonyms)) {
      outcome.duplicate_of = request.duplicate_of = *original;
    }
    store.insert(request);
    store.add_event(request.id, {now, input.actor, "received", "", "received", ""});

    auto detail = object();
    detail->set("type", std::string(to_string(request.type)));
    detail->set("regulation", std::string(to_string(request.regulation)));
    detail->set("channel", request.channel);
    detail->set("received_at", format_utc(received));
    detail->set("due_at", format_utc(request.due_at));
    Poco::JSON::Array::Ptr identities = new Poco::JSON::Array;
    for (const auto& identity : request.identities) {
      auto entry = object();
      entry->set("kind", identity.kind);
      entry->set("pseudonym", identity.pseudonym);
      entry->set("proven", identity.proven);
      identities->add(entry);
    }
    detail->set("identities", identities);
    if (Status s = audit_.append({"request.received", input.actor, request.id, request.subject, detail}); !s) {
      return s;
    }

    if (!outcome.duplicate_of.empty()) {
      outcome.status = RequestStatus::cancelled;
      if (input.record_with) {
        if (Status s = input.record_with(outcome); !s) return s;
      }
      auto dup = object();
      dup->set("duplicate_of", outcome.duplicate_of);
      outcome.status = RequestStatus::cancelled;
      return change_status(store, request, RequestStatus::cancelled, input.actor, "duplicate",
                           "duplicate of " + outcome.duplicate_of, dup);
    }
    outcome.status =
        input.identities_proven ? RequestStatus::pending_approval : RequestStatus::awaiting_verification;
    if (input.record_with) {
      if (Status s = input.record_with(outcome); !s) return s;
    }
    return change_status(store, request, outcome.status, input.actor, "status", "", nullptr);
  });
  if (!done) return done.take_error();
  return outcome;
}

Status RequestService::check_officer(const std::string& officer) {
  if (Status s = check_officer_name(officer); !s) return s;
  OfficerStore officers(db_);
  auto found = officers.find(officer);
  if (!found) return fail("officer " + officer + ": not registered (see `dsr officer add`)");
  if (found->disabled) return fail("officer " + officer + ": disabled");
  if (found->role == OfficerRole::auditor) {
    return fail("officer " + officer + ": the auditor role is read-only");
  }
  return Status::Ok();
}

Status RequestService::load_for_update(RequestStore& store, const std::string& id, Request& out) {
  if (Status s = check_request_id(id); !s) return s;
  auto found = store.find(id, true);
  if (!found) return fail("request " + id + ": not found");
  out = std::move(*found);
  return Status::Ok();
}

Status RequestService::change_status(RequestStore& store, const Request& request, RequestStatus to,
                                     const std::string& actor, const std::string& event_kind,
                                     const std::string& note, Poco::JSON::Object::Ptr detail) {
  if (!can_transition(request.status, to)) {
    return fail("request " + request.id + ": cannot go from " + std::string(to_string(request.status)) + " to " +
                std::string(to_string(to)));
  }
  const TimePoint now = clock_.now();
  store.update_status(request.id, to, note, now);
  store.add_event(request.id,
                  {now, actor, event_kind, std::string(to_string(request.status)), std::string(to_string(to)), note});
  if (!detail) detail = object();
  detail->set("from", std::string(to_string(request.status)));
  detail->set("to", std::string(to_string(to)));
  if (!note.empty()) detail->set("note_sha256", text_digest(note));
  return audit_.append({"request.status", actor, request.id, request.subject, detail});
}

Status RequestService::as_officer(const std::string& id, const std::string& officer, const OfficerAction& action) {
  return db_.in_transaction([&]() -> Status {
    RequestStore store(db_);
    Request request;
    if (Status s = load_for_update(store, id, request); !s) return s;
    if (Status s = check_officer(officer); !s) return s;
    return action(store, request);
  });
}

Status RequestService::verify(const std::string& id, const std::string& officer, const std::string& note) {
  if (Status s = check_text(note, "note", false); !s) return s;
  return as_officer(id, officer, [&](RequestStore& store, const Request& request) -> Status {
    if (!can_transition(request.status, RequestStatus::pending_approval)) {
      return fail("request " + id + ": cannot verify in status " + std::string(to_string(request.status)));
    }
    store.mark_identities_proven(id);
    auto detail = object();
    detail->set("verified_by", officer_actor(officer));
    return change_status(store, request, RequestStatus::pending_approval, officer_actor(officer), "verified", note,
                         detail);
  });
}

Status RequestService::approve(const std::string& id, const std::string& officer, const std::string& note) {
  if (Status s = check_text(note, "note", false); !s) return s;
  return as_officer(id, officer, [&](RequestStore& store, const Request& request) -> Status {
    if (request.status != RequestStatus::pending_approval) {
      return fail("request " + id + ": cannot approve in status " + std::string(to_string(request.status)));
    }
    if (request.type == RequestType::unknown) {
      return fail("request " + id + ": its type is unknown; retype it first (`dsr retype`)");
    }
    if (!request.submitted_by.empty() && request.submitted_by == officer) {
      return fail("request " + id + ": officer " + officer + " submitted it and cannot approve it too");
    }
    if (erasure_needs_two_officers_ && request.type == RequestType::erasure) {
      std::string first_approver;
      for (const auto& event : store.events(id)) {
        if (event.kind == "first_approval") first_approver = event.actor;
      }
      if (first_approver.empty()) {
        const TimePoint now = clock_.now();
        store.add_event(id, {now, officer_actor(officer), "first_approval", "", "", note});
        auto detail = object();
        if (!note.empty()) detail->set("note_sha256", text_digest(note));
        return audit_.append({"request.first_approval", officer_actor(officer), id, request.subject, detail});
      }
      if (first_approver == officer_actor(officer)) {
        return fail("request " + id + ": an erasure needs a second officer; officer " + officer +
                    " has approved it already");
      }
    }
    store.set_approved_by(id, officer);
    return change_status(store, request, RequestStatus::approved, officer_actor(officer), "approved", note, nullptr);
  });
}

Status RequestService::reject(const std::string& id, const std::string& officer, const std::string& reason) {
  if (Status s = check_text(reason, "reason", true); !s) return s;
  return as_officer(id, officer, [&](RequestStore& store, const Request& request) -> Status {
    return change_status(store, request, RequestStatus::rejected, officer_actor(officer), "rejected", reason,
                         nullptr);
  });
}

Result<TimePoint> RequestService::extend(const std::string& id, const std::string& officer,
                                         const std::string& reason) {
  if (Status s = check_text(reason, "reason", true); !s) return s.take_error();
  TimePoint new_due{};
  Status done = as_officer(id, officer, [&](RequestStore& store, const Request& request) -> Status {
    if (is_terminal(request.status)) {
      return fail("request " + id + ": cannot extend in status " + std::string(to_string(request.status)));
    }
    if (request.extended_at) {
      return fail("request " + id + ": already extended on " + format_utc(*request.extended_at) +
                  "; a request can be extended once");
    }
    const TimePoint now = clock_.now();
    // Art. 12(3): the person must hear of the extension within the first period.
    if (now > request.due_at) {
      return fail("request " + id + ": the first deadline (" + format_utc(request.due_at) +
                  ") has passed; an extension must be decided before it");
    }
    new_due = extended_due(request.regulation, request.received_at);
    store.set_extension(id, new_due, now, reason);
    store.add_event(id, {now, officer_actor(officer), "extended", "", "", reason});
    auto detail = object();
    detail->set("previous_due_at", format_utc(request.due_at));
    detail->set("due_at", format_utc(new_due));
    detail->set("reason_sha256", text_digest(reason));
    return audit_.append({"request.extended", officer_actor(officer), id, request.subject, detail});
  });
  if (!done) return done.take_error();
  return new_due;
}

Status RequestService::retype(const std::string& id, const std::string& officer, RequestType type,
                              const std::string& note) {
  if (Status s = check_text(note, "note", false); !s) return s;
  if (type == RequestType::unknown) return fail("retype: the new type must be a known one");
  return as_officer(id, officer, [&](RequestStore& store, const Request& request) -> Status {
    if (!is_waiting(request.status)) {
      return fail("request " + id + ": cannot retype in status " + std::string(to_string(request.status)));
    }
    if (request.type == type) return fail("request " + id + ": already of type " + std::string(to_string(type)));
    const TimePoint now = clock_.now();
    store.set_type(id, type, now);
    store.add_event(id, {now, officer_actor(officer), "retyped", "", "",
                         std::string(to_string(request.type)) + " -> " + std::string(to_string(type))});
    auto detail = object();
    detail->set("from_type", std::string(to_string(request.type)));
    detail->set("to_type", std::string(to_string(type)));
    if (!note.empty()) detail->set("note_sha256", text_digest(note));
    return audit_.append({"request.retyped", officer_actor(officer), id, request.subject, detail});
  });
}

Status RequestService::prove_identities(const std::string& id, const std::string& actor, const std::string& note,
                                        const std::function<Status()>& also) {
  if (Status s = check_text(note, "note", false); !s) return s;
  return db_.in_transaction([&]() -> Status {
    RequestStore store(db_);
    Request request;
    if (Status s = load_for_update(store, id, request); !s) return s;
    if (request.status != RequestStatus::awaiting_verification) {
      return fail("request " + id + ": not awaiting verification (status " + std::string(to_string(request.status)) +
                  ")");
    }
    store.mark_identities_proven(id);
    if (also) {
      if (Status s = also(); !s) return s;
    }
    auto detail = object();
    detail->set("verified_by", actor);
    return change_status(store, request, RequestStatus::pending_approval, actor, "verified", note, detail);
  });
}

Status RequestService::cancel(const std::string& id, const std::string& actor, const std::string& reason) {
  if (Status s = check_text(reason, "reason", false); !s) return s;
  return db_.in_transaction([&]() -> Status {
    RequestStore store(db_);
    Request request;
    if (Status s = load_for_update(store, id, request); !s) return s;
    return change_status(store, request, RequestStatus::cancelled, actor, "cancelled", reason, nullptr);
  });
}

Status RequestService::transition(const std::string& id, RequestStatus to, const std::string& actor,
                                  const std::string& reason, Poco::JSON::Object::Ptr detail) {
  return db_.in_transaction([&]() -> Status {
    RequestStore store(db_);
    Request request;
    if (Status s = load_for_update(store, id, request); !s) return s;
    return change_status(store, request, to, actor, "status", reason, detail);
  });
}

Result<Request> RequestService::get(const std::string& id) {
  if (Status s = check_request_id(id); !s) return s.take_error();
  std::optional<Request> found;
  Status read = db_.read([&] {
    found = RequestStore(db_).find(id);
    return Status::Ok();
  });
  if (!read) return read.take_error();
  if (!found) return fail("request " + id + ": not found");
  return std::move(*found);
}

Result<std::vector<Request>> RequestService::list(RequestFilter filter) {
  filter.now = clock_.now();
  std::vector<Request> out;
  Status read = db_.read([&] {
    out = RequestStore(db_).list(filter);
    return Status::Ok();
  });
  if (!read) return read.take_error();
  return out;
}

Result<std::vector<RequestEvent>> RequestService::events(const std::string& id) {
  if (Status s = check_request_id(id); !s) return s.take_error();
  std::vector<RequestEvent> out;
  Status read = db_.read([&] {
    out = RequestStore(db_).events(id);
    return Status::Ok();
  });
  if (!read) return read.take_error();
  return out;
}

}  // namespace dsr

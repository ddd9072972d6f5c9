#include "dsr/telegram/intents.h"

#include "dsr/telegram/dialogue.h"

namespace dsr::telegram {

namespace {

constexpr const char* kActor = "telegram";

struct Reply {
  std::string key;
  TextParams params;
};

Status finish(const IntentContext& c, const Intent& intent, const std::string& request_id,
              const std::optional<TrackedRequest>& track, const std::optional<Reply>& reply) {
  return c.db.in_transaction([&]() -> Status {
    BotStore store(c.db);
    const TimePoint now = c.clock.now();
    if (track && !store.tracked(track->request_id)) store.track(*track, now);
    store.finish_intent(intent.id, request_id, now);
    if (reply) {
      store.enqueue(text_message(intent.chat_id, c.catalog.text(intent.language, reply->key, reply->params)),
                    now);
    }
    return Status::Ok();
  });
}

Status file_request(const IntentContext& c, const Intent& intent) {
  auto type = parse_request_type(intent.request_type);
  if (!type) return finish(c, intent, "", std::nullopt, Reply{"filing_failed", {}});
  const std::string type_text = type_name(c.catalog, intent.language, intent.request_type);

  std::vector<TrackedRequest> mine;
  std::vector<std::string> emails;
  if (Status s = c.db.read([&]() -> Status {
        BotStore store(c.db);
        mine = store.tracked_for_user(intent.user_id);
        emails = store.linked_emails(intent.user_id);
        return Status::Ok();
      });
      !s) {
    return s;
  }
  for (const auto& r : mine) {
    auto status = parse_request_status(r.status);
    if (r.type == intent.request_type && status && !is_terminal(*status)) {
      return finish(
          c, intent, r.request_id, std::nullopt,
          Reply{"already_open", {{"type", type_text}, {"ref", r.request_id}, {"due", date_of(r.due_at)}}});
    }
  }

  SubmitInput input;
  input.type = *type;
  input.regulation = c.regulation;
  input.identities_proven = true;  // from.id by Telegram; emails by their returned codes
  input.channel = "telegram";
  input.actor = kActor;
  auto telegram_id = c.identities.normalise("telegram_id", std::to_string(intent.user_id));
  if (!telegram_id) return finish(c, intent, "", std::nullopt, Reply{"filing_failed", {}});
  input.identities.push_back(*telegram_id);
  for (const auto& email : emails) {
    if (auto identity = c.identities.normalise("email", email)) input.identities.push_back(*identity);
  }
  auto submitted = c.requests.submit(input);
  if (!submitted) {
    c.log("telegram: intent " + std::to_string(intent.id) + ": filing failed: " + submitted.error());
    return finish(c, intent, "", std::nullopt, Reply{"filing_failed", {}});
  }
  // A duplicate (an open request of this type already covers the person, e.g. one this
  // intent filed before a crash) is cancelled by the service; the person hears of the original.
  const bool duplicate = !submitted->duplicate_of.empty();
  const std::string id = duplicate ? submitted->duplicate_of : submitted->id;
  auto request = c.requests.get(id);
  if (!request) return request.take_error();
  TrackedRequest track;
  track.request_id = id;
  track.user_id = intent.user_id;
  track.chat_id = intent.chat_id;
  track.language = intent.language;
  track.notified_status = std::string(to_string(request->status));
  track.extension_notified = request->extended_at.has_value();
  return finish(c, intent, id, track,
                Reply{duplicate ? "already_open" : "filed",
                      {{"type", type_text}, {"ref", id}, {"due", date_of(format_utc(request->due_at))}}});
}

Status withdraw_request(const IntentContext& c, const Intent& intent) {
  Status cancelled =
      c.requests.cancel(intent.request_id, kActor, "withdrawn by the person in the Telegram chat");
  if (!cancelled) {
    auto request = c.requests.get(intent.request_id);
    // Already cancelled (by this intent before a crash): done; the notifier tells the person.
    if (request && request->status == RequestStatus::cancelled) cancelled = Status::Ok();
  }
  if (cancelled) return finish(c, intent, intent.request_id, std::nullopt, std::nullopt);
  return finish(c, intent, intent.request_id, std::nullopt,
                Reply{"withdraw_failed", {{"ref", intent.request_id}}});
}

}  // namespace

Result<std::size_t> run_intents(const IntentContext& c) {
  std::vector<Intent> intents;
  if (Status s = c.db.read([&]() -> Status {
        intents = BotStore(c.db).open_intents();
        return Status::Ok();
      });
      !s) {
    return s.take_error();
  }
  std::size_t done = 0;
  for (const auto& intent : intents) {
    Status s = intent.action == "withdraw" ? withdraw_request(c, intent) : file_request(c, intent);
    if (!s) return s.take_error();
    ++done;
  }
  return done;
}

}  // namespace dsr::telegram

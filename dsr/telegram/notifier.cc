#include "dsr/telegram/notifier.h"

#include <Poco/File.h>
#include <Poco/JSON/Parser.h>

#include <fstream>
#include <sstream>

#include "dsr/telegram/dialogue.h"

namespace dsr::telegram {

namespace {

Poco::JSON::Object::Ptr read_json_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return nullptr;
  std::ostringstream text;
  text << in.rdbuf();
  try {
    Poco::JSON::Parser parser;
    return parser.parse(text.str()).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
    return nullptr;
  }
}

std::string count_of(const Poco::JSON::Object::Ptr& object, const std::string& key) {
  return object && object->has(key) ? object->get(key).toString() : "?";
}

class Composer {
 public:
  Composer(const NotifyContext& c, const TrackedRequest& tracked, const Request& request)
      : c_(c),
        t_(tracked),
        r_(request),
        ref_(request.id),
        type_(type_name(c.catalog, tracked.language, std::string(to_string(request.type)))) {}

  std::vector<OutboxItem> compose() {
    if (r_.extended_at && !t_.extension_notified) {
      say("notify_extended", {{"due", date_of(format_utc(r_.due_at))}, {"reason", r_.extension_reason}});
    }
    if (std::string(to_string(r_.status)) == t_.notified_status) return items_;
    switch (r_.status) {
      case RequestStatus::approved:
        say("notify_approved", {});
        break;
      case RequestStatus::completed:
        completed();
        break;
      case RequestStatus::failed:
        say("notify_failed", {{"contact", c_.config.controller.contact}});
        break;
      case RequestStatus::rejected:
        say("notify_rejected",
            {{"reason", r_.status_reason}, {"authority", c_.config.controller.supervisory_authority}});
        break;
      case RequestStatus::cancelled:
        say("notify_cancelled", {});
        break;
      default:
        break;  // received, waiting, running: nothing the person needs to hear
    }
    return items_;
  }

 private:
  void say(const std::string& key, TextParams params) {
    params["ref"] = ref_;
    params["type"] = type_;
    items_.push_back(text_message(t_.chat_id, c_.catalog.text(t_.language, key, params)));
  }

  void completed() {
    const std::string base = c_.config.export_dir + "/" + r_.id;
    if (r_.type == RequestType::access || r_.type == RequestType::portability) {
      const std::string zip = base + ".zip";
      Poco::File file(zip);
      if (!file.exists()) {
        c_.log("telegram: request " + r_.id + ": export not found for delivery");
        return say("export_unavailable", {{"contact", c_.config.controller.contact}});
      }
      if (file.getSize() <= c_.settings.max_upload_bytes) {
        items_.push_back(protected_document(t_.chat_id, zip, "data-" + r_.id.substr(0, 8) + ".zip",
                                            c_.catalog.text(t_.language, "export_caption", {{"ref", ref_}})));
        return;
      }
      if (c_.link_maker) {
        auto link = c_.link_maker(r_.id, zip);
        if (link) return say("export_link", {{"link", *link}});
        c_.log("telegram: request " + r_.id + ": no download link: " + link.error());
      }
      return say("export_unavailable", {{"contact", c_.config.controller.contact}});
    }
    if (r_.type == RequestType::erasure) {
      auto certificate = read_json_file(base + ".certificate.json");
      if (!certificate) c_.log("telegram: request " + r_.id + ": certificate not readable for the summary");
      items_.push_back(
          text_message(t_.chat_id, certificate_summary(c_.catalog, t_.language, r_.id, certificate)));
      return;
    }
    say("objection_done", {});
  }

  const NotifyContext& c_;
  const TrackedRequest& t_;
  const Request& r_;
  std::string ref_;
  std::string type_;
  std::vector<OutboxItem> items_;
};

}  // namespace

std::string certificate_summary(const Catalog& catalog, const std::string& language,
                                const std::string& request_id, const Poco::JSON::Object::Ptr& certificate) {
  Poco::JSON::Object::Ptr totals = certificate ? certificate->getObject("totals") : nullptr;
  std::string bases;
  if (auto stores = certificate ? certificate->getArray("stores") : nullptr) {
    for (std::size_t i = 0; i < stores->size(); ++i) {
      auto store = stores->getObject(static_cast<unsigned>(i));
      auto collections = store ? store->getArray("collections") : nullptr;
      for (std::size_t j = 0; collections && j < collections->size(); ++j) {
        auto collection = collections->getObject(static_cast<unsigned>(j));
        if (!collection || !collection->has("legal_basis")) continue;
        if (count_of(collection, "rows_retained") == "0") continue;
        bases += catalog.text(language, "erasure_basis",
                              {{"collection", collection->getValue<std::string>("collection")},
                               {"basis", collection->getValue<std::string>("legal_basis")}});
      }
    }
  }
  const bool passed = certificate && certificate->has("verification_passed") &&
                      certificate->get("verification_passed").isBoolean() &&
                      certificate->getValue<bool>("verification_passed");
  return catalog.text(
      language, "erasure_done",
      {{"ref", request_id},
       {"deleted", count_of(totals, "rows_deleted")},
       {"masked", count_of(totals, "rows_masked")},
       {"retained", count_of(totals, "rows_retained")},
       {"bases", bases},
       {"verification", catalog.text(language, passed ? "verification_passed" : "verification_failed")}});
}

Result<std::size_t> queue_notifications(const NotifyContext& c) {
  std::vector<TrackedRequest> due;
  if (Status s = c.db.read([&]() -> Status {
        due = BotStore(c.db).awaiting_notification();
        return Status::Ok();
      });
      !s) {
    return s.take_error();
  }
  for (const auto& tracked : due) {
    auto request = c.requests.get(tracked.request_id);
    if (!request) return request.take_error();
    const auto items = Composer(c, tracked, *request).compose();
    Status s = c.db.in_transaction([&]() -> Status {
      BotStore store(c.db);
      // Another worker may have told the person meanwhile: queue only what is still news.
      auto current = store.tracked(tracked.request_id);
      if (!current || current->notified_status != tracked.notified_status ||
          current->extension_notified != tracked.extension_notified) {
        return Status::Ok();
      }
      for (const auto& item : items) store.enqueue(item, c.clock.now());
      if (request->type == RequestType::erasure && request->status == RequestStatus::completed) {
        store.forget_person(tracked.user_id);
      }
      store.set_notified(tracked.request_id, std::string(to_string(request->status)),
                         tracked.extension_notified || request->extended_at.has_value(), c.clock.now());
      return Status::Ok();
    });
    if (!s) return s.take_error();
  }
  return due.size();
}

}  // namespace dsr::telegram

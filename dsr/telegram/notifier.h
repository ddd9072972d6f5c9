#pragma once
// Tells people in their chat what became of the requests they filed through the bot:
// the export ZIP (sendDocument, protected) or a download link when it is too large;
// a summary of the deletion certificate; a refusal with its reason and the right to
// complain (GDPR Art. 12(4)); an extension with the new date and its reason. The last
// status told is stored with the messages in one transaction, so each notification is
// queued exactly once, whatever restarts in between. A completed erasure also removes
// what the bot itself kept about the person (dialogue state, linked addresses).

#include <functional>
#include <string>

#include "dsr/config/config.h"
#include "dsr/requests/request_service.h"
#include "dsr/telegram/catalog.h"
#include "dsr/telegram/outbox.h"
#include "dsr/telegram/settings.h"

namespace dsr::telegram {

// Makes an expiring download link for an export too large for the chat (the downloads
// module provides it). An error, or no function at all, makes the message say whom to contact.
using LinkMaker =
    std::function<Result<std::string>(const std::string& request_id, const std::string& export_path)>;

struct NotifyContext {
  Database& db;
  RequestService& requests;
  const Clock& clock;
  const Catalog& catalog;
  const Config& config;
  const BotSettings& settings;
  LinkMaker link_maker;
  LogFn log;
};

// Queues the notifications due. Returns how many requests had news.
Result<std::size_t> queue_notifications(const NotifyContext& context);

// The text of a deletion certificate's summary (schemas/deletion-certificate.schema.json).
std::string certificate_summary(const Catalog& catalog, const std::string& language,
                                const std::string& request_id, const Poco::JSON::Object::Ptr& certificate);

}  // namespace dsr::telegram

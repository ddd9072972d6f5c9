#pragma once
// Mails to people who asked by mail: the verification code, a receipt with the due
// date once verified, an extension with its reason, a rejection with its reason and
// the right to complain, and completion with a download link (never the export
// itself). Changes are read from request_events into an outbox table, so a mail is
// queued once per request and kind and a send survives a restart; each mail goes
// to the From address recorded at intake.

#include <functional>
#include <string>

#include "dsr/mail/mail_context.h"
#include "dsr/mail/mail_sender.h"

namespace dsr::mail {

// Makes the download link of a completed access or portability request; the
// downloads module of `dsr serve` provides it (dsr::downloads::create_link).
using LinkMaker = std::function<Result<std::string>(const std::string& request_id)>;

struct SendReport {
  int queued = 0;  // outbox entries added from new events
  int sent = 0;
  int failed = 0;  // left in the outbox for the next call
  std::string first_error;
};

// Queues mails for new events of email requests, then sends what the outbox holds.
// A verification mail gets a fresh code each time it is sent; only its hash is kept.
// Errors are failures of the store; a failed send is counted and retried next time.
Result<SendReport> send_pending_notifications(const MailContext& context, MailSender& sender,
                                              const LinkMaker& link_maker);

// Outbox kinds.
inline constexpr const char* kVerification = "verification";
inline constexpr const char* kReceipt = "receipt";
inline constexpr const char* kExtension = "extension";
inline constexpr const char* kRejection = "rejection";
inline constexpr const char* kCompletion = "completion";

}  // namespace dsr::mail

#pragma once
// Deadline reminders, one job of `dsr serve`'s scheduler. An open request gets one
// reminder per threshold it crosses: due within workers.due_soon_days, due within a
// day, overdue. Each is recorded with the deadline it was given for (an extension
// starts them afresh), so a pass every few minutes reminds nobody twice.
//
// Every reminder is a log event (request id, type, threshold; never identities) and an
// audit entry; when mail is configured, the officers who act on requests (admin and
// officer roles, enabled, with an address from `dsr officer add --email`) get one mail
// per pass listing the new reminders. A mail that fails is tried again next pass.

#include <Poco/JSON/Object.h>

#include <functional>
#include <optional>
#include <string>

#include "dsr/audit/subject_key.h"
#include "dsr/common/time.h"
#include "dsr/mail/mail_sender.h"
#include "dsr/state/database.h"
#include "dsr/state/request_store.h"

namespace dsr::reminders {

// One JSON-lines event: name and fields.
using EventLog = std::function<void(const std::string& event, Poco::JSON::Object::Ptr fields)>;

struct ReminderContext {
  Database& db;
  const SubjectKey& key;
  const Clock& clock;
  int due_soon_days = 7;
  std::string actor;                   // the audit entries' actor, e.g. the worker's name
  mail::MailSender* sender = nullptr;  // nullptr: mail is not configured
  std::string link_base;  // `dsr serve`'s public address for links to the request pages; may be empty
  EventLog log;
};

struct ReminderReport {
  std::size_t reminded = 0;  // new reminders this pass
  std::size_t mails = 0;     // mails sent to officers
  std::size_t mail_failures = 0;
};

// The threshold a request has crossed at `now`, or nothing while its deadline is far
// (or the request is finished).
std::optional<std::string> threshold_for(const Request& request, TimePoint now, int due_soon_days);

// One pass. Errors are the store's; a failed mail is counted and retried next pass.
Result<ReminderReport> send_deadline_reminders(const ReminderContext& context);

}  // namespace dsr::reminders

#include "dsr/reminders/deadline_reminders.h"

#include <map>

#include "dsr/audit/audit_log.h"
#include "dsr/common/crypto.h"
#include "dsr/reminders/reminder_store.h"
#include "dsr/state/officer_email_store.h"

namespace dsr::reminders {

namespace {

std::string describe(const std::string& threshold) {
  if (threshold == "overdue") return "OVERDUE";
  if (threshold == "due_within_1_day") return "due within a day";
  return "due soon";
}

struct Line {
  GivenReminder reminder;
  std::string type;
  std::string status;
};

std::string mail_body(const std::vector<Line>& lines, const std::string& link_base) {
  std::string body =
      "These requests reached a deadline threshold. Deadlines are set by law; an extension\n"
      "must reach the person before the first deadline.\n\n";
  for (const auto& line : lines) {
    body += line.reminder.request_id + "  " + line.type + "  " + line.status + "  due " +
            format_utc(line.reminder.due_at) + "  " + describe(line.reminder.threshold) + "\n";
    if (!link_base.empty()) body += "  " + link_base + "/requests/" + line.reminder.request_id + "\n";
  }
  return body;
}

// Mails the reminders not mailed yet to every acting officer with an address.
Status mail_officers_holding_lock(const ReminderContext& c, ReminderReport& report) {
  std::vector<Line> lines;
  std::vector<OfficerEmail> officers;
  Status read = c.db.read([&] {
    ReminderStore store(c.db);
    RequestStore requests(c.db);
    for (auto& reminder : store.awaiting_mail()) {
      auto request = requests.find(reminder.request_id);
      if (!request) continue;
      lines.push_back(
          {reminder, std::string(to_string(request->type)), std::string(to_string(request->status))});
    }
    officers = OfficerEmailStore(c.db).of_acting_officers();
    return Status::Ok();
  });
  if (!read) return read;
  if (lines.empty()) return Status::Ok();
  bool all_sent = true;
  if (!officers.empty()) {
    const std::string subject =
        "Deadline reminder: " + std::to_string(lines.size()) + (lines.size() == 1 ? " request" : " requests");
    const std::string body = mail_body(lines, c.link_base);
    for (const auto& officer : officers) {
      mail::OutgoingMail mail;
      mail.to = officer.email;
      mail.subject = subject;
      mail.body = body;
      // Officer names may hold '@', so the id counts instead of naming.
      mail.message_id = "reminder." + std::to_string(c.clock.now().time_since_epoch().count()) + "." +
                        std::to_string(report.mails + report.mail_failures) + "@dsr";
      if (Status sent = c.sender->send(mail); sent) {
        ++report.mails;
      } else {
        all_sent = false;
        ++report.mail_failures;
        // The sender's errors name the server and step, never the recipient.
        c.log("reminder_mail_failed", [&] {
          Poco::JSON::Object::Ptr f = new Poco::JSON::Object;
          f->set("officer", officer.name);
          f->set("what", sent.error());
          return f;
        }());
      }
    }
  }
  // Officers who got the mail would get it again if a failure for another one kept the
  // rows pending; a retry goes to everyone, which errs on the side of being told.
  if (!all_sent) return Status::Ok();
  const MailState state = officers.empty() ? MailState::none : MailState::sent;
  return c.db.in_transaction([&] {
    ReminderStore store(c.db);
    for (const auto& line : lines) store.set_mail(line.reminder, state);
    return Status::Ok();
  });
}

// Longer than a digest takes to send (the SMTP client's own timeouts are shorter).
constexpr auto kMailLockTime = std::chrono::minutes(10);

// Mails the reminders not mailed yet to every acting officer with an address, unless
// another process is mailing them right now.
Status mail_officers(const ReminderContext& c, ReminderReport& report) {
  const std::string holder = c.actor + "/" + to_hex(random_bytes(8));
  bool held = false;
  Status taken = c.db.in_transaction([&] {
    const TimePoint now = c.clock.now();
    held = ReminderStore(c.db).take_mail_lock(holder, now, now + kMailLockTime);
    return Status::Ok();
  });
  if (!taken) return taken;
  if (!held) return Status::Ok();  // the holder mails these; a pass after it finds them sent
  Status mailed = mail_officers_holding_lock(c, report);
  Status released = c.db.in_transaction([&] {
    ReminderStore(c.db).release_mail_lock(holder);
    return Status::Ok();
  });
  if (!mailed) return mailed;
  return released;
}

}  // namespace

std::optional<std::string> threshold_for(const Request& request, TimePoint now, int due_soon_days) {
  if (is_terminal(request.status)) return std::nullopt;
  if (request.due_at < now) return std::string("overdue");
  if (due_soon_days <= 0) return std::nullopt;
  const long days = days_until(request.due_at, now);
  if (days <= 1) return std::string("due_within_1_day");
  if (days <= due_soon_days) return "due_within_" + std::to_string(due_soon_days) + "_days";
  return std::nullopt;
}

Result<ReminderReport> send_deadline_reminders(const ReminderContext& c) {
  ReminderReport report;
  const TimePoint now = c.clock.now();
  std::vector<Request> candidates;
  Status listed = c.db.read([&] {
    RequestFilter filter;
    filter.now = now;
    filter.due_before = add_days(now, std::max(0, c.due_soon_days) + 1);
    for (auto& r : RequestStore(c.db).list(filter)) {
      if (threshold_for(r, now, c.due_soon_days)) candidates.push_back(std::move(r));
    }
    return Status::Ok();
  });
  if (!listed) return listed.take_error();

  AuditLog audit(c.db, c.key, c.clock);
  for (const auto& candidate : candidates) {
    std::optional<GivenReminder> given;
    long days = 0;
    std::string type;
    Status done = c.db.in_transaction([&]() -> Status {
      // The row lock makes processes sharing a MariaDB store take turns here.
      auto request = RequestStore(c.db).find(candidate.id, true);
      if (!request) return Status::Ok();
      auto threshold = threshold_for(*request, now, c.due_soon_days);
      if (!threshold) return Status::Ok();
      ReminderStore store(c.db);
      if (store.given(request->id, request->due_at, *threshold)) return Status::Ok();
      GivenReminder reminder{request->id, request->due_at, *threshold};
      store.record(reminder, now, c.sender ? MailState::pending : MailState::none);
      days = days_until(request->due_at, now);
      type = std::string(to_string(request->type));
      Poco::JSON::Object::Ptr detail = new Poco::JSON::Object;
      detail->set("threshold", *threshold);
      detail->set("due_at", format_utc(request->due_at));
      detail->set("days_left", static_cast<Poco::Int64>(days));
      if (Status s =
              audit.append({"request.deadline_reminder", c.actor, request->id, request->subject, detail});
          !s)
        return s;
      given = reminder;
      return Status::Ok();
    });
    if (!done) return done.take_error();
    if (!given) continue;
    ++report.reminded;
    if (c.log) {
      Poco::JSON::Object::Ptr fields = new Poco::JSON::Object;
      fields->set("request_id", given->request_id);
      fields->set("type", type);
      fields->set("threshold", given->threshold);
      fields->set("due_at", format_utc(given->due_at));
      fields->set("days_left", static_cast<Poco::Int64>(days));
      c.log("deadline_reminder", fields);
    }
  }
  if (c.sender) {
    if (Status s = mail_officers(c, report); !s) return s.take_error();
  }
  return report;
}

}  // namespace dsr::reminders

#include "dsr/mail/notifications.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "dsr/common/crypto.h"
#include "dsr/mail/mail_store.h"
#include "dsr/mail/templates.h"
#include "dsr/mail/verification.h"
#include "dsr/requests/request_service.h"

namespace dsr::mail {

namespace {

constexpr const char* kCursor = "notifications";
constexpr int kEventBatch = 200;
constexpr long long kRereadWindow = 200;
constexpr int kOutboxBatch = 100;
// After this many failed sends an entry stays in the outbox, untried, for an operator to see.
constexpr long long kMaxSendAttempts = 10;

const char* kind_for(const MailEvent& event) {
  if (event.to_status == "pending_approval") return kReceipt;
  if (event.kind == "extended") return kExtension;
  if (event.to_status == "rejected") return kRejection;
  if (event.to_status == "completed") return kCompletion;
  return nullptr;
}

std::string type_label(RequestType type) {
  switch (type) {
    case RequestType::access:
      return "access to your personal data";
    case RequestType::portability:
      return "a copy of your data to take elsewhere";
    case RequestType::erasure:
      return "erasure of your personal data";
    case RequestType::objection:
      return "objection to the use of your data";
    case RequestType::unknown:
      return "data protection request";
  }
  return "data protection request";
}

// Server answers may quote the recipient ("550 <jane@example.com>: unknown user");
// errors are stored and printed, so addresses in them are masked.
std::string without_addresses(const std::string& text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto at = text.find('@', i);
    if (at == std::string::npos) {
      out += text.substr(i);
      break;
    }
    const auto is_part = [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || std::strchr("._%+-", c);
    };
    std::size_t start = at, end = at + 1;
    while (start > i && is_part(text[start - 1])) --start;
    while (end < text.size() && is_part(text[end])) ++end;
    out += text.substr(i, start - i) + "<address>";
    i = end;
  }
  return out;
}

std::string date_of(TimePoint t) { return format_utc(t).substr(0, 10); }

std::string domain_of(const std::string& address) {
  const auto at = address.find('@');
  return at == std::string::npos ? "localhost" : address.substr(at + 1);
}

Result<int> queue_new_events(const MailContext& context) {
  int queued = 0;
  bool more = true;
  bool first_pass = true;
  while (more) {
    Status done = context.db.in_transaction([&]() -> Status {
      MailStore store(context.db);
      long long cursor = store.cursor(kCursor);
      // On MariaDB, event ids are handed out before their transactions commit, so an
      // event can become visible behind the cursor; the trailing window reads it again
      // (enqueue is idempotent per request and kind).
      const long long from = first_pass ? std::max(0LL, cursor - kRereadWindow) : cursor;
      first_pass = false;
      const auto events = store.events_after(from, kEventBatch);
      for (const auto& event : events) {
        if (const char* kind = kind_for(event)) {
          if (store.enqueue(event.request_id, kind, context.clock.now())) ++queued;
        }
        cursor = event.id;
      }
      cursor = std::max(cursor, store.cursor(kCursor));
      if (!events.empty()) store.set_cursor(kCursor, cursor);
      more = events.size() == static_cast<std::size_t>(kEventBatch);
      return Status::Ok();
    });
    if (!done) return done.take_error();
  }
  return queued;
}

// The address as recorded at intake: the request's email identity.
std::string recipient_of(const Request& request) {
  for (const auto& identity : request.identities) {
    if (identity.kind == "email") return identity.value;
  }
  return "";
}

class Notifier {
 public:
  Notifier(const MailContext& context, MailSender& sender, const LinkMaker& link_maker)
      : context_(context), sender_(sender), link_maker_(link_maker) {}

  // Ok when the entry was sent or needs no mail; an error is this entry's failure.
  Status deliver(const OutboxEntry& entry, bool& skipped) {
    RequestService requests(context_.db, context_.key, context_.clock);
    auto request = requests.get(entry.request_id);
    if (!request) return request.take_error();
    const std::string to = recipient_of(*request);
    if (to.empty()) {
      skipped = true;  // minimised meanwhile: nobody left to write to
      return Status::Ok();
    }
    auto values = common_values(*request);
    std::string template_name = entry.kind + ".txt";
    std::string auto_submitted = "auto-generated";
    if (entry.kind == kVerification) {
      if (request->status != RequestStatus::awaiting_verification) {
        skipped = true;
        return Status::Ok();
      }
      auto code = issue_code(request->id);
      if (!code) return code.take_error();
      if (code->empty()) {
        skipped = true;
        return Status::Ok();
      }
      values["code"] = *code;
      values["expires_at"] =
          format_utc(context_.clock.now() + std::chrono::minutes(context_.config.code_expiry_minutes));
      if (!context_.config.link_base.empty()) {
        values["link"] = context_.config.link_base + "/mail/verify?request=" + request->id + "&code=" + *code;
        values["has_link"] = "yes";
      }
      auto_submitted = "auto-replied";
    } else if (entry.kind == kExtension) {
      values["reason"] = request->extension_reason;
    } else if (entry.kind == kRejection) {
      values["reason"] = request->status_reason;
    } else if (entry.kind == kCompletion) {
      if (request->type == RequestType::access || request->type == RequestType::portability) {
        if (!link_maker_) return fail("no download link maker configured");
        auto link = link_maker_(request->id);
        if (!link) return fail("download link: " + link.error());
        values["download_link"] = *link;
      } else {
        template_name = "completion_erasure.txt";
      }
    }
    auto rendered = render_template(context_.config.templates_dir, template_name, values);
    if (!rendered) return rendered.take_error();
    OutgoingMail mail;
    mail.to = to;
    mail.subject = rendered->subject;
    mail.body = rendered->body;
    mail.message_id = "dsr." + entry.kind + "." + request->id + "." + to_hex(random_bytes(6)) + "@" +
                      domain_of(context_.config.from_address);
    mail.auto_submitted = auto_submitted;
    return sender_.send(mail);
  }

 private:
  std::map<std::string, std::string> common_values(const Request& request) const {
    const ControllerInfo& controller = context_.config.controller;
    std::map<std::string, std::string> values;
    values["request_id"] = request.id;
    values["type_label"] = type_label(request.type);
    values["received_date"] = date_of(request.received_at);
    values["due_date"] = date_of(request.due_at);
    values["controller_name"] = controller.name.empty() ? "The data protection team" : controller.name;
    values["controller_contact"] = controller.contact;
    values["has_contact"] = controller.contact;
    values["supervisory_authority"] = controller.supervisory_authority;
    values["has_authority"] = controller.supervisory_authority;
    return values;
  }

  // A fresh code replaces any earlier one, so only the code in the latest mail works.
  // Empty when the request no longer waits for one.
  Result<std::string> issue_code(const std::string& request_id) {
    const std::string code = new_code();
    bool pending = false;
    Status stored = context_.db.in_transaction([&]() -> Status {
      MailStore store(context_.db);
      auto verification = store.find_verification(request_id, true);
      pending = verification && verification->state == "pending";
      if (pending) {
        store.set_code(request_id, code_hash(context_.key, request_id, code),
                       context_.clock.now() + std::chrono::minutes(context_.config.code_expiry_minutes));
      }
      return Status::Ok();
    });
    if (!stored) return stored.take_error();
    return pending ? code : std::string();
  }

  const MailContext& context_;
  MailSender& sender_;
  const LinkMaker& link_maker_;
};

}  // namespace

Result<SendReport> send_pending_notifications(const MailContext& context, MailSender& sender,
                                              const LinkMaker& link_maker) {
  SendReport report;
  auto queued = queue_new_events(context);
  if (!queued) return queued.take_error();
  report.queued = *queued;

  std::vector<OutboxEntry> entries;
  Status read = context.db.read([&] {
    entries = MailStore(context.db).unsent(kMaxSendAttempts, kOutboxBatch);
    return Status::Ok();
  });
  if (!read) return read.take_error();

  Notifier notifier(context, sender, link_maker);
  for (const auto& entry : entries) {
    bool skipped = false;
    Status delivered = notifier.deliver(entry, skipped);
    if (!delivered) delivered = fail(without_addresses(delivered.error()));
    Status recorded = context.db.in_transaction([&]() -> Status {
      MailStore store(context.db);
      if (delivered) {
        store.mark_sent(entry.id, context.clock.now());
      } else {
        store.mark_failed(entry.id, delivered.error());
      }
      return Status::Ok();
    });
    if (!recorded) return recorded.take_error();
    if (!delivered) {
      ++report.failed;
      if (report.first_error.empty()) report.first_error = delivered.error();
    } else if (!skipped) {
      ++report.sent;
    }
  }
  return report;
}

}  // namespace dsr::mail

#include "dsr/mail/intake.h"

#include <regex>

#include "dsr/common/crypto.h"
#include "dsr/mail/classifier.h"
#include "dsr/mail/loop_guard.h"
#include "dsr/mail/mail_store.h"
#include "dsr/mail/mime_parser.h"
#include "dsr/mail/notifications.h"
#include "dsr/mail/verification.h"
#include "dsr/requests/request_service.h"

namespace dsr::mail {

namespace {

constexpr const char* kActor = "mail:intake";

std::string message_key(const std::string& message_id, std::string_view raw) {
  if (!message_id.empty()) return sha256_hex("message-id\n" + message_id);
  return sha256_hex("raw\n" + std::string(raw));
}

// The request a reply refers to: "[ref <id>]" in the subject (kept by mail programs
// when replying), or dsr's Message-ID in In-Reply-To or References.
std::string referenced_request(const ParsedMail& mail) {
  static const std::regex in_subject(
      R"(\[ref ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\])");
  static const std::regex in_ids(
      R"(<dsr\.[a-z]+\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.)");
  std::smatch match;
  if (std::regex_search(mail.subject, match, in_subject)) return match[1];
  if (std::regex_search(mail.in_reply_to, match, in_ids)) return match[1];
  if (std::regex_search(mail.references, match, in_ids)) return match[1];
  return "";
}

class Intake {
 public:
  Intake(const MailContext& context, PollReport& report) : context_(context), report_(report) {}

  // Stores what becomes of one message; true when stored (or stored before).
  Status handle(const std::string& raw) {
    auto parsed = parse_mail(raw);
    const std::string key = message_key(parsed ? parsed->message_id : std::string(), raw);
    if (Status s = check_seen(key); !s || seen_) return s;
    if (!parsed) return note(key, kOutcomeRejected, parsed.error(), report_.rejected);
    const ParsedMail& mail = *parsed;
    if (auto automated = automated_reason(mail)) {
      return note(key, kOutcomeIgnored, "not answered: " + *automated, report_.ignored);
    }
    if (mail.from_count != 1 || mail.from.empty()) {
      return note(key, kOutcomeRejected, "From: not exactly one address", report_.rejected);
    }
    auto address = context_.identities.normalise("email", mail.from);
    if (!address) return note(key, kOutcomeRejected, "From: " + address.error(), report_.rejected);

    const std::string reference = referenced_request(mail);
    if (!reference.empty()) return handle_reply(key, reference, mail);
    const auto codes = codes_in(mail.subject + "\n" + mail.text);
    if (!codes.empty()) {
      std::vector<std::string> pending;
      Status read = context_.db.read([&] {
        pending = MailStore(context_.db).pending_for_subject(context_.key.pseudonym(*address));
        return Status::Ok();
      });
      if (!read) return read;
      // A fresh mail with a code instead of a reply: only unambiguous when one request waits.
      if (pending.size() == 1) return handle_reply(key, pending.front(), mail);
    }
    return submit(key, *address, mail);
  }

  // Handles a message too large to read: noted by its Message-ID.
  Status refuse_oversized(const std::string& message_id, long long size) {
    const std::string key = message_key(message_id, "oversized\n" + std::to_string(size));
    if (Status s = check_seen(key); !s || seen_) return s;
    return note(key, kOutcomeRejected, "larger than mail.max_message_bytes; not read", report_.rejected);
  }

 private:
  Status check_seen(const std::string& key) {
    seen_ = false;
    Status read = context_.db.read([&] {
      seen_ = MailStore(context_.db).find_message(key).has_value();
      return Status::Ok();
    });
    if (read && seen_) ++report_.repeated;
    return read;
  }

  Status note(const std::string& key, const char* outcome, const std::string& why, int& counter) {
    Status stored = context_.db.in_transaction([&] { return record(key, outcome, "", why); });
    if (stored) ++counter;
    return stored;
  }

  Status record(const std::string& key, const char* outcome, const std::string& request_id,
                const std::string& why) {
    MailStore(context_.db).record_message({key, context_.clock.now(), outcome, request_id, why});
    return Status::Ok();
  }

  Status handle_reply(const std::string& key, const std::string& request_id, const ParsedMail& mail) {
    bool awaited = false;
    Status read = context_.db.read([&] {
      awaited = MailStore(context_.db).find_verification(request_id).has_value();
      return Status::Ok();
    });
    if (!read) return read;
    if (!awaited) {
      // A reply to a receipt or another notification: not a new request.
      return note(key, kOutcomeIgnored, "reply to a dsr mail without a code to check", report_.ignored);
    }
    auto outcome = confirm_codes(
        context_, request_id, codes_in(mail.subject + "\n" + mail.text), [&](ConfirmOutcome result) {
          return record(key, kOutcomeVerification, request_id, "code " + std::string(to_string(result)));
        });
    if (!outcome) return outcome.take_error();
    ++report_.verifications;
    return Status::Ok();
  }

  Status submit(const std::string& key, const Identity& address, const ParsedMail& mail) {
    SubmitInput input;
    input.type = classify(mail.subject, mail.text, context_.config.keywords);
    input.identities = {address};
    input.regulation = context_.regulation;
    input.identities_proven = false;  // the From header is only a claim
    input.channel = kChannel;
    input.actor = kActor;
    input.record_with = [&](const SubmitOutcome& outcome) -> Status {
      MailStore store(context_.db);
      const std::string why = outcome.duplicate_of.empty() ? "" : "duplicate of an open request";
      store.record_message({key, context_.clock.now(), kOutcomeRequest, outcome.id, why});
      if (outcome.status == RequestStatus::awaiting_verification) {
        store.create_verification(outcome.id);
        store.enqueue(outcome.id, kVerification, context_.clock.now());
      }
      return Status::Ok();
    };
    RequestService requests(context_.db, context_.key, context_.clock);
    auto submitted = requests.submit(input);
    if (!submitted) return submitted.take_error();
    ++report_.requests;
    return Status::Ok();
  }

  const MailContext& context_;
  PollReport& report_;
  bool seen_ = false;
};

}  // namespace

PollReport poll_once(const MailContext& context, Mailbox& mailbox, const PollOptions& options) {
  PollReport report;
  auto entries = mailbox.list();
  if (!entries) {
    report.error = entries.error();
    return report;
  }
  Intake intake(context, report);
  int handled = 0;
  for (const auto& entry : *entries) {
    Status stored;
    if (entry.size > context.config.max_message_bytes) {
      auto id = mailbox.message_id(entry.number);
      if (!id) {
        report.error = id.error();
        return report;
      }
      ++report.fetched;
      stored = intake.refuse_oversized(*id, entry.size);
    } else {
      auto raw = mailbox.retrieve(entry.number);
      if (!raw) {
        report.error = raw.error();
        return report;
      }
      ++report.fetched;
      stored = intake.handle(*raw);
    }
    if (!stored) {
      // Left in the mailbox for the next pass.
      report.error = "mail intake: message " + std::to_string(entry.number) + ": " + stored.error();
      return report;
    }
    ++handled;
    if (options.after_commit) options.after_commit(handled);
    if (Status removed = mailbox.remove(entry.number); !removed) {
      report.error = removed.error();
      return report;
    }
  }
  if (Status finished = mailbox.finish(); !finished) report.error = finished.error();
  return report;
}

PollReport poll_once(const MailContext& context, const PollOptions& options) {
  auto mailbox = open_pop3(context.config.pop3, context.config.ca_file);
  if (!mailbox) {
    PollReport report;
    report.error = mailbox.error();
    return report;
  }
  return poll_once(context, **mailbox, options);
}

}  // namespace dsr::mail

// dsr mail poll: one pass over the mailbox, then the mails that are due (for cron;
// `dsr serve` runs the same two functions on its schedule).

#include <Poco/JSON/Object.h>

#include <iostream>

#include "dsr/app/cli_context.h"
#include "dsr/app/commands.h"
#include "dsr/downloads/links.h"
#include "dsr/mail/intake.h"
#include "dsr/mail/notifications.h"

namespace dsr::cli {

namespace {

// Download links belong to `dsr serve`'s downloads module; until it is linked in,
// completion mails of access and portability requests wait in the outbox.
// Completion mails carry a download link made by the downloads module, served by `dsr serve`.
mail::LinkMaker download_link_maker(Context& c) {
  return [&c](const std::string& request_id) -> Result<std::string> {
    auto link = downloads::create_link(*c.db, *c.key, c.clock, c.config, request_id);
    if (!link) return link.take_error();
    return link->url;
  };
}

}  // namespace

int cmd_mail_poll(Args& args, Streams io) {
  OptionSpec spec{{"--no-send"}, {}, {}, 0, 0};
  if (Status s = args.parse(spec); !s) return report_failure(io, s.error(), kExitUsage);
  auto context = open_context(args.config_path());
  if (!context) return report_failure(io, context.error());
  Context& c = **context;
  auto settings = mail::read_mail_config(c.config);
  if (!settings) return report_failure(io, settings.error());
  if (!settings->configured) return report_failure(io, "mail: no \"mail\" section in " + args.config_path());
  auto regulation = parse_regulation(c.config.regulation);
  if (!regulation) return report_failure(io, regulation.error());
  const mail::MailContext mail_context{*c.db, *c.key, c.clock, *settings, c.identities, *regulation};

  const mail::PollReport polled = mail::poll_once(mail_context);
  mail::SendReport sent;
  std::string send_error;
  if (!args.flag("--no-send")) {
    auto sender = mail::make_smtp_sender(*settings);
    auto result = mail::send_pending_notifications(mail_context, *sender, download_link_maker(c));
    if (result) {
      sent = *result;
      send_error = sent.first_error;
    } else {
      send_error = result.error();
    }
  }

  if (args.json()) {
    Poco::JSON::Object out;
    out.set("fetched", polled.fetched);
    out.set("requests", polled.requests);
    out.set("verifications", polled.verifications);
    out.set("ignored", polled.ignored);
    out.set("rejected", polled.rejected);
    out.set("repeated", polled.repeated);
    out.set("queued", sent.queued);
    out.set("sent", sent.sent);
    out.set("send_failed", sent.failed);
    out.stringify(io.out);
    io.out << "\n";
  } else {
    io.out << "mail: fetched " << polled.fetched << ", requests " << polled.requests << ", verifications "
           << polled.verifications << ", ignored " << polled.ignored << ", rejected " << polled.rejected
           << ", repeated " << polled.repeated << "; sent " << sent.sent << ", send failures " << sent.failed
           << "\n";
  }
  int code = kExitOk;
  if (!polled.ok()) code = report_failure(io, polled.error);
  if (!send_error.empty()) code = report_failure(io, "mail: " + send_error);
  return code;
}

}  // namespace dsr::cli

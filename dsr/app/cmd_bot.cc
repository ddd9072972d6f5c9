// dsr bot poll [--once] | dsr bot webhook: the Telegram bot from the command line.

#include <Poco/JSON/Object.h>

#include <atomic>
#include <csignal>
#include <thread>

#include "dsr/app/cli_context.h"
#include "dsr/app/commands.h"
#include "dsr/app/request_view.h"
#include "dsr/telegram/bot.h"

namespace dsr::cli {

namespace {

volatile std::sig_atomic_t stop_requested = 0;
extern "C" void request_stop(int) { stop_requested = 1; }

struct BotSetup {
  std::unique_ptr<Context> context;
  telegram::BotSettings settings;
  std::optional<telegram::Catalog> catalog;
  std::unique_ptr<telegram::CodeMailer> mailer;
  std::unique_ptr<telegram::BotApi> api;
  std::unique_ptr<telegram::Bot> bot;
};

Result<std::unique_ptr<BotSetup>> open_bot(const Args& args, Streams io) {
  auto context = open_context(args.config_path());
  if (!context) return context.take_error();
  auto setup = std::make_unique<BotSetup>();
  setup->context = std::move(*context);
  Context& c = *setup->context;
  auto settings = telegram::read_bot_settings(c.config);
  if (!settings) return settings.take_error();
  setup->settings = *settings;
  if (!settings->catalog_path.empty()) {
    auto catalog = telegram::Catalog::load(settings->catalog_path);
    if (!catalog) return catalog.take_error();
    setup->catalog = std::move(*catalog);
  }
  if (!settings->mail.host.empty())
    setup->mailer = std::make_unique<telegram::SmtpCodeMailer>(settings->mail);
  setup->api = std::make_unique<telegram::BotApi>(telegram::api_options(*settings));
  // The token is checked before anything else happens.
  auto me = setup->api->get_me();
  if (!me) return me.take_error();
  if (!me->ok) {
    return fail("telegram getMe: " + std::to_string(me->error_code) + " " + me->description +
                " (is telegram.token right?)");
  }
  std::ostream& err = io.err;
  telegram::BotEnvironment environment{*c.db,
                                       *c.key,
                                       c.clock,
                                       c.identities,
                                       c.config,
                                       *settings,
                                       setup->catalog ? &*setup->catalog : nullptr,
                                       setup->mailer.get(),
                                       nullptr,
                                       [&err](const std::string& line) { err << "dsr: " << line << "\n"; }};
  setup->bot = std::make_unique<telegram::Bot>(std::move(environment), *setup->api);
  return setup;
}

void print_report(Args& args, Streams io, const telegram::PollReport& r) {
  if (args.json()) {
    Poco::JSON::Object::Ptr j = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    j->set("updates", static_cast<Poco::UInt64>(r.updates));
    j->set("ignored", static_cast<Poco::UInt64>(r.ignored));
    j->set("duplicates", static_cast<Poco::UInt64>(r.duplicates));
    j->set("intents", static_cast<Poco::UInt64>(r.intents));
    j->set("notified", static_cast<Poco::UInt64>(r.notified));
    j->set("sent", static_cast<Poco::UInt64>(r.sent));
    print_json(io.out, j);
  } else {
    io.out << "bot: " << r.updates << " updates (" << r.ignored << " ignored, " << r.duplicates
           << " already handled), " << r.intents << " confirmations carried out, " << r.notified
           << " requests with news, " << r.sent << " calls sent\n";
  }
}

}  // namespace

int cmd_bot_poll(Args& args, Streams io) {
  if (Status s = args.parse(OptionSpec{{"--once"}, {}, {}, 0, 0}); !s)
    return report_failure(io, s.error(), kExitUsage);
  auto setup = open_bot(args, io);
  if (!setup) return report_failure(io, setup.error());
  BotSetup& b = **setup;
  if (b.settings.mode == "webhook") {
    return report_failure(
        io,
        "telegram.mode is webhook: updates arrive through `dsr serve`, and Telegram refuses "
        "getUpdates while a webhook is set");
  }
  if (args.flag("--once")) {
    auto report = b.bot->poll_once(std::chrono::seconds(0));
    if (!report) return report_failure(io, report.error());
    print_report(args, io, *report);
    return kExitOk;
  }
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  std::chrono::seconds pause(1);
  while (!stop_requested) {
    auto report = b.bot->poll_once(std::chrono::seconds(b.settings.poll_timeout_seconds));
    if (report) {
      pause = std::chrono::seconds(1);
      if (report->updates + report->sent > 0) print_report(args, io, *report);
      continue;
    }
    io.err << "dsr: " << report.error() << " (trying again in " << pause.count() << " s)\n";
    for (auto waited = std::chrono::seconds(0); waited < pause && !stop_requested;
         waited += std::chrono::seconds(1)) {
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
    pause = std::min(pause * 2, std::chrono::seconds(60));
  }
  return kExitOk;
}

int cmd_bot_webhook(Args& args, Streams io) {
  if (Status s = args.parse(OptionSpec{}); !s) return report_failure(io, s.error(), kExitUsage);
  auto setup = open_bot(args, io);
  if (!setup) return report_failure(io, setup.error());
  if (Status s = (*setup)->bot->register_webhook(); !s) return report_failure(io, s.error());
  io.out << "webhook set; Telegram now posts updates with the configured secret token\n";
  return kExitOk;
}

}  // namespace dsr::cli

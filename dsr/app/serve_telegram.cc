#include "dsr/app/serve_telegram.h"

#include <Poco/URI.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <optional>

#include "dsr/downloads/links.h"
#include "dsr/http/request_path.h"
#include "dsr/serve/scheduler.h"
#include "dsr/telegram/bot.h"

namespace dsr::cli {

namespace {

// Long enough that an idle bot makes few calls, short enough that `dsr serve` stops quickly.
constexpr int kLongPollSeconds = 3;
// In webhook mode the thread only looks for news to deliver.
constexpr std::chrono::seconds kDeliverInterval{5};
// Between long polls (which wait by themselves), and the step of a pause after a failure.
constexpr std::chrono::seconds kPollInterval{1};
constexpr std::chrono::seconds kLongestPause{60};

std::string summary(const telegram::PollReport& r) {
  if (r.updates + r.intents + r.notified + r.sent == 0) return "";
  return std::to_string(r.updates) + " updates (" + std::to_string(r.ignored) + " ignored, " +
         std::to_string(r.duplicates) + " already handled), " + std::to_string(r.intents) +
         " confirmations, " + std::to_string(r.notified) + " requests with news, " + std::to_string(r.sent) +
         " calls sent";
}

}  // namespace

struct ServeBot::Parts {
  explicit Parts(const ServeBotEnvironment& e) : environment(e) {}
  ServeBotEnvironment environment;
  telegram::BotSettings settings;
  std::optional<telegram::Catalog> catalog;
  std::unique_ptr<telegram::CodeMailer> mailer;
  std::unique_ptr<telegram::BotApi> api;
  std::unique_ptr<Database> db;  // the bot's own connection, used under `mutex` only
  std::unique_ptr<telegram::Bot> bot;
  std::mutex mutex;
  std::string webhook_path;
  std::unique_ptr<serve::Scheduler> thread;
  // After a failed call the thread pauses, doubling up to kLongestPause.
  std::chrono::steady_clock::time_point resume_at{};
  std::chrono::seconds pause{1};
};

ServeBot::ServeBot(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}
ServeBot::~ServeBot() { stop(); }

Result<std::unique_ptr<ServeBot>> ServeBot::open(const ServeBotEnvironment& environment) {
  const Config& config = environment.config;
  if (!config.document || !config.document->getObject("telegram")) return std::unique_ptr<ServeBot>();
  auto p = std::make_unique<Parts>(environment);
  auto settings = telegram::read_bot_settings(config);
  if (!settings) return settings.take_error();
  p->settings = *settings;
  if (p->settings.mode == "webhook") {
    Poco::URI uri;
    try {
      uri = Poco::URI(p->settings.webhook_url);
    } catch (const std::exception&) {
      return fail(config.path + ": /telegram/webhook_url: not a URL");
    }
    p->webhook_path = uri.getPath();
    if (p->webhook_path.empty() || p->webhook_path == "/") {
      return fail(config.path +
                  ": /telegram/webhook_url: needs a path for `dsr serve` to answer on, e.g. /telegram");
    }
  }
  if (!p->settings.catalog_path.empty()) {
    auto catalog = telegram::Catalog::load(p->settings.catalog_path);
    if (!catalog) return catalog.take_error();
    p->catalog = std::move(*catalog);
  }
  if (!p->settings.mail.host.empty())
    p->mailer = std::make_unique<telegram::SmtpCodeMailer>(p->settings.mail);
  p->api = std::make_unique<telegram::BotApi>(telegram::api_options(p->settings));
  auto db = Database::open(environment.connection);
  if (!db) return db.take_error();
  p->db = std::move(*db);
  Parts& parts = *p;
  telegram::BotEnvironment bot_environment{
      *parts.db, environment.key, environment.clock, environment.identities, config, parts.settings,
      parts.catalog ? &*parts.catalog : nullptr, parts.mailer.get(),
      // Runs on the bot's thread outside the bot's transactions, on the bot's connection.
      [&parts](const std::string& request_id, const std::string&) -> Result<std::string> {
        auto link = downloads::create_link(*parts.db, parts.environment.key, parts.environment.clock,
                                           parts.environment.config, request_id);
        if (!link) return link.take_error();
        return link->url;
      },
      // The bot's lines name events and request ids, never people.
      [&parts](const std::string& line) {
        parts.environment.log.info("telegram", serve::fields({{"message", line}}));
      }};
  p->bot = std::make_unique<telegram::Bot>(std::move(bot_environment), *p->api);
  const auto interval = p->settings.mode == "webhook" ? kDeliverInterval : kPollInterval;
  p->thread = std::make_unique<serve::Scheduler>(interval, environment.log);
  auto bot = std::unique_ptr<ServeBot>(new ServeBot(std::move(p)));
  ServeBot* self = bot.get();
  bot->parts_->thread->add({"telegram", [self] { return self->run_once(); }});
  return bot;
}

void ServeBot::add_routes(serve::Router& router) {
  if (parts_->webhook_path.empty()) return;
  Parts& p = *parts_;
  // A fallback, so that the log names "(telegram_webhook)" and never the configured path.
  router.add_fallback(
      "telegram_webhook",
      [&p](const Poco::Net::HTTPServerRequest& request) -> std::unique_ptr<Poco::Net::HTTPRequestHandler> {
        const auto path = http::path_under(request, p.webhook_path);  // nullopt for a malformed URI too
        if (!path || *path != p.webhook_path) return nullptr;
        return std::make_unique<telegram::WebhookRequestHandler>(*p.bot, p.mutex);
      });
}

std::string ServeBot::run_once() {
  Parts& p = *parts_;
  if (std::chrono::steady_clock::now() < p.resume_at) return "";
  Result<telegram::PollReport> report = fail("not run");
  {
    std::lock_guard lock(p.mutex);
    report =
        p.settings.mode == "webhook"
            ? p.bot->deliver()
            : telegram::poll_once(
                  *p.bot, std::chrono::seconds(std::min(kLongPollSeconds, p.settings.poll_timeout_seconds)));
  }
  if (!report) {
    p.resume_at = std::chrono::steady_clock::now() + p.pause;
    const auto pause = p.pause;
    p.pause = std::min(p.pause * 2, kLongestPause);
    throw std::runtime_error(report.error() + " (next try in " + std::to_string(pause.count()) + " s)");
  }
  p.pause = std::chrono::seconds(1);
  return summary(*report);
}

void ServeBot::start() { parts_->thread->start(); }

void ServeBot::stop() {
  if (parts_ && parts_->thread) parts_->thread->stop();
}

}  // namespace dsr::cli

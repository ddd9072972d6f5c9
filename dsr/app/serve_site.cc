#include "dsr/app/serve_site.h"

#include <Poco/Environment.h>
#include <Poco/Process.h>

#include <atomic>

#include "dsr/app/cli_context.h"
#include "dsr/app/serve_telegram.h"
#include "dsr/downloads/http.h"
#include "dsr/downloads/links.h"
#include "dsr/mail/intake.h"
#include "dsr/mail/mail_config.h"
#include "dsr/mail/mail_sender.h"
#include "dsr/mail/notifications.h"
#include "dsr/opendsr/callbacks.h"
#include "dsr/reminders/deadline_reminders.h"
#include "dsr/opendsr/http.h"
#include "dsr/run/batch_pass.h"
#include "dsr/run/housekeeping.h"
#include "dsr/serve/database_pool.h"
#include "dsr/serve/http_server.h"
#include "dsr/serve/router.h"
#include "dsr/state/migrations.h"
#include "dsr/web/mail_verify_routes.h"
#include "dsr/web/routes.h"

namespace dsr::cli {

struct Site::Parts {
  Config config;
  serve::ServeOptions options;
  mail::MailConfig mail;  // `configured` false without a mail section
  std::unique_ptr<SubjectKey> key;
  SystemClock system_clock;
  const Clock* clock = nullptr;
  IdentityNormaliser identities;
  ConnectorRegistry registry;
  std::unique_ptr<serve::DatabasePool> pool;
  std::unique_ptr<Database> scheduler_db;  // the scheduler's own connection (one thread)
  serve::Metrics metrics;
  std::unique_ptr<serve::JsonLog> log;
  std::unique_ptr<web::WebContext> web;
  std::unique_ptr<opendsr::HttpContext> opendsr;
  std::unique_ptr<downloads::HttpContext> downloads;
  std::unique_ptr<serve::Router> router;
  std::unique_ptr<serve::HttpServer> server;
  std::unique_ptr<serve::Scheduler> scheduler;
  std::unique_ptr<ServeBot> bot;  // only with a telegram section
  bool run_scheduler = true;
  bool run_bot = true;  // the bot's thread runs even when the batch is left to cron
  std::atomic<bool> stopping{false};
};

namespace {

// The jobs of each scheduler round, in order. Further periodic work joins this list as
// one ScheduledJob each, using the scheduler's own connection (p.scheduler_db).
// A job returns a one-line summary for the log (counts only) or throws; a throw is logged
// and the next job still runs.
void add_jobs(Site::Parts& p) {
  p.scheduler->add(
      {"batch", [&p] {
         RunEnvironment environment{p.config,   *p.scheduler_db, *p.key,         *p.clock,
                                    p.registry, p.identities,    this_worker(), DSR_VERSION};
         BatchHooks hooks;
         hooks.on_outcome = [&p](const RunOutcome& outcome, double seconds) {
           p.metrics.observe_run(outcome.type, outcome.status == RequestStatus::completed, seconds);
         };
         hooks.stop_requested = [&p] { return p.stopping.load(); };
         auto summary = run_batch_pass(environment, hooks);
         p.metrics.count_batch_pass();
         if (!summary) throw std::runtime_error(summary.error());
         return std::to_string(summary->completed) + " completed, " + std::to_string(summary->failed) +
                " failed, " + std::to_string(summary->skipped) + " lost to another worker";
       }});
  // Exports past their retention, and finished requests' identities turned into pseudonyms.
  p.scheduler->add({"housekeeping", [&p] {
                      const std::string actor = this_worker().name;
                      auto expired = expire_exports(*p.scheduler_db, *p.key, *p.clock, actor);
                      if (!expired) throw std::runtime_error(expired.error());
                      auto minimised = minimise_finished_requests(*p.scheduler_db, *p.key, *p.clock,
                                                                  p.config.workers.minimise_after_days, actor);
                      if (!minimised) throw std::runtime_error(minimised.error());
                      return std::to_string(*expired) + " exports deleted, " + std::to_string(*minimised) +
                             " requests minimised";
                    }});
  // The mailbox and the mail outbox, when the config has a mail section.
  p.scheduler->add({"mail", [&p] {
                      auto settings = mail::read_mail_config(p.config);
                      if (!settings) throw std::runtime_error(settings.error());
                      if (!settings->configured) return std::string("not configured");
                      auto regulation = parse_regulation(p.config.regulation);
                      if (!regulation) throw std::runtime_error(regulation.error());
                      const mail::MailContext context{*p.scheduler_db, *p.key,       *p.clock,
                                                      *settings,       p.identities, *regulation};
                      const mail::PollReport polled = mail::poll_once(context);
                      auto sender = mail::make_smtp_sender(*settings);
                      auto sent = mail::send_pending_notifications(
                          context, *sender, [&p](const std::string& request_id) -> Result<std::string> {
                            auto link = downloads::create_link(*p.scheduler_db, *p.key, *p.clock, p.config,
                                                               request_id);
                            if (!link) return link.take_error();
                            return link->url;
                          });
                      if (!sent) throw std::runtime_error(sent.error());
                      return std::to_string(polled.fetched) + " mails fetched, " +
                             std::to_string(polled.requests) + " requests";
                    }});
  // Deadline reminders: logged and audited always, mailed to officers when mail is configured.
  p.scheduler->add({"reminders", [&p] {
                      auto settings = mail::read_mail_config(p.config);
                      if (!settings) throw std::runtime_error(settings.error());
                      std::unique_ptr<mail::MailSender> sender;
                      if (settings->configured && !settings->smtp.host.empty())
                        sender = mail::make_smtp_sender(*settings);
                      const reminders::ReminderContext context{
                          *p.scheduler_db,   *p.key,        *p.clock, p.config.workers.due_soon_days,
                          this_worker().name, sender.get(), settings->link_base,
                          [&p](const std::string& event, Poco::JSON::Object::Ptr fields) {
                            p.log->info(event, fields);
                          }};
                      auto report = reminders::send_deadline_reminders(context);
                      if (!report) throw std::runtime_error(report.error());
                      return std::to_string(report->reminded) + " reminders, " + std::to_string(report->mails) +
                             " mails to officers, " + std::to_string(report->mail_failures) + " mails to retry";
                    }});
  // OpenDSR status callbacks, after the batch so that requests it finished are told at once.
  p.scheduler->add({"opendsr_callbacks", [&p] {
                      auto report = opendsr::deliver_pending_callbacks(
                          opendsr::ApiEnvironment{*p.scheduler_db, *p.key, *p.clock, p.config, p.identities});
                      if (!report) throw std::runtime_error(report.error());
                      return std::to_string(report->attempted) + " attempted, " +
                             std::to_string(report->delivered) + " delivered, " +
                             std::to_string(report->failed) + " to retry";
                    }});
}

}  // namespace

Site::Site(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}
Site::~Site() { stop(); }

Result<std::unique_ptr<Site>> Site::open(const SiteSettings& settings) {
  auto p = std::make_unique<Parts>();
  auto config = load_config(settings.config_path);
  if (!config) return config.take_error();
  p->config = std::move(*config);
  auto options = serve::read_serve_options(p->config);
  if (!options) return options.take_error();
  p->options = *options;
  if (settings.listen) p->options.listen = *settings.listen;
  p->clock = settings.clock ? settings.clock : &p->system_clock;
  p->identities = IdentityNormaliser(p->config.identities);
  register_builtin_connectors(p->registry);
  auto key = SubjectKey::load(p->config.key_file);
  if (!key) return key.take_error();
  p->key = std::make_unique<SubjectKey>(std::move(*key));
  const StoreConnection connection = store_connection(p->config);
  auto pool = serve::DatabasePool::open(connection, 8);
  if (!pool) return pool.take_error();
  p->pool = std::move(*pool);
  {
    auto db = p->pool->acquire();
    if (Status s = check_schema_version(*db); !s) return s.take_error();
  }
  auto scheduler_db = Database::open(connection);
  if (!scheduler_db) return scheduler_db.take_error();
  p->scheduler_db = std::move(*scheduler_db);
  p->log = std::make_unique<serve::JsonLog>(*settings.log);
  p->run_scheduler = settings.scheduler && p->options.batch_interval_minutes > 0;
  p->run_bot = settings.scheduler;

  p->web = std::make_unique<web::WebContext>(web::WebContext{
      p->config, p->options, *p->pool, *p->key, *p->clock, p->identities, p->registry, p->metrics, *p->log});
  const auto open_database = [connection]() { return Database::open(connection); };
  p->opendsr = std::make_unique<opendsr::HttpContext>(
      opendsr::HttpContext{p->config, open_database, *p->key, *p->clock, p->identities});
  p->downloads = std::make_unique<downloads::HttpContext>(
      downloads::HttpContext{p->config, open_database, *p->key, *p->clock});
  // Pooled connections: opening one per call cost most of a status call's time.
  const auto lend = [pool = p->pool.get()](const std::function<void(Database&)>& work) {
    auto lease = pool->acquire();
    work(*lease);
  };
  p->opendsr->lend_database = lend;
  p->downloads->lend_database = lend;
  p->router = std::make_unique<serve::Router>(p->metrics, *p->log, p->options.tls());
  web::add_web_routes(*p->router, *p->web);
  auto mail_config = mail::read_mail_config(p->config);
  if (!mail_config) return mail_config.take_error();
  p->mail = std::move(*mail_config);
  // The link in verification mails (mail.link_base + /mail/verify), only where mail requests exist.
  if (p->mail.configured) web::add_mail_verify_routes(*p->router, *p->web, p->mail);
  const opendsr::HttpContext& opendsr_context = *p->opendsr;
  p->router->add_fallback("opendsr", [&opendsr_context](const Poco::Net::HTTPServerRequest& request) {
    return opendsr::make_opendsr_handler(request, opendsr_context);
  });
  const downloads::HttpContext& downloads_context = *p->downloads;
  p->router->add_fallback("download", [&downloads_context](const Poco::Net::HTTPServerRequest& request) {
    return downloads::make_download_handler(request, downloads_context);
  });

  auto bot = ServeBot::open(
      ServeBotEnvironment{p->config, *p->key, *p->clock, p->identities, connection, *p->log});
  if (!bot) return bot.take_error();
  p->bot = std::move(*bot);
  if (p->bot) p->bot->add_routes(*p->router);

  p->scheduler = std::make_unique<serve::Scheduler>(
      std::chrono::seconds(std::max(1, p->options.batch_interval_minutes) * 60), *p->log);
  add_jobs(*p);
  return std::unique_ptr<Site>(new Site(std::move(p)));
}

Status Site::start() {
  auto server = serve::HttpServer::start(*parts_->router, parts_->options);
  if (!server) return server.take_error();
  parts_->server = std::move(*server);
  parts_->log->info("listening", serve::fields({{"host", parts_->options.listen.host},
                                                {"port", static_cast<int>(parts_->server->port())},
                                                {"tls", parts_->options.tls()}}));
  if (parts_->run_scheduler) parts_->scheduler->start();
  if (parts_->run_bot && parts_->bot) parts_->bot->start();
  return Status::Ok();
}

void Site::stop() {
  if (!parts_ || parts_->stopping.exchange(true)) return;
  if (parts_->server) parts_->server->stop();
  parts_->scheduler->stop();
  if (parts_->bot) parts_->bot->stop();
  parts_->log->info("stopped");
}

unsigned Site::port() const { return parts_->server ? parts_->server->port() : 0; }

void Site::run_jobs_once() {
  parts_->scheduler->run_round();
  if (!parts_->bot) return;
  try {
    parts_->bot->run_once();
  } catch (const std::exception& e) {
    parts_->log->error("job_failed", serve::fields({{"job", std::string("telegram")}, {"what", std::string(e.what())}}));
  }
}

}  // namespace dsr::cli

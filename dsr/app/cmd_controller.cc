// dsr controller add | list | key | callbacks: the controllers that may use the OpenDSR
// API, the processor key that signs what dsr sends them, and one pass of status callbacks
// (for cron, where `dsr serve` does not run them).

#include <Poco/File.h>
#include <Poco/JSON/Array.h>

#include "dsr/app/cli_context.h"
#include "dsr/app/commands.h"
#include "dsr/app/request_view.h"
#include "dsr/config/config.h"
#include "dsr/opendsr/callbacks.h"
#include "dsr/opendsr/controllers.h"
#include "dsr/opendsr/processor_key.h"
#include "dsr/opendsr/settings.h"

namespace dsr::cli {

int cmd_controller_add(Args& args, Streams io) {
  if (Status s = args.parse(OptionSpec{{}, {"--callback-domain"}, {}, 1, 1}); !s) {
    return report_failure(io, s.error(), kExitUsage);
  }
  const auto domain = args.value("--callback-domain");
  if (!domain) return report_failure(io, "--callback-domain DOMAIN is required (where status callbacks may go)", kExitUsage);
  auto context = open_context(args.config_path());
  if (!context) return report_failure(io, context.error());
  Context& c = **context;
  auto api_key = opendsr::add_controller(*c.db, *c.key, c.clock, args.words()[0], *domain, "cli");
  if (!api_key) return report_failure(io, api_key.error());
  if (args.json()) {
    Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    out->set("controller_id", args.words()[0]);
    out->set("api_key", *api_key);
    print_json(io.out, out);
  } else {
    io.out << "controller " << args.words()[0] << " added; its API key (shown only now, store it safely):\n"
           << *api_key << "\n";
  }
  return kExitOk;
}

int cmd_controller_list(Args& args, Streams io) {
  if (Status s = args.parse(OptionSpec{}); !s) return report_failure(io, s.error(), kExitUsage);
  auto context = open_context(args.config_path());
  if (!context) return report_failure(io, context.error());
  auto list = opendsr::list_controllers(*(*context)->db);
  if (!list) return report_failure(io, list.error());
  if (args.json()) {
    Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
    for (const auto& controller : *list) {
      Poco::JSON::Object::Ptr entry = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      entry->set("controller_id", controller.id);
      entry->set("callback_domain", controller.callback_domain);
      entry->set("created_at", format_utc(controller.created_at));
      entry->set("disabled", controller.disabled);
      array->add(entry);
    }
    print_json(io.out, array);
  } else {
    for (const auto& controller : *list) {
      io.out << controller.id << "  callbacks to " << controller.callback_domain << "  since "
             << format_utc(controller.created_at) << (controller.disabled ? "  disabled" : "") << "\n";
    }
  }
  return kExitOk;
}

int cmd_controller_key(Args& args, Streams io) {
  if (Status s = args.parse(OptionSpec{}); !s) return report_failure(io, s.error(), kExitUsage);
  auto config = load_config(args.config_path());
  if (!config) return report_failure(io, config.error());
  const std::string path = opendsr::read_settings(*config).private_key_file;
  if (!Poco::File(path).exists()) {
    if (Status s = opendsr::create_processor_key(path); !s) return report_failure(io, s.error());
    io.err << "dsr: created the processor key " << path << "\n";
  }
  auto key = opendsr::ProcessorKey::load(path);
  if (!key) return report_failure(io, key.error());
  io.out << key->public_pem();
  return kExitOk;
}

int cmd_controller_callbacks(Args& args, Streams io) {
  if (Status s = args.parse(OptionSpec{}); !s) return report_failure(io, s.error(), kExitUsage);
  auto context = open_context(args.config_path());
  if (!context) return report_failure(io, context.error());
  Context& c = **context;
  auto report = opendsr::deliver_pending_callbacks({*c.db, *c.key, c.clock, c.config, c.identities});
  if (!report) return report_failure(io, report.error());
  io.out << "callbacks: " << report->attempted << " sent, " << report->delivered << " delivered, " << report->failed
         << " to retry\n";
  return report->failed == 0 ? kExitOk : kExitFailure;
}

}  // namespace dsr::cli

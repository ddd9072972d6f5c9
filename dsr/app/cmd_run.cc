// dsr plan | run | batch

#include <Poco/JSON/Array.h>

#include <unistd.h>

#include <iomanip>

#include "connectors/core/registry.h"
#include "dsr/app/cli_context.h"
#include "dsr/app/commands.h"
#include "dsr/app/request_view.h"
#include "dsr/plan/plan.h"
#include "dsr/run/batch_pass.h"
#include "dsr/run/housekeeping.h"
#include "dsr/run/request_runner.h"
#include "dsr/run/stores.h"

namespace dsr::cli {

namespace {

// Progress on a terminal; nothing otherwise (the summary line says what happened).
ProgressFn progress_for(Streams io, const std::string& id) {
  if (!::isatty(STDERR_FILENO)) return nullptr;
  return [io, id](std::size_t done, const std::string& what) {
    io.err << "\r\x1b[K" << id.substr(0, 8) << "  step " << done << "  " << what << std::flush;
  };
}

void end_progress(Streams io) {
  if (::isatty(STDERR_FILENO)) io.err << "\r\x1b[K" << std::flush;
}

Poco::JSON::Object::Ptr outcome_json(const RunOutcome& o) {
  Poco::JSON::Object::Ptr j = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  j->set("id", o.id);
  j->set("type", std::string(to_string(o.type)));
  j->set("status", std::string(to_string(o.status)));
  j->set("export", o.export_path.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(o.export_path));
  j->set("password", o.password.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(o.password));
  j->set("certificate", o.certificate_path.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(o.certificate_path));
  j->set("rows", static_cast<Poco::UInt64>(o.rows));
  j->set("collections", static_cast<Poco::UInt64>(o.collections));
  j->set("failure", o.failure.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(o.failure));
  return j;
}

std::string outcome_line(const RunOutcome& o) {
  if (o.status == RequestStatus::completed && o.type == RequestType::erasure) {
    return o.id + " completed: " + std::to_string(o.rows) + " rows erased or masked in " +
           std::to_string(o.collections) + " collections, verified; certificate " + o.certificate_path;
  }
  if (o.status == RequestStatus::completed && o.type == RequestType::objection) {
    return o.id + " completed: objection applied to " + std::to_string(o.rows) + " rows in " +
           std::to_string(o.collections) + " collections, verified";
  }
  if (o.status == RequestStatus::completed) {
    std::string line = o.id + " completed: " + std::to_string(o.rows) + " rows from " + std::to_string(o.collections) +
                       " collections -> " + o.export_path;
    if (!o.password.empty()) line += " (encrypted; password: " + o.password + ")";
    return line;
  }
  return o.id + " failed: " + o.failure;
}

struct Runner {
  std::unique_ptr<Context> context;
  ConnectorRegistry registry;
  std::unique_ptr<RequestRunner> runner;
};

Result<std::unique_ptr<Runner>> open_runner(const Args& args) {
  auto context = open_context(args.config_path());
  if (!context) return context.take_error();
  auto r = std::make_unique<Runner>();
  r->context = std::move(*context);
  register_builtin_connectors(r->registry);
  Context& c = *r->context;
  r->runner = std::make_unique<RequestRunner>(
      RunEnvironment{c.config, *c.db, *c.key, c.clock, r->registry, c.identities, this_worker(), DSR_VERSION});
  return r;
}

}  // namespace

int cmd_run(Args& args, Streams io) {
  if (Status s = args.parse(OptionSpec{{}, {}, {}, 1, 1}); !s) return report_failure(io, s.error(), kExitUsage);
  auto runner = open_runner(args);
  if (!runner) return report_failure(io, runner.error());
  const std::string& id = args.words()[0];
  auto outcome = (*runner)->runner->run(id, progress_for(io, id));
  end_progress(io);
  if (!outcome) return report_failure(io, outcome.error());
  if (args.json()) print_json(io.out, outcome_json(*outcome));
  if (outcome->status != RequestStatus::completed) return report_failure(io, outcome_line(*outcome));
  if (!args.json()) io.out << outcome_line(*outcome) << "\n";
  return kExitOk;
}

int cmd_batch(Args& args, Streams io) {
  if (Status s = args.parse(OptionSpec{{}, {"--due-within"}, {}, 0, 0}); !s) {
    return report_failure(io, s.error(), kExitUsage);
  }
  auto runner = open_runner(args);
  if (!runner) return report_failure(io, runner.error());
  Context& c = *(*runner)->context;
  int due_days = c.config.workers.due_soon_days;
  if (auto text = args.value("--due-within")) {
    try {
      std::size_t used = 0;
      due_days = std::stoi(*text, &used);
      if (used != text->size() || due_days < 0) throw std::invalid_argument("negative");
    } catch (const std::exception&) {
      return report_failure(io, "--due-within: expected a number of days", kExitUsage);
    }
  }
  const std::string actor = (*runner)->runner->queue().worker().name;

  // Requests first: they have deadlines. Each is claimed, so other batch processes
  // and dsr serve can work through the same queue at the same time.
  Poco::JSON::Array::Ptr results = new Poco::JSON::Array;
  BatchHooks hooks;
  hooks.progress = progress_for(io, "batch");
  hooks.on_outcome = [&](const RunOutcome& o, double) {
    end_progress(io);
    if (args.json()) {
      results->add(outcome_json(o));
    } else {
      io.out << outcome_line(o) << "\n";
    }
  };
  auto pass = run_batch_pass((*runner)->runner->environment(), hooks);
  end_progress(io);
  const bool queue_error = !pass.ok();
  if (!pass) io.err << "dsr: " << pass.error() << "\n";
  BatchSummary summary = pass ? *pass : BatchSummary{};
  for (const auto& reason : summary.skip_reasons) io.err << "dsr: " << reason << "\n";
  const std::size_t completed = summary.completed, failed = summary.failed, not_finished = summary.skipped;

  auto expired = expire_exports(*c.db, *c.key, c.clock, actor);
  if (!expired) io.err << "dsr: " << expired.error() << "\n";
  auto minimised = minimise_finished_requests(*c.db, *c.key, c.clock, c.config.workers.minimise_after_days, actor);
  if (!minimised) io.err << "dsr: " << minimised.error() << "\n";

  RequestService requests(*c.db, *c.key, c.clock);
  RequestFilter due_soon;
  due_soon.now = c.clock.now();
  due_soon.due_before = add_days(due_soon.now, due_days + 1);
  auto open = requests.list(due_soon);
  std::vector<Request> due;
  if (open) {
    for (auto& r : *open) {
      if (!is_terminal(r.status)) due.push_back(std::move(r));
    }
  } else {
    io.err << "dsr: " << open.error() << "\n";
  }

  if (args.json()) {
    Poco::JSON::Object::Ptr summary = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    summary->set("completed", static_cast<Poco::UInt64>(completed));
    summary->set("failed", static_cast<Poco::UInt64>(failed));
    summary->set("not_finished", static_cast<Poco::UInt64>(not_finished));
    summary->set("results", results);
    summary->set("exports_deleted", static_cast<Poco::UInt64>(expired ? *expired : 0));
    summary->set("requests_minimised", static_cast<Poco::UInt64>(minimised ? *minimised : 0));
    Poco::JSON::Array::Ptr due_json = new Poco::JSON::Array;
    for (const auto& r : due) {
      Poco::JSON::Object::Ptr j = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      j->set("id", r.id);
      j->set("type", std::string(to_string(r.type)));
      j->set("status", std::string(to_string(r.status)));
      j->set("due_at", format_utc(r.due_at));
      due_json->add(j);
    }
    summary->set("due_within_days", due_days);
    summary->set("due", due_json);
    print_json(io.out, summary);
  } else {
    for (const auto& r : due) {
      const long days = days_until(r.due_at, c.clock.now());
      io.out << "due: " << r.id << " " << to_string(r.type) << " " << to_string(r.status) << " "
             << format_utc(r.due_at).substr(0, 10) << (days < 0 ? " OVERDUE" : " in " + std::to_string(days) + " days")
             << "\n";
    }
    io.out << "batch: " << completed << " completed, " << failed << " failed, " << not_finished << " not finished; "
           << (expired ? *expired : 0) << " exports deleted, " << (minimised ? *minimised : 0)
           << " requests minimised; " << due.size() << " open requests due within " << due_days << " days\n";
  }
  const bool housekeeping_ok = expired && minimised && open;
  return failed == 0 && !queue_error && housekeeping_ok ? kExitOk : kExitFailure;
}

int cmd_plan(Args& args, Streams io) {
  if (Status s = args.parse(OptionSpec{{}, {"--identity"}, {"--identity"}, 0, 1}); !s) {
    return report_failure(io, s.error(), kExitUsage);
  }
  const auto identity_texts = args.values("--identity");
  if (args.words().empty() == identity_texts.empty()) {
    return report_failure(io, "plan: give either a request ID or --identity KIND=VALUE", kExitUsage);
  }
  auto context = open_context(args.config_path());
  if (!context) return report_failure(io, context.error());
  Context& c = **context;
  std::vector<std::string> kinds;
  if (!args.words().empty()) {
    RequestService requests(*c.db, *c.key, c.clock);
    auto request = requests.get(args.words()[0]);
    if (!request) return report_failure(io, request.error());
    for (const auto& identity : request->identities) {
      if (identity.proven) kinds.push_back(identity.kind);
    }
  } else {
    for (const auto& text : identity_texts) {
      auto identity = c.identities.parse_assignment(text);
      if (!identity) return report_failure(io, identity.error());
      kinds.push_back(identity->kind);
    }
  }
  ConnectorRegistry registry;
  register_builtin_connectors(registry);
  auto stores = open_stores(c.config, registry, c.identities);
  if (!stores) return report_failure(io, stores.error());

  Poco::JSON::Array::Ptr json_steps = new Poco::JSON::Array;
  std::vector<std::string> warnings;
  std::size_t number = 0;
  for (const auto& mapping : stores->mappings) {
    Connector& connector = stores->connector_for(mapping);
    const auto plan = make_plan(mapping, kinds);
    if (!args.json()) io.out << "dataset " << mapping.dataset << " (connector " << mapping.connector << ")\n";
    if (plan.empty() && !args.json()) io.out << "  no field carries these identity kinds\n";
    for (const auto& step : plan) {
      const CollectionMapping* collection = mapping.collection(step.collection);
      std::vector<std::string> fields;
      for (const auto& f : collection->fields) fields.push_back(f.name);
      // One placeholder value: the statement's shape, never a person's value.
      FetchStep fetch{{step.collection, step.match_field, step.mode, step.stored_as, {Value(std::string("?"))}},
                      fields, collection->primary_key};
      const std::string query = connector.describe(fetch);
      std::string via = step.reached_by == ReachedBy::identity
                            ? "identity " + step.identity_kind
                            : std::string(step.reached_by == ReachedBy::down ? "reference from " : "context from ") +
                                  step.from_collection + "." + step.from_field;
      auto indexed = connector.is_indexed(step.collection, step.match_field);
      if (!indexed) return report_failure(io, indexed.error());
      if (!*indexed) {
        warnings.push_back(mapping.dataset + "." + step.collection + "." + step.match_field +
                           " has no index: matching it scans the whole collection");
      }
      ++number;
      if (args.json()) {
        Poco::JSON::Object::Ptr j = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        j->set("step", static_cast<Poco::UInt64>(number));
        j->set("dataset", mapping.dataset);
        j->set("collection", step.collection);
        j->set("field", step.match_field);
        j->set("reached_by", std::string(to_string(step.reached_by)));
        j->set("via", via);
        j->set("query", query);
        j->set("indexed", *indexed);
        json_steps->add(j);
      } else {
        io.out << "  " << std::right << std::setw(2) << number << ". " << std::left << std::setw(22) << step.collection << " via "
               << via << "\n      " << query << "\n";
      }
    }
  }
  if (args.json()) {
    Poco::JSON::Object::Ptr j = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    j->set("steps", json_steps);
    Poco::JSON::Array::Ptr w = new Poco::JSON::Array;
    for (const auto& text : warnings) w->add(text);
    j->set("warnings", w);
    print_json(io.out, j);
  } else {
    for (const auto& text : warnings) io.err << "dsr: warning: " << text << "\n";
  }
  return kExitOk;
}

}  // namespace dsr::cli

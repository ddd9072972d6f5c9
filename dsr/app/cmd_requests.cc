// dsr submit | list | show | verify | approve | reject | extend | cancel

#include <Poco/JSON/Array.h>

#include <iostream>

#include "dsr/app/cli_context.h"
#include "dsr/app/commands.h"
#include "dsr/app/request_view.h"
#include "dsr/requests/request_service.h"
#include "dsr/serve/options.h"

namespace dsr::cli {

namespace {

// Opens the context and builds the service, or reports why not.
struct Session {
  std::unique_ptr<Context> context;
  std::unique_ptr<RequestService> service;
};

Result<Session> open_session(const Args& args) {
  auto context = open_context(args.config_path());
  if (!context) return context.take_error();
  Session session;
  session.context = std::move(*context);
  session.service = std::make_unique<RequestService>(*session.context->db, *session.context->key,
                                                     session.context->clock);
  // The same rule as the web queue: otherwise one officer could approve an erasure from
  // the shell that the web would hold for a second officer.
  auto serve_options = serve::read_serve_options(session.context->config);
  if (!serve_options) return serve_options.take_error();
  session.service->set_erasure_needs_two_officers(serve_options->erasure_two_officers);
  return session;
}

int parse_or_usage(Args& args, const OptionSpec& spec, Streams io) {
  if (Status s = args.parse(spec); !s) return report_failure(io, s.error(), kExitUsage);
  return kExitOk;
}

}  // namespace

int cmd_submit(Args& args, Streams io) {
  OptionSpec spec{{"--verified"}, {"--type", "--identity", "--regulation", "--received", "--channel", "--officer"},
                  {"--identity"}, 0, 0};
  if (int rc = parse_or_usage(args, spec, io)) return rc;
  const auto type_text = args.value("--type");
  if (!type_text) return report_failure(io, "submit: --type is required (access, portability, erasure, objection)", kExitUsage);
  auto type = parse_request_type(*type_text);
  if (!type) return report_failure(io, "--type: " + type.error(), kExitUsage);
  const auto identity_texts = args.values("--identity");
  if (identity_texts.empty()) return report_failure(io, "submit: at least one --identity KIND=VALUE is required", kExitUsage);

  auto session = open_session(args);
  if (!session) return report_failure(io, session.error());
  Context& context = *session->context;

  SubmitInput input;
  input.type = *type;
  auto regulation = parse_regulation(args.value("--regulation").value_or(context.config.regulation));
  if (!regulation) return report_failure(io, "--regulation: " + regulation.error(), kExitUsage);
  input.regulation = *regulation;
  for (const auto& text : identity_texts) {
    auto identity = context.identities.parse_assignment(text);
    if (!identity) return report_failure(io, identity.error());
    input.identities.push_back(std::move(*identity));
  }
  input.identities_proven = args.flag("--verified");
  if (auto channel = args.value("--channel")) {
    if (*channel != "cli" && *channel != "letter" && *channel != "phone" && *channel != "web") {
      return report_failure(io, "--channel: expected one of: cli, letter, phone, web", kExitUsage);
    }
    input.channel = *channel;
  }
  if (auto officer = args.value("--officer")) {
    input.submitted_by = *officer;
    input.actor = "officer:" + *officer;
  }
  if (auto received = args.value("--received")) {
    auto parsed = parse_utc(*received);
    if (!parsed) return report_failure(io, "--received: " + parsed.error(), kExitUsage);
    input.received_at = *parsed;
  }
  auto outcome = session->service->submit(input);
  if (!outcome) return report_failure(io, outcome.error());
  if (args.json()) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("id", outcome->id);
    o->set("status", std::string(to_string(outcome->status)));
    o->set("due_at", format_utc(outcome->due_at));
    o->set("duplicate_of", outcome->duplicate_of.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(outcome->duplicate_of));
    print_json(io.out, o);
  } else {
    io.out << outcome->id << "\n";
    if (!outcome->duplicate_of.empty()) {
      io.err << "dsr: note: an open " << *type_text << " request for this subject exists (" << outcome->duplicate_of
             << "); this one is linked to it as a duplicate and will not be processed twice\n";
    }
  }
  return kExitOk;
}

int cmd_list(Args& args, Streams io) {
  OptionSpec spec{{"--overdue"}, {"--status", "--type", "--channel", "--due-within"}, {}, 0, 0};
  if (int rc = parse_or_usage(args, spec, io)) return rc;
  RequestFilter filter;
  if (auto status = args.value("--status")) {
    auto parsed = parse_request_status(*status);
    if (!parsed) return report_failure(io, "--status: " + parsed.error(), kExitUsage);
    filter.status = *parsed;
  }
  if (auto type = args.value("--type")) {
    auto parsed = parse_request_type(*type);
    if (!parsed) return report_failure(io, "--type: " + parsed.error(), kExitUsage);
    filter.type = *parsed;
  }
  filter.channel = args.value("--channel");
  filter.overdue_only = args.flag("--overdue");
  std::optional<int> due_within;
  if (auto days = args.value("--due-within")) {
    try {
      std::size_t used = 0;
      due_within = std::stoi(*days, &used);
      if (used != days->size() || *due_within < 0) throw std::invalid_argument("negative");
    } catch (const std::exception&) {
      return report_failure(io, "--due-within: expected a number of days", kExitUsage);
    }
  }
  auto session = open_session(args);
  if (!session) return report_failure(io, session.error());
  const TimePoint now = session->context->clock.now();
  if (due_within) filter.due_before = add_days(now, *due_within + 1);
  auto requests = session->service->list(filter);
  if (!requests) return report_failure(io, requests.error());
  if (args.json()) {
    Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
    for (const auto& r : *requests) array->add(request_json(r, now));
    print_json(io.out, array);
  } else {
    print_request_table(io.out, *requests, now);
  }
  return kExitOk;
}

int cmd_show(Args& args, Streams io) {
  if (int rc = parse_or_usage(args, OptionSpec{{}, {}, {}, 1, 1}, io)) return rc;
  auto session = open_session(args);
  if (!session) return report_failure(io, session.error());
  const std::string& id = args.words()[0];
  auto request = session->service->get(id);
  if (!request) return report_failure(io, request.error());
  auto events = session->service->events(id);
  if (!events) return report_failure(io, events.error());
  const TimePoint now = session->context->clock.now();
  if (args.json()) {
    auto o = request_json(*request, now);
    Poco::JSON::Array::Ptr timeline = new Poco::JSON::Array;
    for (const auto& e : *events) {
      Poco::JSON::Object::Ptr entry = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      entry->set("at", format_utc(e.at));
      entry->set("kind", e.kind);
      entry->set("actor", e.actor);
      entry->set("from", e.from_status);
      entry->set("to", e.to_status);
      entry->set("note", e.note);
      timeline->add(entry);
    }
    o->set("timeline", timeline);
    print_json(io.out, o);
  } else {
    print_request_detail(io.out, *request, *events, now);
  }
  return kExitOk;
}

namespace {

// The shape shared by verify, approve, reject and cancel: ID, an actor, a text, one call.
enum class Action { verify, approve, reject, cancel };

int officer_action(Args& args, Streams io, Action action) {
  OptionSpec spec{{}, {"--note", "--reason"}, {}, 1, 1};
  if (action == Action::approve || action == Action::verify) spec.values = {"--officer", "--note"};
  if (action == Action::reject) spec.values = {"--officer", "--reason"};
  if (action == Action::cancel) spec.values = {"--reason"};
  if (int rc = parse_or_usage(args, spec, io)) return rc;
  const auto officer = args.value("--officer");
  if (action != Action::cancel && !officer) return report_failure(io, "--officer NAME is required", kExitUsage);
  const std::string text = args.value(action == Action::reject || action == Action::cancel ? "--reason" : "--note")
                               .value_or("");
  if (action == Action::reject && text.empty()) return report_failure(io, "--reason TEXT is required", kExitUsage);
  auto session = open_session(args);
  if (!session) return report_failure(io, session.error());
  const std::string& id = args.words()[0];
  Status status;
  switch (action) {
    case Action::verify: status = session->service->verify(id, *officer, text); break;
    case Action::approve: status = session->service->approve(id, *officer, text); break;
    case Action::reject: status = session->service->reject(id, *officer, text); break;
    case Action::cancel: status = session->service->cancel(id, "cli", text); break;
  }
  if (!status) return report_failure(io, status.error());
  auto request = session->service->get(id);
  if (!request) return report_failure(io, request.error());
  if (args.json()) {
    print_json(io.out, request_json(*request, session->context->clock.now()));
  } else {
    io.out << id << " " << to_string(request->status);
    if (action == Action::approve && request->status == RequestStatus::pending_approval) {
      io.out << " (first approval recorded; an erasure needs a second officer)";
    }
    io.out << "\n";
  }
  return kExitOk;
}

}  // namespace

int cmd_verify(Args& args, Streams io) { return officer_action(args, io, Action::verify); }
int cmd_approve(Args& args, Streams io) { return officer_action(args, io, Action::approve); }
int cmd_reject(Args& args, Streams io) { return officer_action(args, io, Action::reject); }
int cmd_cancel(Args& args, Streams io) { return officer_action(args, io, Action::cancel); }

int cmd_extend(Args& args, Streams io) {
  if (int rc = parse_or_usage(args, OptionSpec{{}, {"--officer", "--reason"}, {}, 1, 1}, io)) return rc;
  const auto officer = args.value("--officer");
  const auto reason = args.value("--reason");
  if (!officer) return report_failure(io, "--officer NAME is required", kExitUsage);
  if (!reason || reason->empty()) return report_failure(io, "--reason TEXT is required", kExitUsage);
  auto session = open_session(args);
  if (!session) return report_failure(io, session.error());
  auto due = session->service->extend(args.words()[0], *officer, *reason);
  if (!due) return report_failure(io, due.error());
  if (args.json()) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("id", args.words()[0]);
    o->set("due_at", format_utc(*due));
    print_json(io.out, o);
  } else {
    io.out << args.words()[0] << " due " << format_utc(*due) << "\n";
  }
  return kExitOk;
}

int cmd_retype(Args& args, Streams io) {
  if (int rc = parse_or_usage(args, OptionSpec{{}, {"--officer", "--type", "--note"}, {}, 1, 1}, io)) return rc;
  const auto officer = args.value("--officer");
  const auto type_text = args.value("--type");
  if (!officer) return report_failure(io, "--officer NAME is required", kExitUsage);
  if (!type_text) return report_failure(io, "--type TYPE is required (access, portability, erasure, objection)", kExitUsage);
  auto type = parse_request_type(*type_text);
  if (!type) return report_failure(io, "--type: " + type.error(), kExitUsage);
  auto session = open_session(args);
  if (!session) return report_failure(io, session.error());
  if (Status s = session->service->retype(args.words()[0], *officer, *type, args.value("--note").value_or(""));
      !s) {
    return report_failure(io, s.error());
  }
  io.out << args.words()[0] << " " << *type << "\n";
  return kExitOk;
}

}  // namespace dsr::cli

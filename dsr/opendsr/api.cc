#include "dsr/opendsr/api.h"

#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Array.h>
#include <Poco/URI.h>

#include <algorithm>
#include <regex>
#include <sstream>

#include "dsr/audit/audit_log.h"
#include "dsr/common/json_schema.h"
#include "dsr/downloads/links.h"
#include "dsr/opendsr/rfc3339.h"
#include "dsr/opendsr/settings.h"
#include "dsr/requests/request_service.h"
#include "schemas/embedded_schemas.h"

namespace dsr::opendsr {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr const char* kRequestSchema = "opendsr-request.schema.json";
constexpr const char* kChannel = "opendsr";
// A controller's clock may run a little ahead of ours; more than this is an error.
constexpr std::chrono::seconds kClockSkew{300};

Object::Ptr object() { return new Object(Poco::JSON_PRESERVE_KEY_ORDER); }

const Result<JsonSchema>& request_schema() {
  static const Result<JsonSchema> schema = []() -> Result<JsonSchema> {
    const auto text = embedded_schema(kRequestSchema);
    if (!text) return fail(std::string("internal error: ") + kRequestSchema + " is not embedded in this build");
    return JsonSchema::from_text(*text, kRequestSchema);
  }();
  return schema;
}

std::string base64(const std::string& bytes) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);
  encoder << bytes;
  encoder.close();
  return out.str();
}

Object::Ptr receipt(const std::string& controller_id, const std::string& subject_request_id, TimePoint due,
                    TimePoint received, const std::string& body) {
  auto out = object();
  out->set("controller_id", controller_id);
  out->set("subject_request_id", subject_request_id);
  out->set("expected_completion_time", format_utc(due));
  out->set("received_time", format_utc(received));
  out->set("encoded_request", base64(body));
  out->set("api_version", std::string(kApiVersion));
  return out;
}

bool is_subject_request_id(const std::string& id) {
  static const std::regex shape("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
  return std::regex_match(id, shape);
}

struct Mapping {
  std::string request_id;
  RequestStatus status = RequestStatus::received;
  RequestType type = RequestType::access;
  std::string due_at;
  std::string results_link;
};

std::optional<Mapping> find_mapping(Database& db, const std::string& controller_id, const std::string& subject_request_id) {
  Mapping mapping;
  std::string status, type;
  soci::indicator link = soci::i_null;
  db.session() << "SELECT o.request_id, r.status, r.type, r.due_at, o.results_link FROM opendsr_requests o"
                  " JOIN requests r ON r.id = o.request_id"
                  " WHERE o.controller_id = :controller AND o.subject_request_id = :id",
      soci::into(mapping.request_id), soci::into(status), soci::into(type), soci::into(mapping.due_at),
      soci::into(mapping.results_link, link), soci::use(controller_id), soci::use(subject_request_id);
  if (!db.session().got_data()) return std::nullopt;
  if (link != soci::i_ok) mapping.results_link.clear();
  auto parsed_status = parse_request_status(status);
  auto parsed_type = parse_request_type(type);
  if (!parsed_status || !parsed_type) throw std::runtime_error("request " + mapping.request_id + ": unreadable status or type");
  mapping.status = *parsed_status;
  mapping.type = *parsed_type;
  return mapping;
}

ApiReply not_found() {
  return error_reply(404, "not_found", "no request with this subject_request_id for this controller");
}

}  // namespace

ApiReply error_reply(int status, const std::string& reason, const std::string& message,
                     const std::vector<std::string>& details) {
  Array::Ptr errors = new Array;
  for (const std::string& detail : details.empty() ? std::vector<std::string>{message} : details) {
    auto entry = object();
    entry->set("domain", std::string("OpenDSR"));
    entry->set("reason", reason);
    entry->set("message", detail);
    errors->add(entry);
  }
  auto error = object();
  error->set("code", status);
  error->set("message", message);
  error->set("errors", errors);
  auto body = object();
  body->set("error", error);
  return {status, body};
}

std::string opendsr_status(RequestStatus status) {
  switch (status) {
    case RequestStatus::received:
    case RequestStatus::awaiting_verification:
    case RequestStatus::pending_approval:
      return "pending";
    case RequestStatus::approved:
    case RequestStatus::running:
      return "in_progress";
    case RequestStatus::completed:
      return "completed";
    case RequestStatus::failed:
    case RequestStatus::rejected:
    case RequestStatus::cancelled:
      return "cancelled";
  }
  return "pending";
}

std::vector<IdentityTypeMapping> supported_identity_types(const IdentityNormaliser& identities) {
  std::vector<IdentityTypeMapping> out = {
      {"email", "email"}, {"phone_number", "phone"}, {"telegram_id", "telegram_id"}, {"username", "username"}};
  for (const std::string& kind : identities.kinds()) {
    if (kind != "email" && kind != "phone" && kind != "telegram_id" && kind != "username") out.push_back({kind, kind});
  }
  return out;
}

ApiReply discovery(const Config& config, const IdentityNormaliser& identity_rules) {
  const Settings settings = read_settings(config);
  auto body = object();
  body->set("api_version", std::string(kApiVersion));
  Array::Ptr types = new Array;
  for (const char* type : {"access", "portability", "erasure"}) types->add(std::string(type));
  body->set("supported_subject_request_types", types);
  Array::Ptr identities = new Array;
  for (const auto& mapping : supported_identity_types(identity_rules)) {
    auto entry = object();
    entry->set("identity_type", mapping.identity_type);
    entry->set("identity_format", std::string("raw"));
    identities->add(entry);
  }
  body->set("supported_identities", identities);
  Array::Ptr regulations = new Array;
  regulations->add(std::string("gdpr"));
  regulations->add(std::string("ccpa"));
  body->set("supported_regulations", regulations);
  body->set("processor_certificate", settings.base_url + kCertificatePath);
  if (!settings.processor_domain.empty()) body->set("processor_domain", settings.processor_domain);
  return {200, body};
}

ApiReply Api::create(const Controller& controller, const std::string& body) {
  auto document = parse_json_text(body, "request body");
  if (!document) return error_reply(400, "invalid_json", document.error());
  const auto& schema = request_schema();
  if (!schema) return error_reply(500, "internal", schema.error());
  const auto violations = schema->validate(*document);
  if (!violations.empty()) {
    std::vector<std::string> details;
    for (const auto& v : violations) details.push_back(display_pointer(v.pointer) + ": " + v.message);
    return error_reply(400, "invalid_request", "the request does not match OpenDSR v1", details);
  }
  const Object::Ptr request = document->extract<Object::Ptr>();
  const std::string subject_request_id = request->getValue<std::string>("subject_request_id");
  auto type = parse_request_type(request->getValue<std::string>("subject_request_type"));
  if (!type) return error_reply(400, "invalid_request", "/subject_request_type: " + type.error());
  const TimePoint now = env_.clock.now();
  const auto submitted = parse_rfc3339(request->getValue<std::string>("submitted_time"));
  if (!submitted) {
    return error_reply(400, "invalid_request", "/submitted_time: expected an RFC 3339 time like 2026-11-29T08:00:00Z");
  }
  if (*submitted > now + kClockSkew) return error_reply(400, "invalid_request", "/submitted_time: in the future");
  const std::string regulation_text =
      request->has("regulation") ? request->getValue<std::string>("regulation") : env_.config.regulation;
  auto regulation = parse_regulation(regulation_text);
  if (!regulation) return error_reply(400, "invalid_request", "/regulation: " + regulation.error());

  SubmitInput input;
  input.type = *type;
  input.regulation = *regulation;
  input.channel = kChannel;
  input.actor = "opendsr:" + controller.id;
  // The controller vouches for the identities it sends (OpenDSR leaves verification to
  // it); officers still approve every request before anything runs.
  input.identities_proven = true;
  input.received_at = std::min(*submitted, now);
  const auto mappings = supported_identity_types(env_.identities);
  const Array::Ptr identities = request->getArray("subject_identities");
  std::vector<std::string> problems;
  for (unsigned i = 0; i < identities->size(); ++i) {
    const Object::Ptr identity = identities->getObject(i);
    const std::string place = "/subject_identities/" + std::to_string(i);
    if (identity->getValue<std::string>("identity_format") != "raw") {
      problems.push_back(place + "/identity_format: only raw identities are supported (a hash cannot be searched for)");
      continue;
    }
    const std::string identity_type = identity->getValue<std::string>("identity_type");
    const auto mapping = std::find_if(mappings.begin(), mappings.end(),
                                      [&](const IdentityTypeMapping& m) { return m.identity_type == identity_type; });
    if (mapping == mappings.end()) {
      problems.push_back(place + "/identity_type: not supported (see /opendsr/v1/discovery)");
      continue;
    }
    auto normalised = env_.identities.normalise(mapping->kind, identity->getValue<std::string>("identity_value"));
    if (!normalised) {
      problems.push_back(place + "/identity_value: " + normalised.error());
      continue;
    }
    input.identities.push_back(*normalised);
  }
  const Settings settings = read_settings(env_.config);
  std::vector<std::string> callback_urls;
  if (const Array::Ptr urls = request->getArray("status_callback_urls")) {
    for (unsigned i = 0; i < urls->size(); ++i) {
      const std::string place = "/status_callback_urls/" + std::to_string(i);
      const std::string text = urls->getElement<std::string>(i);
      try {
        const Poco::URI uri(text);
        const bool scheme_ok = uri.getScheme() == "https" || (uri.getScheme() == "http" && settings.allow_http_callbacks);
        if (!scheme_ok) {
          problems.push_back(place + ": must be an https URL");
        } else if (!uri.getUserInfo().empty() || !host_within_domain(uri.getHost(), controller.callback_domain)) {
          problems.push_back(place + ": must be within the controller's callback domain " + controller.callback_domain);
        } else {
          callback_urls.push_back(text);
        }
      } catch (const Poco::Exception&) {
        problems.push_back(place + ": not a URL");
      }
    }
  }
  if (!problems.empty()) return error_reply(400, "invalid_request", "the request cannot be accepted", problems);

  Status unique = env_.db.read([&]() -> Status {
    long long existing = 0;
    env_.db.session() << "SELECT COUNT(*) FROM opendsr_requests WHERE controller_id = :c AND subject_request_id = :s",
        soci::into(existing), soci::use(controller.id), soci::use(subject_request_id);
    return existing == 0 ? Status::Ok() : fail("exists");
  });
  if (!unique) {
    return error_reply(409, "duplicate_request", "subject_request_id " + subject_request_id + " was already submitted");
  }

  RequestService service(env_.db, env_.key, env_.clock);
  auto submitted_request = service.submit(input);
  if (!submitted_request) return error_reply(400, "invalid_request", submitted_request.error());
  const std::string received = format_utc(now);
  const std::string submitted_text = format_utc(*input.received_at);
  Status linked = env_.db.in_transaction([&]() -> Status {
    env_.db.session() << "INSERT INTO opendsr_requests (controller_id, subject_request_id, request_id, submitted_time,"
                         " received_time) VALUES (:c, :s, :r, :submitted, :received)",
        soci::use(controller.id), soci::use(subject_request_id), soci::use(submitted_request->id),
        soci::use(submitted_text), soci::use(received);
    const std::string delivered = "pending";
    for (const std::string& url : callback_urls) {
      env_.db.session() << "INSERT INTO opendsr_callbacks (controller_id, subject_request_id, url, delivered_status,"
                           " attempts, next_attempt_at) VALUES (:c, :s, :url, :status, 0, :at)",
          soci::use(controller.id), soci::use(subject_request_id), soci::use(url), soci::use(delivered),
          soci::use(received);
    }
    auto detail = object();
    detail->set("controller", controller.id);
    detail->set("subject_request_id", subject_request_id);
    detail->set("callbacks", static_cast<int>(callback_urls.size()));
    return AuditLog(env_.db, env_.key, env_.clock)
        .append({"opendsr.request_linked", input.actor, submitted_request->id, "", detail});
  });
  if (!linked) {
    // Withdraw the dsr request that no controller id points at; then say why: a
    // concurrent POST with the same id won the race, or the store failed.
    (void)service.cancel(submitted_request->id, input.actor, "OpenDSR registration failed");
    std::optional<Mapping> winner;
    Status read = env_.db.read([&]() -> Status {
      winner = find_mapping(env_.db, controller.id, subject_request_id);
      return Status::Ok();
    });
    if (read && winner) {
      return error_reply(409, "duplicate_request", "subject_request_id " + subject_request_id + " was already submitted");
    }
    return error_reply(503, "unavailable", "the request could not be recorded; try again");
  }
  return {201, receipt(controller.id, subject_request_id, submitted_request->due_at, now, body)};
}

Result<Poco::JSON::Object::Ptr> status_document(const ApiEnvironment& env, const std::string& controller_id,
                                                const std::string& subject_request_id) {
  std::optional<Mapping> mapping;
  std::optional<downloads::Link> link;
  Status read = env.db.read([&]() -> Status {
    mapping = find_mapping(env.db, controller_id, subject_request_id);
    if (mapping && !mapping->results_link.empty()) {
      link = downloads::existing_link(env.db, env.key, env.clock, env.config, mapping->results_link);
    }
    return Status::Ok();
  });
  if (!read) return read.take_error();
  if (!mapping) return Object::Ptr();
  auto body = object();
  body->set("controller_id", controller_id);
  body->set("subject_request_id", subject_request_id);
  body->set("request_status", opendsr_status(mapping->status));
  body->set("expected_completion_time", mapping->due_at);
  body->set("api_version", std::string(kApiVersion));
  const bool has_export = mapping->type == RequestType::access || mapping->type == RequestType::portability;
  if (mapping->status == RequestStatus::completed && has_export) {
    if (!link) {
      auto created = downloads::create_link(env.db, env.key, env.clock, env.config, mapping->request_id);
      if (created) {
        link = *created;
        Status saved = env.db.in_transaction([&]() -> Status {
          env.db.session() << "UPDATE opendsr_requests SET results_link = :link"
                              " WHERE controller_id = :c AND subject_request_id = :s",
              soci::use(created->id), soci::use(controller_id), soci::use(subject_request_id);
          return Status::Ok();
        });
        if (!saved) return saved.take_error();
      }
    }
    if (link) {
      body->set("results_url", link->url);
      body->set("results_url_expires", format_utc(link->expires_at));
    }
  }
  return body;
}

ApiReply Api::status(const Controller& controller, const std::string& subject_request_id) {
  if (!is_subject_request_id(subject_request_id)) return not_found();
  auto document = status_document(env_, controller.id, subject_request_id);
  if (!document) return error_reply(503, "unavailable", "the state store could not be read; try again");
  if (!*document) return not_found();
  return {200, *document};
}

ApiReply Api::cancel(const Controller& controller, const std::string& subject_request_id) {
  if (!is_subject_request_id(subject_request_id)) return not_found();
  std::optional<Mapping> mapping;
  Status read = env_.db.read([&]() -> Status {
    mapping = find_mapping(env_.db, controller.id, subject_request_id);
    return Status::Ok();
  });
  if (!read) return error_reply(503, "unavailable", "the state store could not be read; try again");
  if (!mapping) return not_found();
  if (opendsr_status(mapping->status) != "pending") {
    return error_reply(409, "not_cancellable",
                       "the request is " + opendsr_status(mapping->status) + "; only pending requests can be cancelled");
  }
  RequestService service(env_.db, env_.key, env_.clock);
  if (Status s = service.cancel(mapping->request_id, "opendsr:" + controller.id, "cancelled by the controller"); !s) {
    // Approved between our read and the cancel: too late now.
    return error_reply(409, "not_cancellable", "the request can no longer be cancelled");
  }
  auto document = status_document(env_, controller.id, subject_request_id);
  if (!document || !*document) return error_reply(503, "unavailable", "the state store could not be read; try again");
  return {202, *document};
}

}  // namespace dsr::opendsr

#include "dsr/run/request_runner.h"

#include <cstdio>

#include "dsr/export/export_writer.h"
#include "dsr/run/certificate.h"
#include "dsr/run/discovery.h"
#include "dsr/run/erasure.h"
#include "dsr/run/export_sink.h"
#include "dsr/run/stores.h"

namespace dsr {

namespace {

Poco::JSON::Object::Ptr object() { return new Poco::JSON::Object; }

bool runnable(RequestType type) { return type != RequestType::objection && type != RequestType::unknown; }

}  // namespace

Status RequestRunner::audit_steps(const Request& request, const std::vector<Poco::JSON::Object::Ptr>& details) {
  // One transaction per dataset, not per step: each commit is an fsync of the state store.
  AuditLog audit(env_.db, env_.key, env_.clock);
  return env_.db.in_transaction([&]() -> Status {
    for (const auto& detail : details) {
      if (Status s = audit.append({"run.step", env_.worker, request.id, request.subject, detail}); !s) return s;
    }
    return Status::Ok();
  });
}

Result<RunOutcome> RequestRunner::run(const std::string& id, const ProgressFn& progress) {
  RequestService requests(env_.db, env_.key, env_.clock);
  auto request = requests.get(id);
  if (!request) return request.take_error();
  if (request->status != RequestStatus::approved) {
    return fail("request " + id + ": cannot run in status " + std::string(to_string(request->status)) +
                " (only approved requests run)");
  }
  if (!runnable(request->type)) {
    return fail("request " + id + ": " + std::string(to_string(request->type)) +
                " requests cannot be run by this version of dsr yet; it stays approved");
  }
  // The claim: only one runner moves it to running; a second one fails here.
  if (Status s = requests.transition(id, RequestStatus::running, env_.worker, ""); !s) return s.take_error();

  RunOutcome outcome;
  outcome.id = id;
  outcome.type = request->type;
  Status executed = request->type == RequestType::erasure ? execute_erasure(*request, outcome, progress)
                                                          : execute(*request, outcome, progress);
  if (executed) {
    // The result's fingerprint goes into the same audit entry as the completion.
    auto detail = object();
    detail->set("rows", static_cast<Poco::UInt64>(outcome.rows));
    detail->set("collections", static_cast<Poco::UInt64>(outcome.collections));
    if (request->type == RequestType::erasure) {
      detail->set("certificate_sha256", outcome.certificate_sha256);
    } else {
      detail->set("zip_sha256", outcome.zip_sha256);
      detail->set("manifest_sha256", outcome.manifest_sha256);
      detail->set("encrypted", outcome.encrypted);
    }
    executed = requests.transition(id, RequestStatus::completed, env_.worker, "", detail);
    if (executed) {
      outcome.status = RequestStatus::completed;
      return outcome;
    }
    // Not completed, so no export or certificate may stay behind.
    if (!outcome.export_path.empty()) std::remove(outcome.export_path.c_str());
    if (!outcome.certificate_path.empty()) std::remove(outcome.certificate_path.c_str());
  }
  outcome.failure = executed.error();
  outcome.export_path.clear();
  outcome.certificate_path.clear();
  outcome.password.clear();
  auto detail = object();
  detail->set("failure_sha256", text_digest(outcome.failure));
  if (Status s = requests.transition(id, RequestStatus::failed, env_.worker, outcome.failure, detail); !s) {
    return fail(outcome.failure + "; and recording the failure failed too: " + s.error());
  }
  outcome.status = RequestStatus::failed;
  return outcome;
}

Status RequestRunner::execute(const Request& request, RunOutcome& outcome, const ProgressFn& progress) {
  // Only identities proven by the channel (or an officer) are acted on.
  std::vector<Identity> identities;
  for (const auto& identity : request.identities) {
    if (identity.proven) identities.push_back({identity.kind, identity.value});
  }
  if (identities.empty()) return fail("request " + request.id + ": no proven identity to search for");

  // Art. 15(1) needs these in every export: fail before reading anyone's data.
  const ControllerInfo& controller = env_.config.controller;
  if (controller.name.empty() || controller.contact.empty() || controller.supervisory_authority.empty()) {
    return fail(env_.config.path +
                ": /controller: name, contact and supervisory_authority are required for exports (Art. 15(1))");
  }
  auto stores = open_stores(env_.config, env_.registry, env_.identities);
  if (!stores) return stores.take_error();
  if (Status s = check_stores(*stores); !s) return s;

  ExportOptions options;
  options.export_dir = env_.config.export_dir;
  options.request_id = request.id;
  options.request_type = std::string(to_string(request.type));
  options.dsr_version = env_.dsr_version;
  options.generated_at = env_.clock.now();
  options.encrypt = env_.config.exports.encrypt;
  auto writer = ExportWriter::open(options);
  if (!writer) return writer.take_error();
  ExportSink sink(**writer, request.type);

  std::size_t done = 0;
  for (const auto& mapping : stores->mappings) {
    if (progress) progress(done, mapping.dataset);
    Discovery discovery(mapping, stores->connector_for(mapping));
    if (Status s = discovery.resolve(identities); !s) return s;
    std::vector<Poco::JSON::Object::Ptr> details;
    for (const auto& step : discovery.steps()) {
      auto detail = object();
      detail->set("dataset", step.dataset);
      detail->set("collection", step.collection);
      detail->set("field", step.field);
      detail->set("reached_by", std::string(to_string(step.reached_by)));
      detail->set("values", static_cast<Poco::UInt64>(step.values));
      detail->set("rows", static_cast<Poco::UInt64>(step.rows));
      details.push_back(detail);
      ++done;
      if (progress) progress(done, step.dataset + "." + step.collection);
    }
    if (Status s = audit_steps(request, details); !s) return s;
    if (Status s = discovery.stream(sink); !s) return s;
  }
  auto result = (*writer)->finish(export_notice(env_.config, stores->mappings, request.type));
  if (!result) return result.take_error();
  outcome.export_path = result->zip_path;
  outcome.password = result->password;
  outcome.rows = result->total_rows;
  for (const auto& file : result->files) outcome.collections += file.rows && file.path.ends_with(".json") ? 1 : 0;
  outcome.zip_sha256 = result->zip_sha256;
  outcome.manifest_sha256 = result->manifest_sha256;
  outcome.encrypted = options.encrypt;
  return Status::Ok();
}

Status RequestRunner::execute_erasure(const Request& request, RunOutcome& outcome, const ProgressFn& progress) {
  std::vector<Identity> identities;
  for (const auto& identity : request.identities) {
    if (identity.proven) identities.push_back({identity.kind, identity.value});
  }
  if (identities.empty()) return fail("request " + request.id + ": no proven identity to erase");
  auto stores = open_stores(env_.config, env_.registry, env_.identities);
  if (!stores) return stores.take_error();
  if (Status s = check_stores(*stores); !s) return s;

  const auto chunk = static_cast<std::size_t>(env_.config.erasure.chunk_rows);
  std::vector<CollectionErasure> report;
  std::vector<std::unique_ptr<DatasetEraser>> erasers;
  std::size_t done = 0;
  for (const auto& mapping : stores->mappings) {
    if (progress) progress(done, mapping.dataset);
    erasers.push_back(std::make_unique<DatasetEraser>(mapping, stores->connector_for(mapping), env_.key, chunk));
    const std::size_t before = report.size();
    if (Status s = erasers.back()->erase(identities, report); !s) return s;
    std::vector<Poco::JSON::Object::Ptr> details;
    for (std::size_t i = before; i < report.size(); ++i) {
      const auto& c = report[i];
      auto detail = object();
      detail->set("dataset", c.dataset);
      detail->set("collection", c.collection);
      detail->set("action", c.action);
      detail->set("rows_deleted", static_cast<Poco::UInt64>(c.rows_deleted));
      detail->set("rows_masked", static_cast<Poco::UInt64>(c.rows_masked));
      detail->set("rows_retained", static_cast<Poco::UInt64>(c.rows_retained));
      detail->set("largest_transaction", static_cast<Poco::UInt64>(c.largest_transaction));
      details.push_back(detail);
      ++done;
      if (progress) progress(done, c.dataset + "." + c.collection);
    }
    if (Status s = audit_steps(request, details); !s) return s;
  }
  // Verification only after every store is erased: nothing may be left anywhere.
  for (std::size_t i = 0; i < erasers.size(); ++i) {
    if (Status s = erasers[i]->verify(identities, report); !s) return s;
  }
  std::string residue;
  for (const auto& c : report) {
    outcome.rows += c.rows_deleted + c.rows_masked + c.rows_retained;
    ++outcome.collections;
    if (c.residue) {
      residue += (residue.empty() ? "" : "; ") + c.dataset + "." + c.collection + ": " + std::to_string(c.residue) +
                 (c.residue == 1 ? " row" : " rows");
    }
  }
  if (!residue.empty()) return fail("erasure verification found rows left: " + residue);
  auto written = write_certificate(env_.config.export_dir, request.id,
                                   deletion_certificate({request, report, env_.clock.now(), env_.dsr_version}));
  if (!written) return written.take_error();
  outcome.certificate_path = env_.config.export_dir + "/" + request.id + ".certificate.json";
  outcome.certificate_sha256 = *written;
  return Status::Ok();
}

}  // namespace dsr

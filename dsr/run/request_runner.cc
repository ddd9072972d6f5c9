#include "dsr/run/request_runner.h"

#include <cstdio>
#include <utility>

#include "dsr/export/export_writer.h"
#include "dsr/run/certificate.h"
#include "dsr/run/discovery.h"
#include "dsr/run/erasure.h"
#include "dsr/run/export_sink.h"
#include "dsr/run/objection.h"
#include "dsr/run/stores.h"
#include "dsr/state/retention_store.h"
#include "dsr/state/run_step_store.h"

namespace dsr {

namespace {

Poco::JSON::Object::Ptr object() { return new Poco::JSON::Object; }

// The run's erasure progress in run_steps, each write guarded by the claim.
class ClaimedJournal : public ErasureJournal {
 public:
  ClaimedJournal(Database& db, WorkQueue& queue, const Claim& claim, const Clock& clock)
      : db_(db), queue_(queue), claim_(claim), clock_(clock) {}

  Result<Recorded> recorded(const std::string& step) override {
    Recorded out;
    Status s = db_.read([&]() -> Status {
      RunStepStore steps(db_);
      if (auto found = steps.find(claim_.request_id, step)) {
        out = {found->done, found->rows, found->largest_transaction};
      }
      if (auto found = steps.find(claim_.request_id, found_step(step))) {
        out.found_earlier = found->rows;
        out.searched_earlier = true;
      }
      return Status::Ok();
    });
    if (!s) return s.take_error();
    return out;
  }

  Status found(const std::vector<std::pair<std::string, std::uint64_t>>& rows_by_step) override {
    return under_claim([&](RunStepStore& steps) {
      std::vector<RunStepStore::Done> first;
      for (const auto& [step, rows] : rows_by_step) {
        if (!steps.find(claim_.request_id, found_step(step))) first.push_back({claim_.request_id, found_step(step), rows});
      }
      steps.put_done(first, clock_.now());
    });
  }

  Status chunk_committed(const std::string& step, std::uint64_t rows) override {
    return under_claim([&](RunStepStore& steps) { steps.add_rows(claim_.request_id, step, rows, clock_.now()); });
  }

  Status collection_done(const std::string& step, std::optional<std::uint64_t> retained_rows) override {
    return under_claim([&](RunStepStore& steps) { steps.finish(claim_.request_id, step, retained_rows, clock_.now()); });
  }

 private:
  // A deferred transaction that writes only while the claim is still the request's.
  Status under_claim(const std::function<void(RunStepStore&)>& write) {
    return db_.in_transaction(
        [&]() -> Status {
          if (Status s = queue_.hold(claim_); !s) return s;
          RunStepStore steps(db_);
          write(steps);
          return Status::Ok();
        },
        Durability::deferred);
  }

  Database& db_;
  WorkQueue& queue_;
  const Claim& claim_;
  const Clock& clock_;
};

}  // namespace

const std::vector<RequestType>& runnable_types() {
  static const std::vector<RequestType> types = {RequestType::access, RequestType::portability, RequestType::erasure,
                                                 RequestType::objection};
  return types;
}

RequestRunner::RequestRunner(RunEnvironment environment)
    : env_(std::move(environment)),
      queue_(env_.db, env_.key, env_.clock, env_.worker, std::chrono::seconds(env_.config.workers.lease_seconds)) {}

Status RequestRunner::keep_claim(const Claim& claim) {
  const TimePoint now = env_.clock.now();
  if (now - last_renewal_ < std::chrono::seconds(env_.config.workers.lease_seconds) / 3) return Status::Ok();
  DeferredCommits deferred(env_.db);
  if (Status s = queue_.renew(claim); !s) return s;
  last_renewal_ = now;
  return Status::Ok();
}

Result<Stores*> RequestRunner::checked_stores() {
  if (!stores_) {
    auto opened = open_stores(env_.config, env_.registry, env_.identities);
    if (!opened) return opened.take_error();
    stores_ = std::move(*opened);
  }
  if (Status s = check_stores(*stores_); !s) return s.take_error();
  return &*stores_;
}

Status RequestRunner::append_steps(const Request& request, const std::vector<Poco::JSON::Object::Ptr>& details) {
  std::vector<AuditEvent> steps;
  for (const auto& detail : details) steps.push_back({"run.step", env_.worker.name, request.id, request.subject, detail});
  return AuditLog(env_.db, env_.key, env_.clock).append_all(steps);
}

Status RequestRunner::audit_steps(const Claim& claim, const Request& request,
                                  const std::vector<Poco::JSON::Object::Ptr>& details) {
  // One transaction per dataset, not per step: each commit is an fsync of the state store.
  return env_.db.in_transaction(
      [&]() -> Status {
        if (Status s = queue_.hold(claim); !s) return s;
        if (Status s = append_steps(request, details); !s) return s;
        last_renewal_ = env_.clock.now();
        return Status::Ok();
      },
      Durability::deferred);
}

Result<RunOutcome> RequestRunner::run(const std::string& id, const ProgressFn& progress) {
  Request request;
  auto claim = queue_.claim(id, runnable_types(), &request);  // commits deferred
  if (!claim) return claim.take_error();
  return run_claimed(*claim, request, progress);
}

Result<RunOutcome> RequestRunner::run_claimed(const Claim& claim, const ProgressFn& progress) {
  RequestService requests(env_.db, env_.key, env_.clock);
  auto request = requests.get(claim.request_id);
  if (!request) return request.take_error();
  return run_claimed(claim, *request, progress);
}

Result<RunOutcome> RequestRunner::run_claimed(const Claim& claim, const Request& request,
                                              const ProgressFn& progress) {
  last_renewal_ = env_.clock.now();
  concluding_steps_.clear();
  RunOutcome outcome;
  outcome.id = claim.request_id;
  outcome.type = request.type;
  outcome.attempt = claim.attempt;
  outcome.takeover = claim.takeover;
  Status executed = request.type == RequestType::erasure     ? execute_erasure(claim, request, outcome, progress)
                    : request.type == RequestType::objection ? execute_objection(claim, request, outcome, progress)
                                                             : execute(claim, request, outcome, progress);
  return conclude(claim, request, std::move(outcome), std::move(executed));
}

Poco::JSON::Object::Ptr RequestRunner::completion_detail(const Claim& claim, const Request& request,
                                                         const RunOutcome& outcome) {
  // The result's fingerprint goes into the same audit entry as the completion.
  auto detail = object();
  detail->set("rows", static_cast<Poco::UInt64>(outcome.rows));
  detail->set("collections", static_cast<Poco::UInt64>(outcome.collections));
  detail->set("attempt", claim.attempt);
  if (request.type == RequestType::erasure) {
    detail->set("certificate_sha256", outcome.certificate_sha256);
  } else if (request.type == RequestType::objection) {
    detail->set("verified", true);
  } else {
    detail->set("zip_sha256", outcome.zip_sha256);
    detail->set("manifest_sha256", outcome.manifest_sha256);
    detail->set("encrypted", outcome.encrypted);
  }
  return detail;
}

Result<RunOutcome> RequestRunner::conclude(const Claim& claim, const Request& request, RunOutcome outcome,
                                           Status executed) {
  const std::string& id = claim.request_id;
  // An access run's step entries, written with whichever status ends the run.
  const std::vector<Poco::JSON::Object::Ptr> steps = std::exchange(concluding_steps_, {});
  const auto append_run_steps = [&]() -> Status { return steps.empty() ? Status::Ok() : append_steps(request, steps); };
  if (!executed && is_lost_claim(executed.error())) {
    // Another worker owns the request now; what this run wrote is its to redo or keep.
    return executed.take_error();
  }
  if (executed) {
    auto detail = completion_detail(claim, request, outcome);
    const bool exported = !outcome.export_path.empty();
    const TimePoint now = env_.clock.now();
    executed = queue_.finish(claim, RequestStatus::completed, "", detail, [&]() -> Status {
      if (Status s = append_run_steps(); !s) return s;
      if (exported) {
        RetentionStore(env_.db).record_export(id, outcome.export_path, now,
                                              now + std::chrono::hours(24) * env_.config.exports.retention_days);
      }
      return Status::Ok();
    });
    if (executed) {
      outcome.status = RequestStatus::completed;
      return outcome;
    }
    if (is_lost_claim(executed.error())) return executed.take_error();
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
  detail->set("attempt", claim.attempt);
  if (Status s = queue_.finish(claim, RequestStatus::failed, outcome.failure, detail, append_run_steps); !s) {
    return fail(outcome.failure + "; and recording the failure failed too: " + s.error());
  }
  outcome.status = RequestStatus::failed;
  return outcome;
}

Status RequestRunner::execute(const Claim& claim, const Request& request, RunOutcome& outcome,
                              const ProgressFn& progress) {
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
  auto stores = checked_stores();
  if (!stores) return stores.take_error();

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
  for (const auto& mapping : (*stores)->mappings) {
    if (progress) progress(done, mapping.dataset);
    Discovery discovery(mapping, (*stores)->connector_for(mapping));
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
    // Audited with the run's completion (or failure), in its transaction: nothing acts
    // on these entries before it, and the ZIP published before it is handed out only
    // once the completion is recorded. A run that dies first leaves no steps; the
    // attempt that takes the request over records its own.
    concluding_steps_.insert(concluding_steps_.end(), details.begin(), details.end());
    if (Status s = discovery.stream(sink); !s) return s;
    if (Status s = keep_claim(claim); !s) return s;
  }
  auto result = (*writer)->finish(export_notice(env_.config, (*stores)->mappings, request.type));
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

Status RequestRunner::execute_erasure(const Claim& claim, const Request& request, RunOutcome& outcome,
                                      const ProgressFn& progress) {
  std::vector<Identity> identities;
  for (const auto& identity : request.identities) {
    if (identity.proven) identities.push_back({identity.kind, identity.value});
  }
  if (identities.empty()) return fail("request " + request.id + ": no proven identity to erase");
  auto stores = checked_stores();
  if (!stores) return stores.take_error();

  const auto chunk = static_cast<std::size_t>(env_.config.erasure.chunk_rows);
  ClaimedJournal journal(env_.db, queue_, claim, env_.clock);
  std::vector<CollectionErasure> report;
  std::vector<std::unique_ptr<DatasetEraser>> erasers;
  std::size_t done = 0;
  for (const auto& mapping : (*stores)->mappings) {
    if (progress) progress(done, mapping.dataset);
    erasers.push_back(
        std::make_unique<DatasetEraser>(mapping, (*stores)->connector_for(mapping), env_.key, chunk, &journal));
    const std::size_t before = report.size();
    if (Status s = erasers.back()->erase(identities, report); !s) return s;
    std::vector<Poco::JSON::Object::Ptr> details;
    for (std::size_t i = before; i < report.size(); ++i) {
      const auto& c = report[i];
      details.push_back(erasure_step_detail(c));
      ++done;
      if (progress) progress(done, c.dataset + "." + c.collection);
    }
    if (Status s = audit_steps(claim, request, details); !s) return s;
  }
  // Verification only after every store is erased: nothing may be left anywhere.
  for (std::size_t i = 0; i < erasers.size(); ++i) {
    if (Status s = erasers[i]->verify(identities, report); !s) return s;
  }
  if (Status s = [&] {
        DeferredCommits deferred(env_.db);
        return queue_.renew(claim);
      }();
      !s) {
    return s;
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

Status RequestRunner::execute_objection(const Claim& claim, const Request& request, RunOutcome& outcome,
                                        const ProgressFn& progress) {
  std::vector<Identity> identities;
  for (const auto& identity : request.identities) {
    if (identity.proven) identities.push_back({identity.kind, identity.value});
  }
  if (identities.empty()) return fail("request " + request.id + ": no proven identity to act on");
  auto stores = checked_stores();
  if (!stores) return stores.take_error();

  ClaimedJournal journal(env_.db, queue_, claim, env_.clock);
  std::vector<CollectionObjection> report;
  std::vector<std::unique_ptr<DatasetObjector>> objectors;
  std::size_t done = 0;
  for (const auto& mapping : (*stores)->mappings) {
    if (progress) progress(done, mapping.dataset);
    objectors.push_back(std::make_unique<DatasetObjector>(mapping, (*stores)->connector_for(mapping),
                                                          static_cast<std::size_t>(env_.config.erasure.chunk_rows),
                                                          &journal));
    const std::size_t before = report.size();
    if (Status s = objectors.back()->apply(identities, report); !s) return s;
    std::vector<Poco::JSON::Object::Ptr> details;
    for (std::size_t i = before; i < report.size(); ++i) {
      auto detail = object();
      detail->set("dataset", report[i].dataset);
      detail->set("collection", report[i].collection);
      detail->set("action", std::string(report[i].suppression ? "suppress" : "object"));
      detail->set("rows_changed", static_cast<Poco::UInt64>(report[i].rows_changed));
      details.push_back(detail);
      ++done;
    }
    if (Status s = audit_steps(claim, request, details); !s) return s;
  }
  bool any_rule = false;
  for (const auto& mapping : (*stores)->mappings) {
    any_rule = any_rule || mapping.suppression ||
               std::any_of(mapping.collections.begin(), mapping.collections.end(),
                           [](const CollectionMapping& c) { return !c.objection.set.empty(); });
  }
  if (!any_rule) {
    return fail("no dataset mapping says what an objection changes (\"objection\" on a collection or \"suppression\")");
  }
  for (auto& objector : objectors) {
    if (Status s = objector->verify(identities, report); !s) return s;
  }
  std::string residue;
  for (const auto& c : report) {
    outcome.rows += c.rows_changed;
    ++outcome.collections;
    if (c.residue) {
      residue += (residue.empty() ? "" : "; ") + c.dataset + "." + c.collection + ": " + std::to_string(c.residue) +
                 (c.suppression ? " suppression entries missing" : (c.residue == 1 ? " row not set" : " rows not set"));
    }
  }
  if (!residue.empty()) return fail("objection verification failed: " + residue);
  return Status::Ok();
}

}  // namespace dsr

// Erasing several fresh erasure requests together (RequestRunner::run_next_group).
//
// Per request the result is what erasing it alone gives: its own certificate (the rows
// that were its, by GroupDiscovery's attribution), its own run steps, audit entries and
// completion. What is shared is the work on the stores: one discovery, one chunked
// erasure and one verification for the union of the group's rows. Anything off (a
// store error, a row the attribution cannot place, a residue after verification, a
// lost claim) sends every request of the group through the one-at-a-time path, which
// finds what is left, erases it, verifies and fails or completes each request with
// its own reason. That path also continues a group whose worker died: the requests
// are then taken over one by one.

#include <chrono>
#include <map>

#include "dsr/run/certificate.h"
#include "dsr/run/erasure.h"
#include "dsr/run/group_discovery.h"
#include "dsr/run/request_runner.h"
#include "dsr/state/run_step_store.h"

namespace dsr {

struct ErasureGroup {
  struct Member {
    Claim claim;
    Request request;
    std::vector<Identity> identities;
    std::vector<CollectionErasure> report;
    RunOutcome outcome;
  };
  std::vector<Member> members;
  std::vector<Claim> claims;
};

namespace {

// The journal of a group's erasure: chunks keep the claims alive. Nothing is recorded
// per chunk or collection: each member's "found:" steps, written by erase_group before
// the erasure began, are what a rerun after a crash counts (DatasetEraser::erase_matches).
class GroupJournal : public ErasureJournal {
 public:
  explicit GroupJournal(std::function<Status()> keep_claims) : keep_claims_(std::move(keep_claims)) {}

  Result<Recorded> recorded(const std::string&) override { return Recorded{}; }
  Status found(const std::vector<std::pair<std::string, std::uint64_t>>&) override { return Status::Ok(); }
  Status chunk_committed(const std::string&, std::uint64_t) override { return keep_claims_(); }
  Status collection_done(const std::string&, std::optional<std::uint64_t>) override { return keep_claims_(); }

 private:
  std::function<Status()> keep_claims_;
};

Poco::JSON::Object::Ptr step_detail(const CollectionErasure& c, std::size_t group_size) {
  auto detail = erasure_step_detail(c);
  detail->set("erased_with", static_cast<Poco::UInt64>(group_size));  // requests erased together
  return detail;
}

std::vector<Identity> proven(const Request& request) {
  std::vector<Identity> identities;
  for (const auto& identity : request.identities) {
    if (identity.proven) identities.push_back({identity.kind, identity.value});
  }
  return identities;
}

}  // namespace

Status RequestRunner::keep_claims(const std::vector<Claim>& claims) {
  const TimePoint now = env_.clock.now();
  if (now - last_renewal_ < std::chrono::seconds(env_.config.workers.lease_seconds) / 3) return Status::Ok();
  Status renewed = env_.db.in_transaction(
      [&]() -> Status {
        for (const auto& claim : claims) {
          if (Status s = queue_.hold(claim); !s) return s;
        }
        return Status::Ok();
      },
      Durability::deferred);
  if (!renewed) return renewed;
  last_renewal_ = now;
  return Status::Ok();
}

Result<std::vector<Result<RunOutcome>>> RequestRunner::run_next_group(const std::vector<std::string>& excluded,
                                                                      const ProgressFn& progress) {
  std::vector<Result<RunOutcome>> results;
  std::vector<Claim> group, alone;
  {
    DeferredCommits deferred_claims(env_.db);  // claims are bookkeeping: see dsr/state/database.h
    auto first = queue_.claim_next(runnable_types(), excluded);
    if (!first) return first.take_error();
    if (!*first) return results;

    RequestService requests(env_.db, env_.key, env_.clock);
    const auto fresh_erasure = [&](const Claim& claim) {
      if (claim.attempt != 1 || claim.takeover) return false;
      auto request = requests.get(claim.request_id);
      return request && request->type == RequestType::erasure;
    };
    const auto limit = static_cast<std::size_t>(std::max(1, env_.config.erasure.group_requests));
    (limit > 1 && fresh_erasure(**first) ? group : alone).push_back(**first);
    if (!group.empty()) {
      // Claimed from approved, so first attempts; a failing queue shows itself again on the next pass.
      auto more = queue_.claim_approved({RequestType::erasure}, excluded, limit - 1);
      if (more) group.insert(group.end(), more->begin(), more->end());
    }
  }
  if (group.size() == 1) {
    alone.insert(alone.begin(), group.front());
    group.clear();
  }
  if (!group.empty()) results = run_erasure_group(group, progress);
  for (const auto& claim : alone) results.push_back(run_claimed(claim, progress));
  return results;
}

std::vector<Result<RunOutcome>> RequestRunner::run_erasure_group(const std::vector<Claim>& claims,
                                                                 const ProgressFn& progress) {
  last_renewal_ = env_.clock.now();
  std::vector<Result<RunOutcome>> results;
  const auto one_at_a_time = [&](const std::vector<Claim>& these) {
    for (const auto& claim : these) results.push_back(run_claimed(claim, progress));
    return std::move(results);
  };

  ErasureGroup group;
  std::vector<Claim> alone;  // fail there, with their own reason
  RequestService requests(env_.db, env_.key, env_.clock);
  for (const auto& claim : claims) {
    auto request = requests.get(claim.request_id);
    if (!request) return one_at_a_time(claims);
    ErasureGroup::Member member{claim, *request, proven(*request), {}, {}};
    if (member.identities.empty()) {
      alone.push_back(claim);
      continue;
    }
    member.outcome.id = claim.request_id;
    member.outcome.type = RequestType::erasure;
    member.outcome.attempt = claim.attempt;
    group.claims.push_back(claim);
    group.members.push_back(std::move(member));
  }
  for (const auto& claim : alone) results.push_back(run_claimed(claim, progress));
  if (group.members.empty()) return results;
  if (progress) progress(0, "erasure of " + std::to_string(group.members.size()) + " requests together");
  if (!erase_group(group)) return one_at_a_time(group.claims);

  // Every certificate reaches the disk before the first completion is committed.
  const TimePoint now = env_.clock.now();
  std::vector<CertificateFile> certificates;
  for (const auto& m : group.members) {
    certificates.push_back({m.request.id, deletion_certificate({m.request, m.report, now, env_.dsr_version})});
  }
  auto hashes = write_certificates(env_.config.export_dir, certificates);
  std::vector<Status> written(group.members.size());
  for (std::size_t i = 0; i < group.members.size(); ++i) {
    auto& m = group.members[i];
    if (!hashes[i]) {
      written[i] = hashes[i].take_error();
      continue;
    }
    m.outcome.certificate_path = env_.config.export_dir + "/" + m.request.id + ".certificate.json";
    m.outcome.certificate_sha256 = *hashes[i];
    for (const auto& c : m.report) {
      m.outcome.rows += c.rows_deleted + c.rows_masked + c.rows_retained;
      ++m.outcome.collections;
    }
  }
  // The group's completions in one transaction, one wait for the disk; when that fails
  // (a claim lost meanwhile), each on its own, so the others still complete.
  std::vector<WorkQueue::Finishing> completions;
  for (std::size_t i = 0; i < group.members.size(); ++i) {
    const auto& m = group.members[i];
    if (written[i]) completions.push_back({m.claim, RequestStatus::completed, completion_detail(m.claim, m.request, m.outcome)});
  }
  const bool completed_together = !completions.empty() && queue_.finish_all(completions).ok();
  for (std::size_t i = 0; i < group.members.size(); ++i) {
    auto& m = group.members[i];
    if (completed_together && written[i]) {
      m.outcome.status = RequestStatus::completed;
      results.push_back(std::move(m.outcome));
      continue;
    }
    results.push_back(conclude(m.claim, m.request, std::move(m.outcome), std::move(written[i])));
  }
  return results;
}

Status RequestRunner::erase_group(ErasureGroup& group) {
  auto stores = checked_stores();
  if (!stores) return stores.take_error();
  std::vector<std::vector<Identity>> people;
  std::vector<Identity> everyone;
  for (const auto& m : group.members) {
    people.push_back(m.identities);
    everyone.insert(everyone.end(), m.identities.begin(), m.identities.end());
  }
  const auto chunk = static_cast<std::size_t>(env_.config.erasure.chunk_rows);
  const auto keep = [&] { return keep_claims(group.claims); };
  std::vector<CollectionErasure> together;  // the union's counts: for the largest transaction and the residue
  std::vector<std::unique_ptr<DatasetEraser>> erasers;
  std::vector<std::map<std::string, std::uint64_t>> found(group.members.size());  // per member: erase step -> rows
  GroupJournal journal(keep);
  for (const auto& mapping : (*stores)->mappings) {
    Connector& connector = (*stores)->connector_for(mapping);
    GroupDiscovery discovery(mapping, connector);
    if (Status s = discovery.resolve(people); !s) return s;
    // What each member owns is recorded before anything is erased, so that a rerun
    // after a crash still certifies rows this attempt removed (ErasureJournal).
    for (std::size_t i = 0; i < group.members.size(); ++i) {
      for (const auto& [collection, f] : discovery.found_for(i)) found[i][erase_step(mapping.dataset, collection)] = f.rows;
    }
    Status recorded = env_.db.in_transaction(
        [&]() -> Status {
          std::vector<RunStepStore::Done> steps;
          for (std::size_t i = 0; i < group.members.size(); ++i) {
            if (Status s = queue_.hold(group.members[i].claim); !s) return s;
            for (const auto& [step, rows] : found[i]) {
              if (step.rfind(erase_step(mapping.dataset, ""), 0) != 0) continue;
              steps.push_back({group.members[i].claim.request_id, found_step(step), rows});
            }
          }
          RunStepStore(env_.db).put_done(steps, env_.clock.now());
          last_renewal_ = env_.clock.now();
          return Status::Ok();
        },
        Durability::deferred);
    if (!recorded) return recorded;
    erasers.push_back(std::make_unique<DatasetEraser>(mapping, connector, env_.key, chunk, &journal));
    const std::size_t before = together.size();
    if (Status s = erasers.back()->erase_matches(discovery.owned_matches(), together); !s) return s;
    // Each member's entries: the collections it was looked for in, with its own rows.
    for (std::size_t i = 0; i < group.members.size(); ++i) {
      for (std::size_t e = before; e < together.size(); ++e) {
        auto rows = found[i].find(erase_step(mapping.dataset, together[e].collection));
        if (rows == found[i].end()) continue;
        CollectionErasure entry = together[e];
        entry.rows_deleted = entry.rows_masked = entry.rows_retained = 0;
        if (entry.action == "delete") entry.rows_deleted = rows->second;
        if (entry.action == "mask") entry.rows_masked = rows->second;
        if (entry.action == "retain") entry.rows_retained = rows->second;
        group.members[i].report.push_back(std::move(entry));
      }
    }
  }
  for (auto& eraser : erasers) {
    if (Status s = eraser->verify(everyone, together); !s) return s;
  }
  for (const auto& c : together) {
    if (c.residue) return fail("rows left after erasing together");  // each request then names its own
  }
  for (auto& m : group.members) {
    for (auto& c : m.report) {
      c.residue = 0;
      c.verified = true;
    }
  }
  const std::size_t size = group.members.size();
  return env_.db.in_transaction(
      [&]() -> Status {
        std::vector<AuditEvent> steps;
        for (const auto& m : group.members) {
          if (Status s = queue_.hold(m.claim); !s) return s;
          for (const auto& c : m.report) {
            steps.push_back({"run.step", env_.worker.name, m.request.id, m.request.subject, step_detail(c, size)});
          }
        }
        last_renewal_ = env_.clock.now();
        return AuditLog(env_.db, env_.key, env_.clock).append_all(steps);
      },
      Durability::deferred);
}

}  // namespace dsr

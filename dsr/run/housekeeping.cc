#include "dsr/run/housekeeping.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "dsr/audit/audit_log.h"
#include "dsr/state/retention_store.h"

namespace dsr {

namespace {

// Requests handled per transaction, so that a large backlog never holds the store long.
constexpr std::size_t kBatchSize = 100;

}  // namespace

Result<std::uint64_t> expire_exports(Database& db, const SubjectKey& key, const Clock& clock,
                                     const std::string& actor) {
  std::uint64_t deleted = 0;
  std::vector<ExportRecord> due;
  if (Status s = db.read([&] {
        due = RetentionStore(db).expired_exports(clock.now());
        return Status::Ok();
      });
      !s) {
    return s.take_error();
  }
  AuditLog audit(db, key, clock);
  for (const auto& record : due) {
    // The file goes first: a crash before the record is updated only means trying again.
    if (std::remove(record.path.c_str()) != 0 && errno != ENOENT) {
      return fail("export of request " + record.request_id + ": cannot delete " + record.path + ": " +
                  std::strerror(errno));
    }
    Status s = db.in_transaction([&]() -> Status {
      if (!RetentionStore(db).mark_export_deleted(record.request_id, clock.now())) return Status::Ok();
      ++deleted;
      Poco::JSON::Object::Ptr detail = new Poco::JSON::Object;
      detail->set("expired_at", format_utc(record.expires_at));
      return audit.append({"export.deleted", actor, record.request_id, "", detail});
    });
    if (!s) return s.take_error();
  }
  return deleted;
}

Result<std::uint64_t> minimise_finished_requests(Database& db, const SubjectKey& key, const Clock& clock,
                                                 int after_days, const std::string& actor) {
  std::uint64_t minimised = 0;
  AuditLog audit(db, key, clock);
  for (;;) {
    std::size_t handled = 0;
    Status s = db.in_transaction([&]() -> Status {
      RetentionStore store(db);
      const TimePoint now = clock.now();
      const auto due = store.unminimised_before(now - std::chrono::hours(24) * after_days, kBatchSize);
      for (const auto& request : due) {
        const std::uint64_t identities = store.minimise(request.request_id, now);
        Poco::JSON::Object::Ptr detail = new Poco::JSON::Object;
        detail->set("identities", static_cast<Poco::UInt64>(identities));
        if (Status a = audit.append({"request.minimised", actor, request.request_id, request.subject, detail}); !a) {
          return a;
        }
      }
      handled = due.size();
      return Status::Ok();
    });
    if (!s) return s.take_error();
    minimised += handled;
    if (handled < kBatchSize) return minimised;
  }
}

}  // namespace dsr

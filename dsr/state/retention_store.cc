#include "dsr/state/retention_store.h"

namespace dsr {

void RetentionStore::record_export(const std::string& request_id, const std::string& path, TimePoint created,
                                   TimePoint expires) {
  const std::string created_text = format_utc(created), expires_text = format_utc(expires);
  // A rerun of the same request replaces its file, so it replaces the record too.
  db_.session() << "DELETE FROM exports WHERE request_id = :id", soci::use(request_id);
  db_.session() << "INSERT INTO exports (request_id, path, created_at, expires_at) VALUES (:id, :path, :c, :e)",
      soci::use(request_id), soci::use(path), soci::use(created_text), soci::use(expires_text);
}

std::vector<ExportRecord> RetentionStore::expired_exports(TimePoint now) {
  const std::string now_text = format_utc(now);
  std::vector<ExportRecord> out;
  soci::rowset<soci::row> rows =
      (db_.session().prepare << "SELECT request_id, path, expires_at FROM exports"
                                " WHERE deleted_at IS NULL AND expires_at <= :now ORDER BY expires_at, request_id",
       soci::use(now_text));
  for (const auto& row : rows) {
    ExportRecord r;
    r.request_id = column_text(row, 0);
    r.path = column_text(row, 1);
    r.expires_at = column_time(row, 2);
    out.push_back(std::move(r));
  }
  return out;
}

bool RetentionStore::mark_export_deleted(const std::string& request_id, TimePoint at) {
  const std::string when = format_utc(at);
  soci::statement statement = (db_.session().prepare << "UPDATE exports SET deleted_at = :at"
                                                        " WHERE request_id = :id AND deleted_at IS NULL",
                               soci::use(when), soci::use(request_id));
  statement.execute(true);
  return statement.get_affected_rows() > 0;
}

std::vector<FinishedRequest> RetentionStore::unminimised_before(TimePoint before, std::size_t limit) {
  const std::string before_text = format_utc(before);
  std::vector<FinishedRequest> out;
  soci::rowset<soci::row> rows =
      (db_.session().prepare << "SELECT r.id, r.subject FROM requests r"
                                " LEFT JOIN minimised_requests m ON m.request_id = r.id"
                                " WHERE m.request_id IS NULL AND r.updated_at < :before"
                                " AND r.status IN ('completed', 'failed', 'rejected', 'cancelled')"
                                " ORDER BY r.updated_at, r.id LIMIT " + std::to_string(limit) +
                                // Concurrent workers take different requests.
                                (db_.engine() == StoreEngine::mysql ? " FOR UPDATE SKIP LOCKED" : ""),
       soci::use(before_text));
  for (const auto& row : rows) out.push_back({column_text(row, 0), column_text(row, 1)});
  return out;
}

std::uint64_t RetentionStore::minimise(const std::string& request_id, TimePoint at) {
  long long identities = 0;
  db_.session() << "SELECT COUNT(*) FROM request_identities WHERE request_id = :id", soci::use(request_id),
      soci::into(identities);
  db_.session() << "UPDATE request_identities SET value = " +
                       std::string(db_.engine() == StoreEngine::sqlite ? "'pseudonym:' || pseudonym"
                                                                       : "CONCAT('pseudonym:', pseudonym)") +
                       " WHERE request_id = :id",
      soci::use(request_id);
  const std::string when = format_utc(at);
  db_.session() << "INSERT INTO minimised_requests (request_id, minimised_at) VALUES (:id, :at)",
      soci::use(request_id), soci::use(when);
  return static_cast<std::uint64_t>(identities);
}

}  // namespace dsr

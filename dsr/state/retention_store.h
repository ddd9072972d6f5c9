#pragma once
// What dsr keeps only for a while: export files (deleted after their retention) and
// the identity values of finished requests (replaced by pseudonyms after a while).
// Plain data access; inside Database::in_transaction() or read().

#include <string>
#include <vector>

#include "dsr/common/time.h"
#include "dsr/state/database.h"

namespace dsr {

struct ExportRecord {
  std::string request_id;
  std::string path;
  TimePoint expires_at{};
};

struct FinishedRequest {
  std::string request_id;
  std::string subject;
};

class RetentionStore {
 public:
  explicit RetentionStore(Database& db) : db_(db) {}

  void record_export(const std::string& request_id, const std::string& path, TimePoint created, TimePoint expires);
  std::vector<ExportRecord> expired_exports(TimePoint now);
  // False when another worker recorded the deletion first.
  bool mark_export_deleted(const std::string& request_id, TimePoint at);

  // Finished requests last changed before `before` whose identities still hold values.
  std::vector<FinishedRequest> unminimised_before(TimePoint before, std::size_t limit);
  // Replaces each identity value by "pseudonym:<its pseudonym>"; returns how many.
  std::uint64_t minimise(const std::string& request_id, TimePoint at);

 private:
  Database& db_;
};

}  // namespace dsr

#include "dsr/state/officer_email_store.h"

namespace dsr {

void OfficerEmailStore::set(const std::string& name, const std::string& email, TimePoint at) {
  const std::string updated = format_utc(at);
  clear(name);
  db_.session() << "INSERT INTO officer_emails (name, email, updated_at) VALUES (:name, :email, :updated)",
      soci::use(name), soci::use(email), soci::use(updated);
}

void OfficerEmailStore::clear(const std::string& name) {
  db_.session() << "DELETE FROM officer_emails WHERE name = :name", soci::use(name);
}

std::vector<OfficerEmail> OfficerEmailStore::of_acting_officers() {
  std::vector<OfficerEmail> out;
  soci::rowset<soci::row> rows =
      (db_.session().prepare
       << "SELECT e.name, e.email FROM officer_emails e JOIN officers o ON o.name = e.name"
          " WHERE o.disabled = 0 AND o.role IN ('admin', 'officer') ORDER BY e.name");
  for (const auto& row : rows) out.push_back({column_text(row, 0), column_text(row, 1)});
  return out;
}

}  // namespace dsr

#include "tests/support/snapshot.h"

namespace dsr::test {

std::string snapshot(Database& db) {
  static const char* const kTables[][2] = {
      {"requests", "id"},           {"request_identities", "request_id, kind, pseudonym"},
      {"request_events", "id"},     {"officers", "name"},
      {"leases", "request_id"},     {"run_steps", "request_id, step"},
      {"exports", "request_id"},    {"minimised_requests", "request_id"},
      {"audit_entries", "seq"},     {"audit_head", "id"},
  };
  std::string out;
  for (const auto& [table, order] : kTables) {
    out += std::string("== ") + table + "\n";
    soci::rowset<soci::row> rows = db.session().prepare << std::string("SELECT * FROM ") + table + " ORDER BY " + order;
    for (const auto& row : rows) {
      for (std::size_t i = 0; i < row.size(); ++i) {
        out += column_is_null(row, i) ? "NULL" : column_text(row, i);
        out += i + 1 < row.size() ? "|" : "\n";
      }
    }
  }
  return out;
}

}  // namespace dsr::test

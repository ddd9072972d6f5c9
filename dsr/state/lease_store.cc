#include "dsr/state/lease_store.h"

namespace dsr {

namespace {

std::string placeholders(const std::string& prefix, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) out += (i ? ", :" : ":") + prefix + std::to_string(i);
  return out;
}

Lease lease_from_row(const soci::row& row, std::size_t first) {
  Lease l;
  l.request_id = column_text(row, first);
  l.token = column_text(row, first + 1);
  l.worker = column_text(row, first + 2);
  l.host = column_text(row, first + 3);
  l.pid = column_int(row, first + 4);
  l.lease_until = column_time(row, first + 5);
  l.claimed_at = column_time(row, first + 6);
  l.attempt = column_int(row, first + 7);
  return l;
}

constexpr const char* kLeaseColumns = "l.request_id, l.token, l.worker, l.host, l.pid, l.lease_until, l.claimed_at, l.attempt";

}  // namespace

std::optional<std::string> LeaseStore::next_approved(const std::vector<std::string>& types,
                                                     const std::vector<std::string>& excluded) {
  auto ids = next_approved(types, excluded, 1);
  if (ids.empty()) return std::nullopt;
  return ids.front();
}

std::vector<std::string> LeaseStore::next_approved(const std::vector<std::string>& types,
                                                   const std::vector<std::string>& excluded, std::size_t limit) {
  std::vector<std::string> ids;
  if (types.empty() || limit == 0) return ids;
  std::string query = "SELECT id FROM requests WHERE status = 'approved' AND type IN (" + placeholders("t", types.size()) + ")";
  if (!excluded.empty()) query += " AND id NOT IN (" + placeholders("x", excluded.size()) + ")";
  query += " ORDER BY due_at, id LIMIT " + std::to_string(limit);
  if (db_.engine() == StoreEngine::mysql) query += " FOR UPDATE SKIP LOCKED";
  soci::statement statement(db_.session());
  std::string id;
  soci::indicator indicator = soci::i_null;
  statement.exchange(soci::into(id, indicator));
  for (const auto& t : types) statement.exchange(soci::use(t));
  for (const auto& x : excluded) statement.exchange(soci::use(x));
  statement.alloc();
  statement.prepare(query);
  statement.define_and_bind();
  statement.execute(false);
  while (statement.fetch()) {
    if (indicator == soci::i_ok) ids.push_back(id);
  }
  return ids;
}

std::vector<RunningRequest> LeaseStore::running(std::size_t limit) {
  // A plain read, no locks: holding the rows of every running request while deciding
  // would make workers wait on each other in cycles. lock_running() locks one.
  const std::string query = std::string("SELECT r.id, ") + kLeaseColumns +
                            " FROM requests r LEFT JOIN leases l ON l.request_id = r.id WHERE r.status = 'running'"
                            " ORDER BY l.lease_until, r.id LIMIT " + std::to_string(limit);
  std::vector<RunningRequest> out;
  soci::rowset<soci::row> rows = db_.session().prepare << query;
  for (const auto& row : rows) {
    RunningRequest r;
    r.request_id = column_text(row, 0);
    if (!column_is_null(row, 1)) r.lease = lease_from_row(row, 1);
    out.push_back(std::move(r));
  }
  return out;
}

bool LeaseStore::lock_running(const std::string& request_id) {
  std::string query = "SELECT id FROM requests WHERE id = :id AND status = 'running'";
  if (db_.engine() == StoreEngine::mysql) query += " FOR UPDATE SKIP LOCKED";
  std::string id;
  soci::indicator indicator = soci::i_null;
  db_.session() << query, soci::use(request_id), soci::into(id, indicator);
  return indicator == soci::i_ok;
}

std::optional<Lease> LeaseStore::find(const std::string& request_id) {
  std::string query = std::string("SELECT ") + kLeaseColumns + " FROM leases l WHERE l.request_id = :id";
  if (db_.engine() == StoreEngine::mysql) query += " FOR UPDATE";
  soci::rowset<soci::row> rows = (db_.session().prepare << query, soci::use(request_id));
  for (const auto& row : rows) return lease_from_row(row, 0);
  return std::nullopt;
}

void LeaseStore::put(const Lease& l) {
  remove(l.request_id);
  const std::string until = format_utc(l.lease_until), claimed = format_utc(l.claimed_at);
  db_.session() << "INSERT INTO leases (request_id, token, worker, host, pid, lease_until, claimed_at, attempt)"
                   " VALUES (:id, :token, :worker, :host, :pid, :until, :claimed, :attempt)",
      soci::use(l.request_id), soci::use(l.token), soci::use(l.worker), soci::use(l.host), soci::use(l.pid),
      soci::use(until), soci::use(claimed), soci::use(l.attempt);
}

bool LeaseStore::renew(const std::string& request_id, const std::string& token, TimePoint until) {
  const std::string until_text = format_utc(until);
  soci::statement statement = (db_.session().prepare << "UPDATE leases SET lease_until = :until"
                                                        " WHERE request_id = :id AND token = :token",
                               soci::use(until_text), soci::use(request_id), soci::use(token));
  statement.execute(true);
  if (statement.get_affected_rows() > 0) return true;
  // MariaDB counts only changed rows: a renewal within the same second changes nothing.
  auto current = find(request_id);
  return current && current->token == token;
}

void LeaseStore::remove(const std::string& request_id) {
  db_.session() << "DELETE FROM leases WHERE request_id = :id", soci::use(request_id);
}

}  // namespace dsr

#include "dsr/state/request_store.h"

namespace dsr {

namespace {

constexpr const char* kRequestColumns =
    "id, type, status, regulation, channel, subject, received_at, due_at, extended_at, extension_reason,"
    " duplicate_of, status_reason, submitted_by, approved_by, updated_at";

Request request_from_row(const soci::row& row) {
  Request r;
  r.id = column_text(row, 0);
  if (auto t = parse_request_type(column_text(row, 1))) r.type = *t;
  if (auto s = parse_request_status(column_text(row, 2))) r.status = *s;
  if (auto g = parse_regulation(column_text(row, 3))) r.regulation = *g;
  r.channel = column_text(row, 4);
  r.subject = column_text(row, 5);
  r.received_at = column_time(row, 6);
  r.due_at = column_time(row, 7);
  if (!column_is_null(row, 8)) r.extended_at = column_time(row, 8);
  r.extension_reason = column_text(row, 9);
  r.duplicate_of = column_text(row, 10);
  r.status_reason = column_text(row, 11);
  r.submitted_by = column_text(row, 12);
  r.approved_by = column_text(row, 13);
  r.updated_at = column_time(row, 14);
  return r;
}

std::string terminal_status_list() {
  std::string list;
  for (auto s : {RequestStatus::completed, RequestStatus::failed, RequestStatus::rejected, RequestStatus::cancelled}) {
    list += list.empty() ? "'" : ", '";
    list += std::string(to_string(s)) + "'";
  }
  return list;
}

}  // namespace

void RequestStore::insert(const Request& r) {
  auto& sql = db_.session();
  const std::string type(to_string(r.type)), status(to_string(r.status)), regulation(to_string(r.regulation));
  const std::string received = format_utc(r.received_at), due = format_utc(r.due_at),
                    updated = format_utc(r.updated_at);
  soci::indicator dup_ind = null_if_empty(r.duplicate_of), reason_ind = null_if_empty(r.status_reason),
                  by_ind = null_if_empty(r.submitted_by);
  sql << "INSERT INTO requests (id, type, status, regulation, channel, subject, received_at, due_at,"
         " duplicate_of, status_reason, submitted_by, updated_at)"
         " VALUES (:id, :type, :status, :regulation, :channel, :subject, :received, :due, :dup, :reason, :by,"
         " :updated)",
      soci::use(r.id), soci::use(type), soci::use(status), soci::use(regulation), soci::use(r.channel),
      soci::use(r.subject), soci::use(received), soci::use(due), soci::use(r.duplicate_of, dup_ind),
      soci::use(r.status_reason, reason_ind), soci::use(r.submitted_by, by_ind), soci::use(updated);
  for (const auto& identity : r.identities) {
    const long long proven = identity.proven ? 1 : 0;
    sql << "INSERT INTO request_identities (request_id, kind, value, pseudonym, proven)"
           " VALUES (:id, :kind, :value, :pseudonym, :proven)",
        soci::use(r.id), soci::use(identity.kind), soci::use(identity.value), soci::use(identity.pseudonym),
        soci::use(proven);
  }
}

namespace {

// One prepared statement for the identities of one request after another: a list of
// hundreds of requests (dsr list, the officer's queue, dsr batch's due list) would
// otherwise parse the same SELECT once per request, which cost more than reading them.
class IdentityReader {
 public:
  explicit IdentityReader(soci::session& session)
      : statement_((session.prepare << "SELECT kind, value, pseudonym, proven FROM request_identities"
                                       " WHERE request_id = :id ORDER BY kind, pseudonym",
                    soci::use(request_id_), soci::into(kind_), soci::into(value_), soci::into(pseudonym_),
                    soci::into(proven_))) {}

  std::vector<StoredIdentity> of(const std::string& id) {
    request_id_ = id;
    std::vector<StoredIdentity> out;
    statement_.execute();
    while (statement_.fetch()) out.push_back({kind_, value_, pseudonym_, proven_ != 0});
    return out;
  }

 private:
  // Bound by reference, so declared before the statement that binds them.
  std::string request_id_, kind_, value_, pseudonym_;
  long long proven_ = 0;
  soci::statement statement_;
};

}  // namespace

std::vector<StoredIdentity> RequestStore::identities_of(const std::string& id) {
  return IdentityReader(db_.session()).of(id);
}

std::optional<Request> RequestStore::find(const std::string& id, bool lock_for_update) {
  std::optional<Request> found = find_without_identities(id, lock_for_update);
  if (found) found->identities = identities_of(id);
  return found;
}

std::optional<Request> RequestStore::find_without_identities(const std::string& id, bool lock_for_update) {
  std::string query = std::string("SELECT ") + kRequestColumns + " FROM requests WHERE id = :id";
  // SQLite's BEGIN IMMEDIATE already holds the write lock; MariaDB needs the row lock.
  if (lock_for_update && db_.engine() == StoreEngine::mysql) query += " FOR UPDATE";
  std::optional<Request> found;
  {
    soci::rowset<soci::row> rows = (db_.session().prepare << query, soci::use(id));
    for (const auto& row : rows) found = request_from_row(row);
  }
  return found;
}

std::vector<Request> RequestStore::list(const RequestFilter& filter) {
  std::string query = std::string("SELECT ") + kRequestColumns + " FROM requests WHERE 1 = 1";
  const std::string status = filter.status ? std::string(to_string(*filter.status)) : "";
  const std::string type = filter.type ? std::string(to_string(*filter.type)) : "";
  const std::string channel = filter.channel.value_or("");
  const std::string now = format_utc(filter.now);
  const std::string due_before = filter.due_before ? format_utc(*filter.due_before) : "";
  // Every optional filter is bound; an empty value switches it off.
  query += " AND (:status = '' OR status = :status2)";
  query += " AND (:type = '' OR type = :type2)";
  query += " AND (:channel = '' OR channel = :channel2)";
  query += " AND (:due_before = '' OR due_at < :due_before2)";
  const long long overdue_only = filter.overdue_only ? 1 : 0;
  query += " AND (:overdue = 0 OR (due_at < :now AND status NOT IN (" + terminal_status_list() + ")))";
  query += " ORDER BY due_at, id";
  std::vector<Request> out;
  {
    soci::rowset<soci::row> rows =
        (db_.session().prepare << query, soci::use(status), soci::use(status), soci::use(type), soci::use(type),
         soci::use(channel), soci::use(channel), soci::use(due_before), soci::use(due_before),
         soci::use(overdue_only), soci::use(now));
    for (const auto& row : rows) out.push_back(request_from_row(row));
  }
  if (out.empty()) return out;
  IdentityReader identities(db_.session());
  for (auto& r : out) r.identities = identities.of(r.id);
  return out;
}

std::optional<std::string> RequestStore::find_open_duplicate(RequestType type,
                                                             const std::vector<std::string>& pseudonyms) {
  if (pseudonyms.empty()) return std::nullopt;
  const std::string type_name(to_string(type));
  std::string placeholders;
  for (std::size_t i = 0; i < pseudonyms.size(); ++i) {
    placeholders += (i == 0 ? ":p" : ", :p") + std::to_string(i);
  }
  const std::string query =
      "SELECT r.id FROM requests r JOIN request_identities i ON i.request_id = r.id"
      " WHERE r.type = :type AND r.duplicate_of IS NULL AND r.status NOT IN (" +
      terminal_status_list() + ") AND i.pseudonym IN (" + placeholders + ") ORDER BY r.received_at, r.id";
  soci::statement statement(db_.session());
  std::string id;
  statement.exchange(soci::into(id));
  statement.exchange(soci::use(type_name));
  for (const auto& p : pseudonyms) statement.exchange(soci::use(p));
  statement.alloc();
  statement.prepare(query);
  statement.define_and_bind();
  statement.execute(false);
  if (statement.fetch()) return id;
  return std::nullopt;
}

void RequestStore::update_status(const std::string& id, RequestStatus status, const std::string& reason,
                                 TimePoint at) {
  const std::string status_name(to_string(status)), when = format_utc(at);
  soci::indicator reason_ind = null_if_empty(reason);
  db_.session() << "UPDATE requests SET status = :status, status_reason = :reason, updated_at = :at WHERE id = :id",
      soci::use(status_name), soci::use(reason, reason_ind), soci::use(when), soci::use(id);
}

void RequestStore::set_approved_by(const std::string& id, const std::string& officer) {
  db_.session() << "UPDATE requests SET approved_by = :officer WHERE id = :id", soci::use(officer), soci::use(id);
}

void RequestStore::set_extension(const std::string& id, TimePoint due_at, TimePoint extended_at,
                                 const std::string& reason) {
  const std::string due = format_utc(due_at), when = format_utc(extended_at);
  db_.session() << "UPDATE requests SET due_at = :due, extended_at = :at, extension_reason = :reason,"
                   " updated_at = :at2 WHERE id = :id",
      soci::use(due), soci::use(when), soci::use(reason), soci::use(when), soci::use(id);
}

void RequestStore::set_type(const std::string& id, RequestType type, TimePoint at) {
  const std::string type_name(to_string(type)), when = format_utc(at);
  db_.session() << "UPDATE requests SET type = :type, updated_at = :at WHERE id = :id", soci::use(type_name),
      soci::use(when), soci::use(id);
}

void RequestStore::mark_identities_proven(const std::string& id) {
  db_.session() << "UPDATE request_identities SET proven = 1 WHERE request_id = :id", soci::use(id);
}

void RequestStore::add_event(const std::string& request_id, const RequestEvent& e) {
  const std::string at = format_utc(e.at);
  soci::indicator from_ind = null_if_empty(e.from_status), to_ind = null_if_empty(e.to_status),
                  note_ind = null_if_empty(e.note);
  db_.session() << "INSERT INTO request_events (request_id, at, actor, kind, from_status, to_status, note)"
                   " VALUES (:id, :at, :actor, :kind, :from_status, :to_status, :note)",
      soci::use(request_id), soci::use(at), soci::use(e.actor), soci::use(e.kind),
      soci::use(e.from_status, from_ind), soci::use(e.to_status, to_ind), soci::use(e.note, note_ind);
}

std::vector<RequestEvent> RequestStore::events(const std::string& request_id) {
  std::vector<RequestEvent> out;
  soci::rowset<soci::row> rows =
      (db_.session().prepare << "SELECT at, actor, kind, from_status, to_status, note FROM request_events"
                                " WHERE request_id = :id ORDER BY id",
       soci::use(request_id));
  for (const auto& row : rows) {
    out.push_back({column_time(row, 0), column_text(row, 1), column_text(row, 2), column_text(row, 3),
                   column_text(row, 4), column_text(row, 5)});
  }
  return out;
}

}  // namespace dsr

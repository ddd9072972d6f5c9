#include "dsr/audit/audit_log.h"

#include <Poco/JSON/Parser.h>

#include "dsr/common/canonical_json.h"
#include "dsr/common/crypto.h"

namespace dsr {

namespace {

// The fields an entry's hash covers; the export shows the same ones, so they cannot drift apart.
Poco::JSON::Object content_fields(const AuditEntry& e, Poco::Dynamic::Var detail) {
  Poco::JSON::Object content;
  content.set("seq", e.seq);
  content.set("at", e.at);
  content.set("action", e.action);
  content.set("actor", e.actor);
  content.set("request_id", e.request_id);
  content.set("subject", e.subject);
  content.set("detail", detail);
  return content;
}

std::string canonical_content(const AuditEntry& e) {
  return canonical_json(Poco::Dynamic::Var(content_fields(e, e.detail)));
}

std::string chain_hash(const std::string& prev_hash, const AuditEntry& e) {
  return sha256_hex(prev_hash + "\n" + canonical_content(e));
}

struct Head {
  long long seq = 0;
  std::string hash;
  std::string seal;
};

std::optional<Head> read_head(Database& db, bool for_update) {
  std::string query = "SELECT seq, entry_hash, seal FROM audit_head WHERE id = 1";
  if (for_update && db.engine() == StoreEngine::mysql) query += " FOR UPDATE";
  soci::rowset<soci::row> rows = db.session().prepare << query;
  for (const auto& row : rows) return Head{column_int(row, 0), column_text(row, 1), column_text(row, 2)};
  return std::nullopt;
}

}  // namespace

std::string text_digest(const std::string& text) { return sha256_hex(text); }

std::string AuditLog::head_seal(long long seq, const std::string& hash) const {
  return key_.seal("audit-head:" + std::to_string(seq) + ":" + hash);
}

Status AuditLog::initialise() {
  return db_.in_transaction([&]() -> Status {
    if (read_head(db_, true)) return Status::Ok();
    const long long id = 1, seq = 0;
    const std::string hash = genesis_hash(), seal = head_seal(0, hash);
    db_.session() << "INSERT INTO audit_head (id, seq, entry_hash, seal) VALUES (:id, :seq, :hash, :seal)",
        soci::use(id), soci::use(seq), soci::use(hash), soci::use(seal);
    return Status::Ok();
  });
}

Status AuditLog::append(const AuditEvent& event) { return append_all({event}); }

Status AuditLog::append_all(const std::vector<AuditEvent>& events) {
  if (!db_.in_transaction()) return fail("audit: append outside a transaction (a bug in dsr)");
  if (events.empty()) return Status::Ok();
  auto head = read_head(db_, true);
  if (!head) return fail("audit: the trail has no head; run `dsr init`");
  AuditEntry entry;
  entry.seq = head->seq;
  entry.entry_hash = head->hash;
  soci::indicator request_ind = soci::i_ok, subject_ind = soci::i_ok;
  // One statement prepared for all entries: compiling it is most of an insert's cost.
  soci::statement insert =
      (db_.session().prepare << "INSERT INTO audit_entries (seq, at, action, actor, request_id, subject, detail,"
                                " prev_hash, entry_hash) VALUES (:seq, :at, :action, :actor, :request_id, :subject,"
                                " :detail, :prev, :hash)",
       soci::use(entry.seq), soci::use(entry.at), soci::use(entry.action), soci::use(entry.actor),
       soci::use(entry.request_id, request_ind), soci::use(entry.subject, subject_ind), soci::use(entry.detail),
       soci::use(entry.prev_hash), soci::use(entry.entry_hash));
  const std::string at = format_utc(clock_.now());
  for (const auto& event : events) {
    entry.prev_hash = entry.entry_hash;
    ++entry.seq;
    entry.at = at;
    entry.action = event.action;
    entry.actor = event.actor;
    entry.request_id = event.request_id;
    entry.subject = event.subject;
    entry.detail = canonical_json(event.detail ? Poco::Dynamic::Var(event.detail)
                                               : Poco::Dynamic::Var(Poco::JSON::Object::Ptr(new Poco::JSON::Object)));
    entry.entry_hash = chain_hash(entry.prev_hash, entry);
    request_ind = null_if_empty(entry.request_id);
    subject_ind = null_if_empty(entry.subject);
    insert.execute(true);
  }
  const std::string seal = head_seal(entry.seq, entry.entry_hash);
  db_.session() << "UPDATE audit_head SET seq = :seq, entry_hash = :hash, seal = :seal WHERE id = 1",
      soci::use(entry.seq), soci::use(entry.entry_hash), soci::use(seal);
  return Status::Ok();
}

Status AuditLog::lock_head() {
  if (!db_.in_transaction()) return fail("audit: lock outside a transaction (a bug in dsr)");
  if (!read_head(db_, true)) return fail("audit: the trail has no head; run `dsr init`");
  return Status::Ok();
}

Status AuditLog::for_each(const std::function<bool(const AuditEntry&)>& visit) {
  return db_.read([&]() -> Status {
    soci::rowset<soci::row> rows =
        db_.session().prepare << "SELECT seq, at, action, actor, request_id, subject, detail, prev_hash, entry_hash"
                                 " FROM audit_entries ORDER BY seq";
    for (const auto& row : rows) {
      AuditEntry e{column_int(row, 0),  column_text(row, 1), column_text(row, 2),
                   column_text(row, 3), column_text(row, 4), column_text(row, 5),
                   column_text(row, 6), column_text(row, 7), column_text(row, 8)};
      if (!visit(e)) break;
    }
    return Status::Ok();
  });
}

AuditVerification AuditLog::verify() {
  AuditVerification result;
  long long expected_seq = 1;
  std::string previous_hash = genesis_hash();
  const auto broken = [&result](long long seq, std::string problem) {
    result.intact = false;
    result.first_bad_seq = seq;
    result.problem = std::move(problem);
    return false;
  };
  Status walked = for_each([&](const AuditEntry& e) {
    ++result.entries;
    if (e.seq != expected_seq) {
      return broken(e.seq, "entry " + std::to_string(expected_seq) + " is missing (found entry " +
                               std::to_string(e.seq) + " in its place): entries were deleted");
    }
    if (e.prev_hash != previous_hash) {
      return broken(e.seq, "its link to the previous entry is broken: entries were deleted, reordered or changed");
    }
    if (chain_hash(e.prev_hash, e) != e.entry_hash) {
      return broken(e.seq, "its content does not match its hash: the entry was changed");
    }
    previous_hash = e.entry_hash;
    ++expected_seq;
    return true;
  });
  if (!walked) {
    result.intact = false;
    result.problem = walked.error();
    return result;
  }
  if (!result.intact) return result;
  const long long last_seq = expected_seq - 1;
  std::optional<Head> head;
  Status read = db_.read([&] {
    head = read_head(db_, false);
    return Status::Ok();
  });
  if (!read || !head) {
    result.intact = false;
    result.problem = read ? "the trail has no head row (run `dsr init`)" : read.error();
    return result;
  }
  if (!constant_time_equal(head->seal, head_seal(head->seq, head->hash))) {
    result.intact = false;
    result.problem = "the head's seal does not match: the head row was changed, or the key file is not this store's";
    return result;
  }
  if (head->seq != last_seq || head->hash != previous_hash) {
    result.intact = false;
    result.first_bad_seq = last_seq + 1;
    result.problem = "the trail ends at entry " + std::to_string(last_seq) + " but its sealed head records entry " +
                     std::to_string(head->seq) + ": entries were cut from the end";
  }
  return result;
}

Status AuditLog::export_jsonl(std::ostream& out) {
  return for_each([&](const AuditEntry& e) {
    Poco::JSON::Parser parser;
    Poco::JSON::Object line = content_fields(e, parser.parse(e.detail));
    line.set("prev_hash", e.prev_hash);
    line.set("entry_hash", e.entry_hash);
    out << canonical_json(Poco::Dynamic::Var(line)) << '\n';
    return static_cast<bool>(out);
  });
}

}  // namespace dsr

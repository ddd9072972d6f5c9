#include "dsr/state/migrations.h"

#include <string>
#include <vector>

#include "dsr/common/time.h"
#include "dsr/state/migration_steps.h"

namespace dsr {

namespace {

// Placeholders in the statements below, replaced per engine.
struct Dialect {
  std::string autoincrement_key;
  std::string table_options;
};

Dialect dialect_for(StoreEngine engine) {
  if (engine == StoreEngine::sqlite) return {"INTEGER PRIMARY KEY AUTOINCREMENT", ""};
  return {"BIGINT AUTO_INCREMENT PRIMARY KEY", " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"};
}

std::string expand(std::string sql, const Dialect& dialect) {
  const auto replace = [&sql](const std::string& from, const std::string& to) {
    for (auto pos = sql.find(from); pos != std::string::npos; pos = sql.find(from, pos + to.size())) {
      sql.replace(pos, from.size(), to);
    }
  };
  replace("{AUTOINCREMENT_KEY}", dialect.autoincrement_key);
  replace("{TABLE_OPTIONS}", dialect.table_options);
  return sql;
}

}  // namespace

std::vector<std::string> migration_1(StoreEngine engine) {
  std::vector<std::string> statements = {
      // Timestamps are UTC text "YYYY-MM-DDTHH:MM:SSZ" on both engines: text order is time order.
      "CREATE TABLE IF NOT EXISTS requests ("
      " id VARCHAR(36) NOT NULL PRIMARY KEY,"
      " type VARCHAR(16) NOT NULL,"
      " status VARCHAR(24) NOT NULL,"
      " regulation VARCHAR(8) NOT NULL,"
      " channel VARCHAR(16) NOT NULL,"
      " subject VARCHAR(64) NOT NULL,"
      " received_at VARCHAR(20) NOT NULL,"
      " due_at VARCHAR(20) NOT NULL,"
      " extended_at VARCHAR(20) NULL,"
      " extension_reason TEXT NULL,"
      " duplicate_of VARCHAR(36) NULL,"
      " status_reason TEXT NULL,"
      " submitted_by VARCHAR(64) NULL,"
      " approved_by VARCHAR(64) NULL,"
      " updated_at VARCHAR(20) NOT NULL)"
      "{TABLE_OPTIONS}",
      "CREATE INDEX IF NOT EXISTS requests_by_status ON requests (status, due_at)",
      // value holds the normalised identity; pseudonym is its keyed hash, used for
      // matching so that minimised requests (value replaced) still match.
      "CREATE TABLE IF NOT EXISTS request_identities ("
      " request_id VARCHAR(36) NOT NULL,"
      " kind VARCHAR(32) NOT NULL,"
      " value VARCHAR(1024) NOT NULL,"
      " pseudonym VARCHAR(64) NOT NULL,"
      " proven BIGINT NOT NULL,"
      " PRIMARY KEY (request_id, kind, pseudonym),"
      " FOREIGN KEY (request_id) REFERENCES requests (id))"
      "{TABLE_OPTIONS}",
      "CREATE INDEX IF NOT EXISTS request_identities_by_pseudonym ON request_identities (pseudonym)",
      "CREATE TABLE IF NOT EXISTS request_events ("
      " id {AUTOINCREMENT_KEY},"
      " request_id VARCHAR(36) NOT NULL,"
      " at VARCHAR(20) NOT NULL,"
      " actor VARCHAR(128) NOT NULL,"
      " kind VARCHAR(32) NOT NULL,"
      " from_status VARCHAR(24) NULL,"
      " to_status VARCHAR(24) NULL,"
      " note TEXT NULL,"
      " FOREIGN KEY (request_id) REFERENCES requests (id))"
      "{TABLE_OPTIONS}",
      "CREATE INDEX IF NOT EXISTS request_events_by_request ON request_events (request_id, id)",
      "CREATE TABLE IF NOT EXISTS officers ("
      " name VARCHAR(64) NOT NULL PRIMARY KEY,"
      " role VARCHAR(16) NOT NULL,"
      " password_hash VARCHAR(255) NOT NULL,"
      " created_at VARCHAR(20) NOT NULL,"
      " disabled BIGINT NOT NULL DEFAULT 0)"
      "{TABLE_OPTIONS}",
      // One live claim per request: which worker runs it, until when its lease holds.
      "CREATE TABLE IF NOT EXISTS claims ("
      " request_id VARCHAR(36) NOT NULL PRIMARY KEY,"
      " worker VARCHAR(128) NOT NULL,"
      " lease_until VARCHAR(20) NOT NULL,"
      " claimed_at VARCHAR(20) NOT NULL,"
      " FOREIGN KEY (request_id) REFERENCES requests (id))"
      "{TABLE_OPTIONS}",
      // Steps of a run, recorded before and after, so a rerun skips finished ones.
      "CREATE TABLE IF NOT EXISTS run_steps ("
      " request_id VARCHAR(36) NOT NULL,"
      " step VARCHAR(255) NOT NULL,"
      " status VARCHAR(16) NOT NULL,"
      " row_count BIGINT NOT NULL DEFAULT 0,"
      " started_at VARCHAR(20) NOT NULL,"
      " finished_at VARCHAR(20) NULL,"
      " detail TEXT NULL,"
      " PRIMARY KEY (request_id, step),"
      " FOREIGN KEY (request_id) REFERENCES requests (id))"
      "{TABLE_OPTIONS}",
      // The hash-chained audit trail. No foreign keys: it must outlive what it records.
      "CREATE TABLE IF NOT EXISTS audit_entries ("
      " seq BIGINT NOT NULL PRIMARY KEY,"
      " at VARCHAR(20) NOT NULL,"
      " action VARCHAR(64) NOT NULL,"
      " actor VARCHAR(128) NOT NULL,"
      " request_id VARCHAR(36) NULL,"
      " subject VARCHAR(64) NULL,"
      " detail TEXT NOT NULL,"
      " prev_hash CHAR(64) NOT NULL,"
      " entry_hash CHAR(64) NOT NULL)"
      "{TABLE_OPTIONS}",
      "CREATE INDEX IF NOT EXISTS audit_entries_by_request ON audit_entries (request_id)",
      // The chain's head, sealed with the key outside the database, so that entries
      // cut from the end are noticed. Its row is also the lock appends queue behind.
      "CREATE TABLE IF NOT EXISTS audit_head ("
      " id BIGINT NOT NULL PRIMARY KEY,"
      " seq BIGINT NOT NULL,"
      " entry_hash CHAR(64) NOT NULL,"
      " seal VARCHAR(64) NOT NULL)"
      "{TABLE_OPTIONS}",
  };
  if (engine == StoreEngine::sqlite) {
    statements.push_back(
        "CREATE TRIGGER IF NOT EXISTS audit_entries_no_update BEFORE UPDATE ON audit_entries"
        " BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END");
    statements.push_back(
        "CREATE TRIGGER IF NOT EXISTS audit_entries_no_delete BEFORE DELETE ON audit_entries"
        " BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END");
  } else {
    statements.push_back(
        "CREATE TRIGGER IF NOT EXISTS audit_entries_no_update BEFORE UPDATE ON audit_entries"
        " FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_entries is append-only'");
    statements.push_back(
        "CREATE TRIGGER IF NOT EXISTS audit_entries_no_delete BEFORE DELETE ON audit_entries"
        " FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_entries is append-only'");
  }
  return statements;
}

namespace {

using Migration = std::vector<std::string> (*)(StoreEngine);
const std::vector<Migration>& migrations() {
  static const std::vector<Migration> all = {&migration_1, &migration_2, &migration_3,
                                             &migration_4, &migration_5, &migration_6,
                                             &migration_7, &migration_8};
  return all;
}

Status create_version_table(Database& db) {
  const Dialect dialect = dialect_for(db.engine());
  db.session() << expand(
      "CREATE TABLE IF NOT EXISTS schema_version ("
      " version BIGINT NOT NULL PRIMARY KEY, applied_at VARCHAR(20) NOT NULL){TABLE_OPTIONS}",
      dialect);
  return Status::Ok();
}

}  // namespace

int current_schema_version() { return static_cast<int>(migrations().size()); }

namespace {

bool version_table_exists(Database& db) {
  long long tables = 0;
  if (db.engine() == StoreEngine::sqlite) {
    db.session() << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'",
        soci::into(tables);
  } else {
    db.session() << "SELECT COUNT(*) FROM information_schema.tables"
                    " WHERE table_schema = DATABASE() AND table_name = 'schema_version'",
        soci::into(tables);
  }
  return tables != 0;
}

int highest_version(Database& db) {
  long long stored = 0;
  soci::indicator indicator = soci::i_ok;
  db.session() << "SELECT MAX(version) FROM schema_version", soci::into(stored, indicator);
  return indicator == soci::i_ok ? static_cast<int>(stored) : 0;
}

}  // namespace

Result<int> stored_schema_version(Database& db) {
  int version = 0;
  Status status = db.read([&]() -> Status {
    if (db.engine() == StoreEngine::sqlite) {
      // Every command but the first `dsr init` finds the table: it is read at once and
      // looked for only when that fails, one statement to parse instead of two.
      try {
        version = highest_version(db);
      } catch (const soci::soci_error&) {
        if (version_table_exists(db)) throw;  // there, yet unreadable: that is the error
      }
      return Status::Ok();
    }
    if (version_table_exists(db)) version = highest_version(db);
    return Status::Ok();
  });
  if (!status) return status.take_error();
  return version;
}

Status migrate(Database& db) {
  auto stored = stored_schema_version(db);
  if (!stored) return stored.take_error();
  const int current = current_schema_version();
  if (*stored > current) {
    return fail("state store: its schema version " + std::to_string(*stored) + " is newer than this dsr's (" +
                std::to_string(current) + "); use a newer dsr, never downgrade a store");
  }
  if (Status s = db.read([&] { return create_version_table(db); }); !s) return s;
  const Dialect dialect = dialect_for(db.engine());
  for (int version = *stored + 1; version <= current; ++version) {
    // DDL commits implicitly on MariaDB; the statements are idempotent instead.
    Status applied = db.in_transaction([&]() -> Status {
      for (const auto& statement : migrations()[static_cast<std::size_t>(version - 1)](db.engine())) {
        db.session() << expand(statement, dialect);
      }
      const std::string now = format_utc(SystemClock().now());
      const long long v = version;
      db.session() << "INSERT INTO schema_version (version, applied_at) VALUES (:v, :at)", soci::use(v),
          soci::use(now);
      return Status::Ok();
    });
    if (!applied) {
      return fail("state store: migration to version " + std::to_string(version) + " failed: " + applied.error());
    }
  }
  return Status::Ok();
}

Status check_schema_version(Database& db) {
  auto stored = stored_schema_version(db);
  if (!stored) return stored.take_error();
  const int current = current_schema_version();
  if (*stored == 0) return fail("state store: not initialised; run `dsr init` first");
  if (*stored > current) {
    return fail("state store: its schema version " + std::to_string(*stored) + " is newer than this dsr's (" +
                std::to_string(current) + "); use a newer dsr");
  }
  if (*stored < current) {
    return fail("state store: schema version " + std::to_string(*stored) + " is older than this dsr's (" +
                std::to_string(current) + "); run `dsr init` to migrate it");
  }
  return Status::Ok();
}

}  // namespace dsr

#include "dsr/state/database.h"

#include <soci/mysql/soci-mysql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <ctime>
#include <optional>
#include <stdexcept>

#include <Poco/File.h>
#include <Poco/Path.h>

namespace dsr {

namespace {
constexpr int kWalCheckpointPages = 256;
}  // namespace

Result<std::unique_ptr<Database>> Database::open(const StoreConnection& connection) {
  std::unique_ptr<Database> db(new Database(connection.engine));
  try {
    if (connection.engine == StoreEngine::sqlite) {
      const Poco::Path parent = Poco::Path(connection.sqlite_path).parent();
      if (!Poco::File(parent).exists()) {
        return fail("state store: folder " + parent.toString() + " does not exist");
      }
      // timeout: seconds SQLite waits for another process's write lock before failing.
      db->session_.open(soci::sqlite3, "db=\"" + connection.sqlite_path + "\" timeout=30");
      auto* backend = static_cast<soci::sqlite3_session_backend*>(db->session_.get_backend());
      // As PRAGMA foreign_keys = ON, without a statement to parse: this runs on every command.
      if (sqlite_api::sqlite3_db_config(backend->conn_, SQLITE_DBCONFIG_ENABLE_FKEY, 1, nullptr) != SQLITE_OK) {
        throw std::runtime_error("cannot turn on foreign key enforcement");
      }
      db->session_ << "PRAGMA journal_mode = WAL";
      // Every commit is fsynced before it returns: durable on power loss too.
      db->session_ << "PRAGMA synchronous = FULL";
      // No checkpoint when the connection closes. By default the last connection out
      // copies the WAL into the database file, fsyncs both and deletes the WAL, and the
      // next process starts a new one (another fsync for its header): four waits for
      // the disk in every dsr command that writes, for nothing a commit has not already
      // made durable. So state.sqlite-wal and -shm stay next to the store: back it up
      // with sqlite3's .backup (or copy all three files while no dsr runs).
      sqlite_api::sqlite3_db_config(backend->conn_, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
      // SQLite checkpoints on its own once the WAL holds this many pages. The first process
      // to open the store (every dsr command, unless dsr serve holds it open) rebuilds the
      // WAL's index by reading and checksumming all of the WAL: at SQLite's default of
      // 1,000 pages up to 4 MB, about 2 ms, in every command. An access run writes some
      // 40 pages (its submission and approval as many again), so at 256 pages a checkpoint
      // (one fsync of the store) comes every few runs and that read stays near 1 MB.
      sqlite_api::sqlite3_wal_autocheckpoint(backend->conn_, kWalCheckpointPages);
    } else {
      db->session_.open(soci::mysql, connection.mysql_connection + " charset=utf8mb4");
      db->session_ << "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED";
      db->session_ << "SET time_zone = '+00:00'";
    }
  } catch (const std::exception& e) {
    return fail(std::string("state store: cannot open (") +
                (connection.engine == StoreEngine::sqlite ? "sqlite" : "mysql") + "): " + e.what());
  }
  return db;
}

// In WAL mode, synchronous = NORMAL makes a COMMIT append to the WAL without an
// fsync; the next FULL commit's fsync of the WAL takes it to disk too.
DeferredCommits::DeferredCommits(Database& db) : db_(db) {
  if (db_.engine_ != StoreEngine::sqlite) return;
  try {
    if (db_.deferring_scopes_ == 0) db_.session_ << "PRAGMA synchronous = NORMAL";
    ++db_.deferring_scopes_;
    counted_ = true;
  } catch (const std::exception&) {
    // The transactions then commit as durably as every other one.
  }
}

DeferredCommits::~DeferredCommits() {
  if (!counted_ || --db_.deferring_scopes_ > 0) return;
  try {
    db_.session_ << "PRAGMA synchronous = FULL";
  } catch (const std::exception&) {
    // Cannot fail outside a transaction short of a closed connection, which no later
    // commit would use either.
  }
}

Status Database::in_transaction(const std::function<Status()>& work, Durability durability) {
  if (in_transaction_) return fail("state store: nested transaction (a bug in dsr)");
  std::optional<DeferredCommits> deferred;
  if (durability == Durability::deferred) deferred.emplace(*this);
  try {
    session_ << (engine_ == StoreEngine::sqlite ? "BEGIN IMMEDIATE" : "START TRANSACTION");
  } catch (const std::exception& e) {
    return fail(std::string("state store: cannot begin a transaction: ") + e.what());
  }
  in_transaction_ = true;
  Status status;
  try {
    status = work();
  } catch (const std::exception& e) {
    status = fail(std::string("state store: ") + e.what());
  }
  try {
    session_ << (status.ok() ? "COMMIT" : "ROLLBACK");
  } catch (const std::exception& e) {
    in_transaction_ = false;
    if (status.ok()) {
      try {
        session_ << "ROLLBACK";
      } catch (const std::exception&) {
        // The commit failure below is the error worth reporting.
      }
    }
    return fail(std::string("state store: commit failed: ") + e.what());
  }
  in_transaction_ = false;
  return status;
}

Status Database::read(const std::function<Status()>& work) {
  try {
    return work();
  } catch (const std::exception& e) {
    return fail(std::string("state store: ") + e.what());
  }
}

bool column_is_null(const soci::row& row, std::size_t index) { return row.get_indicator(index) == soci::i_null; }

std::string column_text(const soci::row& row, std::size_t index) {
  if (column_is_null(row, index)) return "";
  switch (row.get_properties(index).get_data_type()) {
    case soci::dt_string: return row.get<std::string>(index);
    case soci::dt_integer: return std::to_string(row.get<int>(index));
    case soci::dt_long_long: return std::to_string(row.get<long long>(index));
    case soci::dt_unsigned_long_long: return std::to_string(row.get<unsigned long long>(index));
    case soci::dt_double: return std::to_string(row.get<double>(index));
    case soci::dt_date: {
      const std::tm t = row.get<std::tm>(index);
      char text[32];
      std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &t);
      return text;
    }
    default: return row.get<std::string>(index);
  }
}

TimePoint column_time(const soci::row& row, std::size_t index) {
  auto parsed = parse_utc(column_text(row, index));
  return parsed ? *parsed : TimePoint{};
}

long long column_int(const soci::row& row, std::size_t index) {
  if (column_is_null(row, index)) return 0;
  switch (row.get_properties(index).get_data_type()) {
    case soci::dt_integer: return row.get<int>(index);
    case soci::dt_long_long: return row.get<long long>(index);
    case soci::dt_unsigned_long_long: return static_cast<long long>(row.get<unsigned long long>(index));
    case soci::dt_double: return static_cast<long long>(row.get<double>(index));
    default: return std::stoll(row.get<std::string>(index));
  }
}

}  // namespace dsr

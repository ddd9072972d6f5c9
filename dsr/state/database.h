#pragma once
// The connection to dsr's own state store, over SOCI, on either engine.
//
// Thread safety: a Database is used by one thread at a time (a SOCI session is not
// thread-safe). Several processes may share one store: writes go through
// in_transaction(), which takes the engine's write lock up front (BEGIN IMMEDIATE on
// SQLite; InnoDB row locks on MariaDB/MySQL).

#include <soci/soci.h>

#include <functional>
#include <memory>
#include <string>

#include "dsr/common/result.h"
#include "dsr/common/time.h"

namespace dsr {

enum class StoreEngine { sqlite, mysql };

struct StoreConnection {
  StoreEngine engine = StoreEngine::sqlite;
  std::string sqlite_path;       // for sqlite
  std::string mysql_connection;  // SOCI connection string for mysql, e.g. "db=dsr user=dsr host=127.0.0.1"
};

// When a commit reaches the disk.
enum class Durability {
  // Before in_transaction() returns (on SQLite: the WAL is fsynced at COMMIT).
  at_commit,
  // With the next at_commit commit of this store, or earlier. A power failure in
  // between may undo the transaction, and only ever together with everything the
  // store committed after it: SQLite's WAL keeps commits in order, and recovery
  // keeps the longest prefix that reached the disk. For bookkeeping that nothing
  // outside the store acts on before a later at_commit commit, such as an access
  // run's claim and step audit before its completion: undone, the request is just
  // approved again, as before the run. On MariaDB/MySQL this is at_commit (the
  // server decides how it flushes).
  deferred,
};

class Database {
 public:
  // Opens the store; does not create or migrate tables (see migrations.h).
  static Result<std::unique_ptr<Database>> open(const StoreConnection& connection);

  StoreEngine engine() const { return engine_; }
  soci::session& session() { return session_; }

  // Runs work in one transaction: commits when it returns ok, rolls back when it
  // returns an error or throws. SOCI exceptions become errors prefixed "state store: ".
  Status in_transaction(const std::function<Status()>& work, Durability durability = Durability::at_commit);

  // Runs read-only work, translating SOCI exceptions the same way.
  Status read(const std::function<Status()>& work);

  bool in_transaction() const { return in_transaction_; }

 private:
  Database(StoreEngine engine) : engine_(engine) {}
  StoreEngine engine_;
  soci::session session_;
  bool in_transaction_ = false;
};

// Reading columns from a soci::row whatever integer width each engine reports.
std::string column_text(const soci::row& row, std::size_t index);  // NULL -> ""
long long column_int(const soci::row& row, std::size_t index);     // NULL -> 0
bool column_is_null(const soci::row& row, std::size_t index);
// A UTC text column ("YYYY-MM-DDTHH:MM:SSZ") as a time; NULL or unparsable -> the epoch.
TimePoint column_time(const soci::row& row, std::size_t index);

// Binds an empty text as SQL NULL (optional columns are kept as empty strings in memory).
inline soci::indicator null_if_empty(const std::string& text) { return text.empty() ? soci::i_null : soci::i_ok; }

}  // namespace dsr
